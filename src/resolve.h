/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scan the search path and decide, by QEMU's rules, what takes effect
 * (SPEC §4): suffix and hidden-name filters, symlinks, masks, override
 * by basename, bytewise order.  Nothing here prints.
 */
#ifndef VUF_RESOLVE_H
#define VUF_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "descriptor.h"
#include "searchpath.h"

enum entry_kind {
	KIND_DESCRIPTOR,	/* a regular file with contents */
	KIND_MASK,		/* an empty regular file, or /dev/null */
	KIND_OTHER,		/* anything else: takes no part in override */
	KIND_SKIPPED,		/* not a candidate name (RESOLVE_KEEP_SKIPPED) */
};

enum entry_status {
	STATUS_ACTIVE,
	STATUS_OVERRIDDEN,
	STATUS_MASKED,
	STATUS_INVALID,
	STATUS_IGNORED,
	STATUS_SKIPPED,
};

struct entry {
	char *name;		/* basename */
	char *path;		/* where it was found (under --root) */
	size_t dir;		/* index in the search path: higher is more specific */
	enum entry_kind kind;
	enum entry_status status;
	bool effective;		/* the one that takes effect for its name */
	bool devnull;		/* a mask that resolves to /dev/null */
	bool symlink;		/* the directory entry is a symbolic link */
	int error;		/* errno of a failed stat, else 0 */
	mode_t mode;		/* file type after following links */
	char *reason;		/* why ignored or skipped; NULL otherwise */
	/*
	 * Loaded for the effective entry; for the rest with RESOLVE_LOAD_ALL.
	 * Slimmed (descriptor_slim): descriptor_whole has every member.
	 */
	struct descriptor *desc;
	const struct entry *by;	/* what overrides or masks this entry */
};

struct dir_warning {
	char *dir;
	char *msg;
};

struct resolution {
	struct entry *entries;	/* by name (bytewise), most specific first */
	size_t n;
	struct dir_warning *warnings;
	size_t n_warnings;
};

enum {
	RESOLVE_LOAD_ALL = 1 << 0,	/* load overridden descriptors too */
	RESOLVE_KEEP_SKIPPED = 1 << 1,	/* record non-candidate names */
};

void resolve(const struct searchpath *sp, unsigned flags,
	     struct resolution *res);
void resolution_free(struct resolution *res);

/*
 * Classify and load one file named on the command line as if it were
 * the only entry of a directory: entry is filled in, status set.
 */
void resolve_file(const char *path, struct entry *e);
void entry_clear(struct entry *e);

/* The entry that takes effect for name (a masked or invalid one too). */
const struct entry *resolution_effective(const struct resolution *res,
					 const char *name);

/* Whether name is a candidate: ends in ".json", does not start with ".". */
bool is_candidate_name(const char *name);

const char *entry_status_name(enum entry_status status);

/* The reason to show for an invalid or ignored entry, or NULL. */
const char *entry_reason(const struct entry *e);

#endif
