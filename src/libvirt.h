/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What libvirt 11 would do on the same tree, as data: a model of its
 * vhost-user lookup (src/qemu/qemu_interop_config.c), of how it reads a
 * descriptor (qemu_vhost_user.c, with json-c's rules as it calls the
 * parser), and of how it chooses a gpu and an fs backend, written from
 * its code.  lint-libvirt.c words where it differs from the tool.
 * Nothing here prints or words a finding.
 */
#ifndef VUF_LIBVIRT_H
#define VUF_LIBVIRT_H

#include <stdbool.h>

#include "libvirt-version.h"
#include "probe.h"
#include "resolve.h"
#include "searchpath.h"

enum libvirt_state {
	LIBVIRT_USED,		/* a descriptor it offers */
	LIBVIRT_MASK,		/* size 0 */
	LIBVIRT_FAILS,		/* it fails every lookup on it */
	LIBVIRT_UNKNOWN,	/* json-c may take what jansson rejects: no claim */
};

/*
 * One entry libvirt keeps, or one it fails on.  Kept for every name of
 * a lookup, so small: what a state does not use shares its room, and
 * the path and binary of a file the tool read are the resolution's.
 */
struct libvirt_file {
	const char *name;	/* the end of path; "" for a directory it cannot read */
	const char *path;
	enum libvirt_state state;
	unsigned short dir;
	bool lent;		/* path is the resolution's, not owned */
	bool lent_binary;	/* binary is too */
	union {
		struct {
			char *why;	/* LIBVIRT_FAILS: the cause, in our words */
			char *error;	/* LIBVIRT_FAILS: the error libvirt raises */
		};
		struct {
			const char *type;	/* LIBVIRT_USED: the schema's spelling */
			/* LIBVIRT_USED: NULL when absent or not a string */
			const char *binary;
			/* LIBVIRT_USED: what json-c took that jansson rejects */
			const char *quirk;
		};
	};
};

/* What libvirt's lookup finds on a search path. */
struct libvirt_view {
	/* A session daemon (the caller is not root)... */
	bool session;
	/* ...which reads this directory after the others, on a search path with a user directory. */
	char *session_dir;
	struct libvirt_file *files;	/* by name (strcmp): what takes effect */
	size_t n_files;
	struct libvirt_file *failures;	/* entries it cannot stat, by name */
	size_t n_failures;
};

/*
 * Look sp up as the daemon the caller talks to would: the system daemon
 * for root, else the user's session daemon.  lend, when not NULL, is the
 * tool's resolution of sp with its descriptors kept: a file it found
 * valid is taken from there, not read a second time.
 */
void libvirt_lookup(const struct searchpath *sp, const struct resolution *lend,
		    const struct libvirt_rules *rules, struct libvirt_view *v);

/*
 * libvirt's reading of one file named on the command line: e, the one
 * entry of res (resolve_path).  False when libvirt would not read it as
 * a descriptor at all (it is no regular file).
 */
bool libvirt_read_entry(const struct resolution *res, const struct entry *e,
			const struct libvirt_rules *rules,
			struct libvirt_file *f);

/* The file libvirt uses for name, or NULL. */
const struct libvirt_file *libvirt_find(const struct libvirt_view *v,
					const char *name);

/*
 * Where every lookup fails, or may (a file it may parse otherwise), in
 * libvirt's order: the first entry it cannot stat, else the first file
 * it cannot use.  NULL when the lookup succeeds.
 */
const struct libvirt_file *libvirt_lookup_stop(const struct libvirt_view *v);

/* What became of one candidate libvirt probes. */
enum libvirt_probe {
	LIBVIRT_PROBE_CHOSEN,
	LIBVIRT_PROBE_REFUSED,	/* the tool will not run it (reason) */
	LIBVIRT_PROBE_FAILED,	/* it did not exit 0 (reason) */
	LIBVIRT_PROBE_NOT_JSON,	/* exit 0, an answer that is not JSON */
	LIBVIRT_PROBE_NO_FEATURES,	/* JSON without a "features" array */
	LIBVIRT_PROBE_LACKS,	/* features, but not every one needed */
};

struct libvirt_try {
	const struct libvirt_file *file;
	enum libvirt_probe outcome;
	char *reason;
};

/* libvirt's choice of a backend of one type. */
struct libvirt_choice {
	const struct libvirt_file *chosen;	/* NULL: none */
	const char *error;	/* chosen NULL: the error libvirt raises */
	bool refused;		/* refused before any lookup (a session's fs) */
	bool probed;		/* the candidates were probed */
	bool render_node;	/* the chosen one reports "render-node" */
	/* A probe the tool will not run decides: no claim either way. */
	bool unknown;
	struct libvirt_try *tries;	/* each candidate probed, in order */
	size_t n_tries;
};

/*
 * Choose among the view's candidates of type (gpu or fs) as libvirt
 * does: with probe, probing as libvirt probes (gpu: the first whose
 * answer has "features"; fs, where rules probe it: the first unless its
 * answer on exit 0 is not JSON), the probes run under the tool's rules
 * (run); without, the first candidate, as libvirt takes fs unprobed.
 */
/* What a choice asks for. */
struct libvirt_ask {
	bool probe;		/* probe as libvirt does (else take the first) */
	const struct probe_options *run;	/* how the tool runs probes */
	char *const *need;	/* gpu: the features the domain needs */
	size_t n_need;
};

void libvirt_choose(const struct libvirt_view *v, const struct searchpath *sp,
		    const struct libvirt_rules *rules, const char *type,
		    const struct libvirt_ask *ask, struct libvirt_choice *c);

/*
 * Whether libvirt would take binary for executable when it starts an fs
 * backend (virFileIsExecutable in qemuVirtioFSStart): it exists, is no
 * directory, and has an x bit; in sp's root under --root.
 */
bool libvirt_is_executable(const struct searchpath *sp, const char *binary);

/*
 * The host's first DRM render node (/dev/dri/renderD*), as libvirt
 * looks for one when the chosen gpu backend reports "render-node" and
 * the domain names none: NULL and libvirt's error in *error when there
 * is none.  Allocated.
 */
char *libvirt_render_node(char **error);

void libvirt_choice_free(struct libvirt_choice *c);
void libvirt_file_clear(struct libvirt_file *f);
void libvirt_view_free(struct libvirt_view *v);

#endif
