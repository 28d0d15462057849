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
	 * entries that take effect are read, and all with RESOLVE_LOAD_ALL.
	 */
	KIND_DESCRIPTOR,
	KIND_MASK,		/* an empty regular file, or /dev/null */
	KIND_OTHER,		/* anything else: takes no part in override */
};

enum entry_status {
	STATUS_ACTIVE,
	STATUS_OVERRIDDEN,
	STATUS_MASKED,
	STATUS_INVALID,
	STATUS_IGNORED,
	STATUS_SKIPPED,		/* not a candidate name (RESOLVE_KEEP_SKIPPED) */
};

struct entry {
	const char *name;	/* basename (the end of path) */
	const char *path;	/* where it was found (under --root) */
	/*
	 * A valid descriptor's: the schema's type name, and its binary (in
	 * the resolution's strings, or in desc while that is kept).
	 */
	const char *type;
	const char *binary;
	size_t dir;		/* index in the search path: higher is more specific */
	enum entry_kind kind;
	enum entry_status status;
	bool devnull;		/* a mask that resolves to /dev/null */
	bool symlink;		/* the directory entry is a symbolic link */
	bool untrusted;		/* ignored: root cannot trust what it is */
	bool settled;		/* the first of a name: its status is decided */
	int error;		/* errno of a failed stat, else 0 */
	char *reason;		/* why ignored or skipped; NULL otherwise */
	/*
	 * Read for the entry that takes effect (for the rest with
	 * RESOLVE_LOAD_ALL); kept when invalid (its errors say why) and,
	 * with RESOLVE_KEEP, when valid too: by its schema members only,
	 * but with RESOLVE_WHOLE.
	 */
	struct descriptor *desc;
	const struct entry *by;	/* what overrides or masks this entry */
};

struct dir_warning {
	char *dir;
	char *msg;		/* "cannot read directory: ...", "not trusted: ..." */
	char *text;		/* "DIR: MSG", as said */
	bool untrusted;		/* root cannot trust it: it was skipped */
};

/* How a resolution's names are settled, also later (RESOLVE_LAZY). */
struct settle_rules {
	unsigned flags;
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

enum {
	RESOLVE_LOAD_ALL = 1 << 0,	/* load overridden descriptors too */
	RESOLVE_KEEP_SKIPPED = 1 << 1,	/* record non-candidate names */
	RESOLVE_KEEP = 1 << 2,		/* keep valid descriptors too */
	RESOLVE_LAZY = 1 << 3,		/* settle names only when asked */
	RESOLVE_WHOLE = 1 << 4,		/* keep them whole, not by their
					   schema members only */
};

/*
 * Read the search path, and decide what takes effect for each name (with
 * RESOLVE_LAZY, only the names resolution_settle is asked for: a long
 * list can then be printed as it is decided, and released as it goes).
 */
void resolve(const struct searchpath *sp, unsigned flags,
	     struct resolution *res);
void resolution_free(struct resolution *res);

/* Decide the name whose entries start at index i; how many there are. */
size_t resolution_settle(struct resolution *res, size_t i);

/*
 * Let the descriptors of the n entries from i go (those of valid ones),
 * and with them their binaries.
 */
void resolution_release(struct resolution *res, size_t i, size_t n);

/*
 * Classify and load one file named on the command line as if it were
 * the only entry of a directory: entry is filled in, status set.
 */
void resolve_file(const char *path, struct entry *e);
void entry_clear(struct entry *e);

/*
 * Open e (an entry of res) for reading as resolve did: only a regular
 * file is opened (node->fd), through res's handle on its directory.
 */
void resolution_open_entry(const struct resolution *res,
			   const struct entry *e, struct rootfs_node *node);

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
	struct resolution res;	/* NAME: the search path's */
	struct entry file;	/* PATH: the file's */
};

/*
 * Look arg up as show and caps do: a PATH (it has a slash) is that file;
 * a NAME (".json" added when missing) is resolved on the search path,
 * whose unreadable directories are in l->res.  Says nothing.
 */
void lookup_descriptor(const struct searchpath *sp, const char *arg,
		       struct lookup *l);
void lookup_free(struct lookup *l);

/* Whether name is a candidate: ends in ".json", does not start with ".". */
bool is_candidate_name(const char *name);

const char *entry_status_name(enum entry_status status);

/* The reason to show for an invalid or ignored entry, or NULL. */
const char *entry_reason(const struct entry *e);

#endif
