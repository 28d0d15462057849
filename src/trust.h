/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a privileged caller may read and run, and as whom (SPEC §3.1).
 * Root starts the binary this tool prints, so as root the default search
 * path takes only what root alone controls; a probe runs with root's
 * privileges only for a binary root alone controls.  A caller that is
 * not root is never restricted.  Every decision is made on the stat of
 * an opened file, never on a path looked at before it is opened.
 */
#ifndef VUF_TRUST_H
#define VUF_TRUST_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "searchpath.h"

/*
 * Whether the rules for privileged callers apply to what is found on
 * sp: the caller is root and sp is the default search path.
 */
bool trust_applies(const struct searchpath *sp);

/*
 * Why root cannot trust the file or directory st describes, opened as fd
 * (-1: not opened, its mode bits alone tell): "owned by uid 1000",
 * "writable by others", "writable by group 100", "writable through an
 * ACL"; NULL when root alone controls it.  The words go into buf.
 */
const char *trust_doubt(int fd, const struct stat *st, char *buf, size_t size);

/*
 * The same for a program root is to start by the path this tool prints:
 * the file, and every directory above it (another user who may write one
 * could put another file there; a sticky directory of root's is safe).
 */
const char *trust_doubt_program(int fd, const struct stat *st, char *buf,
				size_t size);

/* As whom a program runs when probed. */
struct trust_user {
	bool as_other;		/* as uid:gid rather than as the caller */
	uid_t uid;
	gid_t gid;
};

/*
 * As whom the program st describes (opened as fd) may be probed: as the
 * caller when that is not root or root controls the file; as its owner
 * (that user's primary group) when another user owns it, no one else
 * may write it, and it has a passwd entry.  False, with *why, when it
 * may not be run at all.
 */
bool trust_probe_user(int fd, const struct stat *st, struct trust_user *user,
		      char *why, size_t size);

#endif
