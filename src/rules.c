/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <strings.h>

#include "rules.h"
#include "suggest.h"

const struct rule_info rule_table[RULE_COUNT] = {
	[RULE_NONE] = { NULL, NULL, NULL },
	[RULE_UNREADABLE] = { "VUF100", "unreadable",
		"the file cannot be read, or is no regular file" },
	[RULE_TOO_LARGE] = { "VUF101", "too-large",
		"the file is larger than 1 MiB" },
	[RULE_SYNTAX] = { "VUF102", "syntax",
		"the file is not valid JSON" },
	[RULE_TRAILING_COMMA] = { "VUF103", "trailing-comma",
		"a comma before a closing brace or bracket" },
	[RULE_PROGRAM] = { "VUF104", "program",
		"a program (ELF or #! script) where a descriptor is expected" },
	[RULE_NOT_OBJECT] = { "VUF105", "not-object",
		"the JSON value is not an object" },
	[RULE_MISSING_MEMBER] = { "VUF106", "missing-member",
		"a required member, 'type' or 'binary', is missing" },
	[RULE_MEMBER_KIND] = { "VUF107", "member-kind",
		"a member is of the wrong JSON kind" },
	[RULE_UNKNOWN_TYPE] = { "VUF108", "unknown-type",
		"the 'type' is not a known backend type" },
	[RULE_RELATIVE_BINARY] = { "VUF109", "relative-binary",
		"the 'binary' is empty or not an absolute path" },
	[RULE_NO_DESCRIPTION] = { "VUF110", "no-description",
		"the optional 'description' is missing" },
	[RULE_UNKNOWN_FEATURE] = { "VUF111", "unknown-feature",
		"the 'features' list names a feature not known for the type" },
	[RULE_UNKNOWN_MEMBER] = { "VUF112", "unknown-member",
		"a member the schema does not know" },
	[RULE_MASK] = { "VUF113", "mask",
		"a file named on the command line is a mask" },
	[RULE_DIR_UNREADABLE] = { "VUF200", "dir-unreadable",
		"a directory of the search path cannot be read" },
	[RULE_DIR_UNTRUSTED] = { "VUF201", "dir-untrusted",
		"a directory a privileged caller cannot trust" },
	[RULE_NO_DIR] = { "VUF202", "no-dir",
		"a directory given does not exist" },
	[RULE_NO_DESCRIPTOR] = { "VUF203", "no-descriptor",
		"the search path holds no descriptor at all" },
	[RULE_IGNORED] = { "VUF204", "ignored",
		"an entry the search path ignores" },
	[RULE_NEVER_READ] = { "VUF205", "never-read",
		"a name the search path never reads" },
	[RULE_NAMING] = { "VUF206", "naming",
		"a name not of the form NN-name.json" },
	[RULE_CANNOT_START] = { "VUF300", "cannot-start",
		"the binary is missing or cannot start" },
	[RULE_UNTRUSTED_BINARY] = { "VUF301", "untrusted-binary",
		"the binary is one a privileged caller must not start" },
	[RULE_PROBE_FAILED] = { "VUF302", "probe-failed",
		"the capability probe fails" },
	[RULE_PROBE_UNKNOWN_FEATURE] = { "VUF303", "probe-unknown-feature",
		"the probe reports a feature not known for the type" },
	[RULE_FEATURE_NOT_REPORTED] = { "VUF304", "feature-not-reported",
		"the 'features' list names a feature the probe does not report" },
	[RULE_FEATURE_NOT_LISTED] = { "VUF305", "feature-not-listed",
		"the probe reports a feature 'features' does not list" },
	[RULE_HANDSHAKE_FAILED] = { "VUF306", "handshake-failed",
		"the backend did not complete a vhost-user handshake (--handshake)" },
	[RULE_HANDSHAKE_SKIPPED] = { "VUF307", "handshake-skipped",
		"an input backend is not handshaken: it needs a device (--handshake)" },
	[RULE_LIBVIRT_FAILS] = { "VUF400", "libvirt-fails",
		"libvirt would fail every vhost-user lookup" },
	[RULE_LIBVIRT_USES] = { "VUF401", "libvirt-uses",
		"libvirt would use a file the tool does not" },
	[RULE_LIBVIRT_MASK] = { "VUF402", "libvirt-mask",
		"libvirt and the tool disagree about a mask" },
	[RULE_LIBVIRT_DIRS] = { "VUF403", "libvirt-dirs",
		"libvirt reads other directories than the tool" },
	[RULE_LIBVIRT_CHOICE] = { "VUF404", "libvirt-choice",
		"libvirt would choose or run another backend" },
	[RULE_LIBVIRT_VERSION] = { "VUF405", "libvirt-version",
		"which libvirt the libvirt notes speak for" },
};

enum rule rule_find(const char *text)
{
	for (int r = RULE_NONE + 1; r < RULE_COUNT; r++)
		if (strcasecmp(rule_table[r].id, text) == 0)
			return (enum rule)r;
	return RULE_NONE;
}

char *rule_hint(const char *text)
{
	const char *ids[RULE_COUNT];

	for (int r = 0; r < RULE_COUNT; r++)
		ids[r] = rule_table[r].id;
	return did_you_mean(text, "", ids, RULE_COUNT);
}
