/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/xattr.h>

#include "trust.h"
#include "util.h"

bool trust_applies(const struct searchpath *sp)
{
	return geteuid() == 0 && searchpath_is_default(sp);
}

/* "alice (uid 1000)", or "uid 54321" for a uid without a passwd entry. */
static char *user_name(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	if (!pw)
		return xasprintf("uid %u", (unsigned)uid);
	return xasprintf("%s (uid %u)", pw->pw_name, (unsigned)uid);
}

static char *group_name(gid_t gid)
{
	struct group *gr = getgrgid(gid);

	if (!gr)
		return xasprintf("gid %u", (unsigned)gid);
	return xasprintf("%s (gid %u)", gr->gr_name, (unsigned)gid);
}

/*
 * A user other than root who belongs to group 0 (a member in the group
 * database, or a passwd entry whose primary group it is), or NULL: write
 * by group 0 is root's only while there is none.  Looked up once a run;
 * a directory service that cannot be enumerated is not seen (man page).
 */
static const char *group0_outsider(void)
{
	static bool looked;
	static char *outsider;
	struct group *gr;
	struct passwd *pw;

	if (looked)
		return outsider;
	looked = true;
	/* Every group entry of gid 0, not only the first getgrgid finds. */
	setgrent();
	while (!outsider && (gr = getgrent()))
		for (char **m = gr->gr_gid == 0 ? gr->gr_mem : NULL;
		     m && *m && !outsider; m++)
			if (strcmp(*m, "root") != 0)
				outsider = xstrdup(*m);
	endgrent();
	setpwent();
	while (!outsider && (pw = getpwent()))
		if (pw->pw_uid != 0 && pw->pw_gid == 0)
			outsider = xstrdup(pw->pw_name);
	endpwent();
	return outsider;
}

/* Whether write by group gid is root's alone. */
static bool group_is_roots(gid_t gid)
{
	return gid == 0 && !group0_outsider();
}

char *trust_owner_doubt(const struct stat *st, uid_t other)
{
	char *who, *doubt;

	if (st->st_uid == 0 || st->st_uid == other)
		return NULL;
	who = user_name(st->st_uid);
	doubt = xasprintf("owned by %s", who);
	free(who);
	return doubt;
}

/* POSIX ACLs as the kernel stores them (system.posix_acl_access). */
#define ACL_XATTR_VERSION 2
enum {
	ACL_TAG_USER = 0x02,
	ACL_TAG_GROUP_OBJ = 0x04,
	ACL_TAG_GROUP = 0x08,
	ACL_TAG_MASK = 0x10,
};
#define ACL_PERM_WRITE 0x02

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

/*
 * fd's access ACL into buf; its length, or -1 when it has none (or fd
 * is -1), or -2 when it is too long to read.
 */
static ssize_t read_acl(int fd, unsigned char *buf, size_t size)
{
	char proc[64];
	ssize_t n;

	if (fd < 0)
		return -1;
	n = fgetxattr(fd, "system.posix_acl_access", buf, size);
	if (n < 0 && errno == EBADF) {
		/* An O_PATH handle: ask through the magic link. */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		n = getxattr(proc, "system.posix_acl_access", buf, size);
	}
	if (n < 0 && errno == ERANGE)
		return -2;
	if (n < 4 || le32(buf) != ACL_XATTR_VERSION)
		return -1;
	return n;
}

/* A named user's or group's ACL entry, by its name when it has one. */
static char *acl_named_doubt(const char *kind, char flag, const char *name,
			     uint32_t id, const char *rwx, const char *path)
{
	char *who = name ? xstrdup(name) : xasprintf("%u", (unsigned)id);
	char *doubt = xasprintf("writable through an ACL (%s:%s:%s): setfacl -x %c:%s %s",
				kind, who, rwx, flag, who, path);

	free(who);
	return doubt;
}

