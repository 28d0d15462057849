/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

#include "trust.h"

bool trust_applies(const struct searchpath *sp)
{
	return geteuid() == 0 && searchpath_is_default(sp);
}

const char *trust_doubt(const struct stat *st, char *buf, size_t size)
{
	if (st->st_uid != 0)
		snprintf(buf, size, "owned by uid %u", (unsigned)st->st_uid);
	else if (st->st_mode & S_IWOTH)
		snprintf(buf, size, "writable by others");
	else if ((st->st_mode & S_IWGRP) && st->st_gid != 0)
		snprintf(buf, size, "writable by group %u",
			 (unsigned)st->st_gid);
	else
		return NULL;
	return buf;
}

bool trust_probe_user(const struct stat *st, struct trust_user *user,
		      char *why, size_t size)
{
	struct passwd *pw;

	user->as_other = false;
	if (geteuid() != 0)
		return true;
	if (st->st_uid == 0) {
		const char *doubt = trust_doubt(st, why, size);

		return doubt == NULL;
	}
	/* Its owner can change it anyway; anyone else must not. */
	if (st->st_mode & S_IWOTH) {
		snprintf(why, size, "writable by others");
		return false;
	}
	pw = getpwuid(st->st_uid);
	user->as_other = true;
	user->uid = st->st_uid;
	user->gid = pw ? pw->pw_gid : st->st_gid;
	return true;
}
