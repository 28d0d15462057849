/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scan the search path and decide, by QEMU's rules, what takes effect
 * (SPEC §4): suffix and hidden-name filters, symlinks, masks, override
 * by basename, bytewise order; and the questions commands ask of the
 * result.  Nothing here prints.
 */
#ifndef VUF_RESOLVE_H
#define VUF_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "descriptor.h"
#include "rootfs.h"
#include "searchpath.h"
#include "util.h"

enum entry_kind {
	/*
	 * A regular file with contents.  Until it is read, a regular file
	 * readdir named is taken for one (it may be empty: a mask); only
	 * entries that take effect are read, and all with load_all.
	 */
	KIND_DESCRIPTOR,
	KIND_MASK,		/* an empty regular file, or /dev/null */
	KIND_OTHER,		/* anything else: takes no part in override */
};

enum entry_status {
	STATUS_PENDING,		/* its name is not settled yet */
	STATUS_ACTIVE,
	STATUS_OVERRIDDEN,
	STATUS_MASKED,
	STATUS_INVALID,
	STATUS_IGNORED,
	STATUS_SKIPPED,		/* not a candidate name (keep_skipped) */
};

struct entry {
	const char *name;	/* basename (the end of path; "." for "DIR/") */
	const char *path;	/* where it was found (under --root) */
	/*
	 * A valid descriptor's: the schema's type name, and its binary (in
	 * the resolution's strings, or in desc while that is kept).
	 */
	const char *type;
	const char *binary;
	unsigned dir;		/* index in the search path: higher is more specific */
	enum entry_kind kind;
	enum entry_status status;
	bool devnull;		/* a mask that resolves to /dev/null */
	bool symlink;		/* the directory entry is a symbolic link */
	bool untrusted;		/* ignored: root cannot trust what it is */
	unsigned char d_type;	/* what readdir said it is (DT_UNKNOWN: not asked) */
	bool name_start;	/* the first (most specific) entry of its name */
	/* A valid descriptor's containers around its deepest value, at most 255. */
	unsigned char nesting;
	int error;		/* errno of a failed stat, else 0 */
	char *reason;		/* why ignored or skipped; NULL otherwise */
	/*
	 * Read for the entry that takes effect (for the rest with
	 * load_all); kept when invalid (its errors say why) and, as keep
	 * says, when valid too: by its schema members only, but with
	 * KEEP_WHOLE.
	 */
	struct descriptor *desc;
	const struct entry *by;	/* what overrides or masks this entry */
};

struct dir_warning {
	char *dir;
	char *why;		/* the cause alone: "Permission denied", "owned by ..." */
	char *msg;		/* "cannot read directory: ...", "not trusted: ..." */
	char *text;		/* "DIR: MSG", as said */
	bool untrusted;		/* root cannot trust it: it was skipped */
};

/* What of a valid descriptor a resolution keeps once it is read. */
enum resolve_keep {
	KEEP_TYPE_BINARY,	/* its type and binary only */
	KEEP_MEMBERS,		/* the descriptor, by its schema members */
	KEEP_WHOLE,		/* the descriptor, every member of its file */
};

/* How much a resolution reads and keeps. */
struct resolve_options {
	bool load_all;		/* read overridden descriptors too */
	bool keep_skipped;	/* record names that are not candidates */
	enum resolve_keep keep;
};

/* How a resolution's names are settled, when each is asked for. */
struct settle_rules {
	struct resolve_options o;
	bool trust;		/* the rules for privileged callers apply */
	bool have_devnull;
	dev_t devnull;		/* /dev/null's device number */
};

struct resolution {
	struct entry *entries;	/* by name (bytewise), most specific first */
	size_t n;
	struct arena strings;	/* the entries' paths and binaries */
	struct settle_rules rules;
	struct rootfs_dir *dirs;	/* one per directory of the search path */
	char **shown;		/* per directory: how its entries' paths begin */
	bool *missing;		/* per directory: it does not exist */
	size_t n_dirs;
	struct dir_warning *warnings;
	size_t n_warnings;
};

