/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a privileged caller may read and run, and as whom (SPEC §3.1).
 * Root starts the binary this tool prints, so as root the default search
 * path takes only what root alone controls; a probe runs with root's
 * privileges only for a binary root alone controls.  A caller that is
 * not root is never restricted.  Every decision is made on the stat of
 * an opened file, never on a path looked at before it is opened.
 *
 * The words of every doubt are made here: who owns a file ("owned by
 * alice (uid 1000)"), what grants another user write ("writable by
 * others (mode 0777)", an ACL entry, a group) and the fix ("chmod o-w
 * PATH").  exec-walk.c applies them to each step of every path that
 * exec-trust.c finds execve loads.
 */
#ifndef VUF_TRUST_H
#define VUF_TRUST_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "searchpath.h"

/* No user besides root: for trust_owner_doubt. */
#define TRUST_ROOT_ONLY ((uid_t)-1)

/*
 * Whether the rules for privileged callers apply to what is found on
 * sp: the caller is root and sp is the default search path.
 */
bool trust_applies(const struct searchpath *sp);

/*
 * Why the owner of st is not root (nor other, a user who may own it
 * too): "owned by alice (uid 1000)"; NULL when it is.  Allocated.
 */
char *trust_owner_doubt(const struct stat *st, uid_t other);

/*
 * Why a user other than root (and the owner) may write the file or
 * directory st describes, opened as fd (-1: its mode bits alone tell),
 * shown as path in the fix: "writable by others (mode 0777): chmod o-w
 * PATH", "writable by group users (gid 100, mode 0775): chmod g-w PATH",
 * "writable through an ACL (user:alice:rwx): setfacl -x u:alice PATH";
 * NULL when none may.  Write by group 0 is root's while group 0 has no
 * member but root.  Allocated.
 */
char *trust_write_doubt(int fd, const struct stat *st, const char *path);

/* The owner's doubt, else the write doubt: NULL when root alone controls it. */
char *trust_doubt(int fd, const struct stat *st, const char *path);

/*
 * Whether only the caller or root can write the directory st describes,
 * opened as fd: owned by either, and no write for anyone else by the
 * rules of trust_write_doubt (others, a group but root's, an ACL).  Then
 * no one else can swap its entries (SPEC §4 item 3).
 */
bool trust_sole_writer(int fd, const struct stat *st);

/* As whom a program runs when probed. */
struct trust_user {
	bool as_other;		/* as uid:gid rather than as the caller */
	uid_t uid;
	gid_t gid;
};

/*
 * As whom the program st describes (opened as fd, shown as path) may be
 * probed: as the caller when that is not root or root controls the
 * file; as its owner (that user's primary group) when another user owns
 * it, no one else may write it, and it has a passwd entry.  NULL when
 * it may run, else why not (allocated).
 */
char *trust_probe_user(int fd, const struct stat *st, const char *path,
		       struct trust_user *user);

#endif
