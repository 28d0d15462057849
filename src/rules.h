/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * validate's rules: the one table of rule ids (VUF and a number, grouped
 * by kind and never renumbered), each with a short name and a line of
 * description for the man page and completion.
 */
#ifndef VUF_RULES_H
#define VUF_RULES_H

#include <stdbool.h>

enum rule {
	RULE_NONE,
	/* VUF1xx: the file, its JSON, the schema */
	RULE_UNREADABLE,
	RULE_TOO_LARGE,
	RULE_SYNTAX,
	RULE_TRAILING_COMMA,
	RULE_PROGRAM,
	RULE_NOT_OBJECT,
	RULE_MISSING_MEMBER,
	RULE_MEMBER_KIND,
	RULE_UNKNOWN_TYPE,
	RULE_RELATIVE_BINARY,
	RULE_NO_DESCRIPTION,
	RULE_UNKNOWN_FEATURE,
	RULE_UNKNOWN_MEMBER,
	RULE_MASK,
	/* VUF2xx: the search path */
	RULE_DIR_UNREADABLE,
	RULE_DIR_UNTRUSTED,
	RULE_NO_DIR,
	RULE_NO_DESCRIPTOR,
	RULE_IGNORED,
	RULE_NEVER_READ,
	RULE_NAMING,
	/* VUF3xx: the binary and its probe */
	RULE_CANNOT_START,
	RULE_UNTRUSTED_BINARY,
	RULE_PROBE_FAILED,
	RULE_PROBE_UNKNOWN_FEATURE,
	RULE_FEATURE_NOT_REPORTED,
	RULE_FEATURE_NOT_LISTED,
	RULE_HANDSHAKE_FAILED,
	RULE_HANDSHAKE_SKIPPED,
	/* VUF4xx: where libvirt decides otherwise */
	RULE_LIBVIRT_FAILS,
	RULE_LIBVIRT_USES,
	RULE_LIBVIRT_MASK,
	RULE_LIBVIRT_DIRS,
	RULE_LIBVIRT_CHOICE,
	RULE_LIBVIRT_VERSION,
	RULE_COUNT
};

struct rule_info {
	const char *id;			/* "VUF104" */
	const char *name;		/* "trailing-comma" */
	const char *description;	/* one line */
};

/* Indexed by enum rule; rule_table[RULE_NONE] has no id. */
extern const struct rule_info rule_table[RULE_COUNT];

/* The rule whose id is text ("VUF104", any case), or RULE_NONE. */
enum rule rule_find(const char *text);

/* " (did you mean 'VUF104'?)" for text that is not an id, or "".  Allocated. */
char *rule_hint(const char *text);

#endif