/* One ACL entry that grants write, worded with its fix. */
static char *acl_entry_doubt(unsigned tag, unsigned perm, uint32_t id,
			     const struct stat *st, const char *path)
{
	char rwx[4] = { perm & 4 ? 'r' : '-', perm & 2 ? 'w' : '-',
			perm & 1 ? 'x' : '-', '\0' };
	struct passwd *pw;
	struct group *gr;
	char *g, *doubt;

	if (tag == ACL_TAG_USER && id != 0 && id != st->st_uid) {
		pw = getpwuid(id);
		return acl_named_doubt("user", 'u', pw ? pw->pw_name : NULL, id,
				       rwx, path);
	}
	if (tag == ACL_TAG_GROUP && !group_is_roots(id)) {
		gr = getgrgid(id);
		return acl_named_doubt("group", 'g', gr ? gr->gr_name : NULL, id,
				       rwx, path);
	}
	if (tag == ACL_TAG_GROUP_OBJ && !group_is_roots(st->st_gid)) {
		g = group_name(st->st_gid);
		doubt = xasprintf("writable by group %s through an ACL (group::%s): chmod g-w %s",
				  g, rwx, path);
		free(g);
		return doubt;
	}
	return NULL;
}

/*
 * Whether the ACL in buf (n bytes) lets a user other than root write: a
 * named user, a named group or the owning group, through the mask.
 */
static char *acl_doubt(const unsigned char *buf, ssize_t n,
		       const struct stat *st, const char *path)
{
	char *doubt = NULL;

	for (ssize_t i = 4; i + 8 <= n; i += 8)
		if (le16(buf + i) == ACL_TAG_MASK &&
		    !(le16(buf + i + 2) & ACL_PERM_WRITE))
			return NULL;
	for (ssize_t i = 4; i + 8 <= n && !doubt; i += 8)
		if (le16(buf + i + 2) & ACL_PERM_WRITE)
			doubt = acl_entry_doubt(le16(buf + i), le16(buf + i + 2),
						le32(buf + i + 4), st, path);
	return doubt;
}

char *trust_write_doubt(int fd, const struct stat *st, const char *path)
{
	unsigned char acl[4 + 8 * 256];
	unsigned mode = (unsigned)st->st_mode & 07777;
	const char *outsider;
	struct group *gr;
	char *g, *doubt;
	ssize_t n;

	if (S_ISLNK(st->st_mode))
		return NULL;	/* a link's mode means nothing */
	if (st->st_mode & S_IWOTH)
		return xasprintf("writable by others (mode %04o): chmod o-w %s",
				 mode, path);
	/* With an ACL, the group bits are its mask: the entries tell. */
	n = read_acl(fd, acl, sizeof(acl));
	if (n == -2)
		return xasprintf("covered by an ACL too long to judge: getfacl %s", path);
	if (n >= 0)
		return acl_doubt(acl, n, st, path);
	if (!(st->st_mode & S_IWGRP) || group_is_roots(st->st_gid))
		return NULL;
	gr = getgrgid(st->st_gid);
	g = gr ? xasprintf("%s (gid %u, ", gr->gr_name, (unsigned)st->st_gid) :
		xasprintf("gid %u (", (unsigned)st->st_gid);
	outsider = st->st_gid == 0 ? group0_outsider() : NULL;
	if (outsider)
		doubt = xasprintf("writable by group %smode %04o), of which %s is a member: chmod g-w %s",
				  g, mode, outsider, path);
	else
		doubt = xasprintf("writable by group %smode %04o): chmod g-w %s",
				  g, mode, path);
	free(g);
	return doubt;
}

char *trust_doubt(int fd, const struct stat *st, const char *path)
{
	char *doubt = trust_owner_doubt(st, TRUST_ROOT_ONLY);

	return doubt ? doubt : trust_write_doubt(fd, st, path);
}

bool trust_sole_writer(int fd, const struct stat *st)
{
	char *doubt = trust_owner_doubt(st, geteuid());

	if (!doubt)
		doubt = trust_write_doubt(fd, st, "");
	free(doubt);
	return !doubt;
}

char *trust_probe_user(int fd, const struct stat *st, const char *path,
		       struct trust_user *user)
{
	struct passwd *pw;
	char *doubt;

	user->as_other = false;
	if (geteuid() != 0)
		return NULL;
	if (st->st_uid == 0)
		return trust_doubt(fd, st, path);
	/* Its owner can change it anyway; no one else may. */
	if ((doubt = trust_write_doubt(fd, st, path)))
		return doubt;
	pw = getpwuid(st->st_uid);
	if (!pw) {
		/* Its file's group could be anything, root's too. */
		return xasprintf("owned by uid %u, which has no passwd entry",
				 (unsigned)st->st_uid);
	}
	user->as_other = true;
	user->uid = st->st_uid;
	user->gid = pw->pw_gid;
	return NULL;
}
