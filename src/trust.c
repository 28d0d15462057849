/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/xattr.h>

#include "trust.h"

bool trust_applies(const struct searchpath *sp)
{
	return geteuid() == 0 && searchpath_is_default(sp);
}

/*
 * Whether fd (or, when fd is -1, path) has a POSIX ACL beyond its mode
 * bits.  With one, the group bits are the ACL's mask: a named user or
 * group may write whatever the owner and group say.
 */
static bool has_acl(int fd, const char *path)
{
	char proc[64];
	ssize_t n;

	if (fd >= 0) {
		n = fgetxattr(fd, "system.posix_acl_access", NULL, 0);
		if (n >= 0 || errno != EBADF)
			return n > 0;
		/* An O_PATH handle: ask through the magic link. */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		path = proc;
	}
	return path && getxattr(path, "system.posix_acl_access", NULL, 0) > 0;
}

static const char *doubt(int fd, const char *path, const struct stat *st,
			 char *buf, size_t size)
{
	if (st->st_uid != 0)
		snprintf(buf, size, "owned by uid %u", (unsigned)st->st_uid);
	else if (st->st_mode & S_IWOTH)
		snprintf(buf, size, "writable by others");
	else if ((st->st_mode & S_IWGRP) && has_acl(fd, path))
		snprintf(buf, size, "writable through an ACL");
	else if ((st->st_mode & S_IWGRP) && st->st_gid != 0)
		snprintf(buf, size, "writable by group %u",
			 (unsigned)st->st_gid);
	else
		return NULL;
	return buf;
}

const char *trust_doubt(int fd, const struct stat *st, char *buf, size_t size)
{
	return doubt(fd, NULL, st, buf, size);
}

const char *trust_doubt_program(int fd, const struct stat *st, char *buf,
				size_t size)
{
	char proc[64], path[PATH_MAX], inner[96];
	ssize_t n;
	char *slash;

	if (doubt(fd, NULL, st, buf, size))
		return buf;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, path, sizeof(path) - 1);
	if (n <= 0 || path[0] != '/') {
		snprintf(buf, size, "its path cannot be told");
		return buf;
	}
	path[n] = '\0';
	/*
	 * Each directory above it: one another user may write could put
	 * another file at the path this tool prints.  A sticky directory
	 * (/tmp) lets none but root replace root's file.
	 */
	while ((slash = strrchr(path, '/'))) {
		struct stat dst;

		*slash = '\0';
		if (stat(path[0] ? path : "/", &dst) < 0)
			break;
		if ((dst.st_uid == 0 && (dst.st_mode & S_ISVTX)) ||
		    !doubt(-1, path[0] ? path : "/", &dst, inner, sizeof(inner)))
			continue;
		snprintf(buf, size, "directory %s is %s", path[0] ? path : "/",
			 inner);
		return buf;
	}
	return NULL;
}

bool trust_probe_user(int fd, const struct stat *st, struct trust_user *user,
		      char *why, size_t size)
{
	struct passwd *pw;

	user->as_other = false;
	if (geteuid() != 0)
		return true;
	if (st->st_uid == 0)
		return trust_doubt(fd, st, why, size) == NULL;
	/* Its owner can change it anyway; no one else may. */
	if (st->st_mode & S_IWOTH) {
		snprintf(why, size, "writable by others");
		return false;
	}
	if (st->st_mode & S_IWGRP) {
		snprintf(why, size, "writable by group %u", (unsigned)st->st_gid);
		return false;
	}
	if (has_acl(fd, NULL)) {
		snprintf(why, size, "writable through an ACL");
		return false;
	}
	pw = getpwuid(st->st_uid);
	if (!pw) {
		/* Its file's group could be anything, root's too. */
		snprintf(why, size, "owned by uid %u, which has no passwd entry",
			 (unsigned)st->st_uid);
		return false;
	}
	user->as_other = true;
	user->uid = st->st_uid;
	user->gid = pw->pw_gid;
	return true;
}
