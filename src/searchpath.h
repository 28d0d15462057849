/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which directories are searched, general to specific, and where each
 * came from (SPEC §3).
 */
#ifndef VUF_SEARCHPATH_H
#define VUF_SEARCHPATH_H

#include <stdbool.h>
#include <stddef.h>

#include "rootfs.h"

#ifndef QEMU_DATADIR
#define QEMU_DATADIR "/usr/share/qemu"
#endif
#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

struct searchpath_options {
	const char *root;		/* --root as given, or NULL */
	const struct rootfs *fs;	/* --root opened, or NULL */
	const char *const *dirs;	/* --dir values, or NULL */
	size_t n_dirs;
	bool system;			/* --system */
};

/* Where a directory of the search path came from. */
enum dir_origin {
	DIR_DISTRO,		/* QEMU_DATADIR/vhost-user: packages */
	DIR_ADMIN,		/* SYSCONFDIR/qemu/vhost-user: the sysadmin */
	DIR_USER,		/* $XDG_CONFIG_HOME/qemu/vhost-user */
	DIR_OPTION,		/* a --dir */
};

struct search_dir {
	char *path;		/* as given: under --root, DIR + where */
	char *where;		/* as resolved: in the root when in_root */
	bool in_root;		/* a distro or admin directory under --root */
	enum dir_origin origin;
};

struct searchpath {
	struct search_dir *dirs;	/* general to specific */
	size_t n;
	char *root;		/* --root without trailing slashes ("" for /), or NULL */
	const struct rootfs *fs;	/* --root opened (borrowed), or NULL */
};

/*
 * Build the search path from the options and the environment
 * (XDG_CONFIG_HOME, HOME, then the passwd entry).
 */
void searchpath_init(struct searchpath *sp,
		     const struct searchpath_options *opts);
void searchpath_free(struct searchpath *sp);

/* Whether sp is the default search path: no --root, no --dir. */
bool searchpath_is_default(const struct searchpath *sp);

/* The directory with the user's descriptors, or NULL when none is searched. */
const struct search_dir *searchpath_user_dir(const struct searchpath *sp);

/* The user's configuration directory by the XDG rules, or NULL. */
char *user_config_home(void);

/*
 * Where binary (an absolute path from a descriptor) is shown to be on
 * this system: DIR + binary under --root.  The result is allocated.
 */
char *searchpath_host_path(const struct searchpath *sp, const char *binary);

#endif