/*
 * Read the search path: every directory's names, sorted, none settled
 * yet (STATUS_PENDING).  Names are settled one at a time, in order, as
 * a command asks (resolution_settle): a long list can be printed as it
 * is decided, and released as it goes.
 */
void resolve(const struct searchpath *sp, const struct resolve_options *o,
	     struct resolution *res);

/*
 * A file named on the command line (a host path) as the one entry of its
 * directory, settled: the same loader, without the trust rules (the
 * caller named the file).
 */
void resolve_path(const char *path, const struct resolve_options *o,
		  struct resolution *res);
void resolution_free(struct resolution *res);

/*
 * Settle the name whose entries start at index i (once; again is a
 * no-op), and say how many entries it has: 0 when i is past the end.
 * Every command walks a resolution so:
 *	for (size_t i = 0, n; (n = resolution_settle(res, i)); i += n)
 */
size_t resolution_settle(struct resolution *res, size_t i);

/* Settle every name. */
void resolution_settle_all(struct resolution *res);

/*
 * Let the descriptors of the n entries from i go (those of valid ones),
 * and with them their binaries.
 */
void resolution_release(struct resolution *res, size_t i, size_t n);

/*
 * The same, but a valid descriptor's binary is kept (in the resolution's
 * strings): what a later pass over the entries asks of them, by type,
 * binary and nesting, without holding every parsed file.
 */
void resolution_slim(struct resolution *res, size_t i, size_t n);

/* Its type and binary: a valid descriptor's, or what an invalid one says. */
const char *entry_type(const struct entry *e);
const char *entry_binary(const struct entry *e);

/* Whether e is the entry that takes effect for its name (mask or invalid too). */
bool entry_takes_effect(const struct entry *e);

/* How many entries from index i on have the name of entries[i]. */
size_t resolution_same_name(const struct resolution *res, size_t i);

/* The entries called name, most specific first: *n of them, NULL when none. */
const struct entry *resolution_named(const struct resolution *res,
				     const char *name, size_t *n);

/*
 * The active descriptors of type, in priority order: the first after
 * `after`, or from the start when after is NULL; NULL at the end.
 */
const struct entry *resolution_next_of_type(const struct resolution *res,
					    const char *type,
					    const struct entry *after);

/* What looking a descriptor up by NAME or PATH found. */
enum lookup_result {
	LOOKUP_ACTIVE,		/* entry is active */
	LOOKUP_MASKED,		/* entry is the mask that takes effect */
	LOOKUP_INVALID,		/* entry is invalid */
	LOOKUP_IGNORED,		/* entry is NULL; named are all ignored */
	LOOKUP_ABSENT,		/* nothing of that name */
};

struct lookup {
	enum lookup_result result;
	char *name;		/* the basename looked for */
	bool by_path;		/* PATH: the file itself, not the search path */
	const struct entry *entry;	/* what takes effect, or NULL */
	const struct entry *named;	/* every entry of the name */
	size_t n_named;
	struct resolution res;	/* the search path's, or the file's */
};

/*
 * Look arg up as show, caps and handshake do: a PATH (it has a slash) is
 * that file; a NAME (".json" added when missing) is resolved on the
 * search path, whose unreadable directories are in l->res.  Descriptors
 * are kept whole.  Says nothing.
 */
void lookup_descriptor(const struct searchpath *sp, const char *arg,
		       struct lookup *l);
void lookup_free(struct lookup *l);

/*
 * Whether res holds any descriptor (valid or not), of any type, settling
 * its names only up to the first that has one.
 */
bool resolution_has_descriptor(struct resolution *res);

/* Whether name is a candidate: ends in ".json", does not start with ".". */
bool is_candidate_name(const char *name);

const char *entry_status_name(enum entry_status status);

/* The reason to show for an invalid or ignored entry, or NULL. */
const char *entry_reason(const struct entry *e);

#endif
