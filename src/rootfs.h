/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one way to reach a file (SPEC §3, §4 item 3).  Under --root DIR,
 * every path is resolved as if DIR were /: absolute symlinks mean DIR +
 * target and ".." never climbs above DIR (openat2 RESOLVE_IN_ROOT, or
 * the same walk done here where the kernel has no openat2).  A directory
 * entry is classified from a handle that cannot read (O_PATH), or from
 * what readdir says of it; only a regular file is ever opened for
 * reading, and it is checked with fstat before it is read.  Nothing here
 * prints.
 */
#ifndef VUF_ROOTFS_H
#define VUF_ROOTFS_H

#include <stdbool.h>
#include <sys/stat.h>

struct rootfs {
	int fd;			/* DIR (O_PATH), or -1: the host's own / */
};

/* Open dir as the root; 0, or an errno value. */
int rootfs_open(struct rootfs *fs, const char *dir);
void rootfs_close(struct rootfs *fs);

/*
 * An O_PATH handle on path, following links: in fs's root when fs is not
 * NULL and has one (path absolute), else as the host resolves it.  -1
 * with errno set when it cannot be resolved.
 */
int rootfs_path(const struct rootfs *fs, const char *path);

/* A directory to list, found as rootfs_path finds a path; -1 and errno. */
int rootfs_dir(const struct rootfs *fs, const char *path);

/*
 * A directory being read: its handle, and how its entries' links are
 * followed (in fs's root at where, or relative to fd on the host).
 */
struct rootfs_dir {
	const struct rootfs *fs;	/* NULL: the host's paths */
	const char *where;	/* the directory's path in the root */
	int fd;
	/*
	 * Only the caller or root can write it (trust_sole_writer, decided
	 * once from fd): no one else can swap an entry, and one readdir
	 * calls a regular file is opened directly (rootfs_open_listed).
	 */
	bool direct;
};

/*
 * What a directory entry or a file is, after following links, and, when
 * opened for reading, its descriptor.
 */
struct rootfs_node {
	struct stat st;		/* of what it resolves to, when known */
	bool known;		/* st is filled in */
	bool symlink;		/* the entry itself is a symbolic link */
	int error;		/* errno when it cannot be resolved or opened */
	int fd;			/* open for reading (a regular file), or -1 */
};

/*
 * Classify entry name of d without opening anything to read.  d_type is
 * readdir's (DT_UNKNOWN when not known): a regular file's is trusted and
 * nothing is asked of the kernel, unless want_stat (the trust rules need
 * the owner).  Under a root, a link to "/dev/null" is the null device,
 * as it will be on the target system.
 */
void rootfs_classify(const struct rootfs_dir *d, const char *name,
		     unsigned char d_type, bool want_stat,
		     struct rootfs_node *node);

/*
 * Open entry name of d for reading, but only if it is a regular file
 * (node->fd; close it), else say what it is or why it could not be
 * opened.  The entry is looked at from an O_PATH handle first (a link
 * resolved to one), and only a regular file is opened, through that
 * handle.
 */
void rootfs_open_entry(const struct rootfs_dir *d, const char *name,
		       struct rootfs_node *node);

/*
 * The same for an entry as readdir listed it (d_type): in a directory
 * only the caller or root can write (d->direct), one it calls a regular
 * file is opened directly, O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_NOCTTY,
 * and fstat'ed before it is read (SPEC §4 item 3); anything else, and an
 * entry that open refuses (a link, now), takes rootfs_open_entry's route.
 */
void rootfs_open_listed(const struct rootfs_dir *d, const char *name,
			unsigned char d_type, struct rootfs_node *node);

/*
 * Why entry name of d (a symbolic link or not) cannot be resolved, errno
 * err, in words a sysadmin knows: "dangling symbolic link", ...
 * Allocated.
 */
char *rootfs_unresolved_reason(const struct rootfs_dir *d, const char *name,
			       bool symlink, int err);

/*
 * When entry name of d cannot be resolved for ELOOP: whether its links
 * really come round to one of themselves, rather than being a chain
 * longer than the kernel follows.
 */
bool rootfs_link_loops(const struct rootfs_dir *d, const char *name);

/*
 * How to name the directory fd is, found in a root by the path given
 * (DIR + where): that path when the host finds the same directory by
 * it, else the one the kernel has for fd, so that a printed path never
 * names a host file the staged tree's links led away from.  Allocated.
 */
char *rootfs_shown_path(int fd, const char *given);

/* Reopen an O_PATH handle on a regular file for reading; -1 and errno. */
int rootfs_reopen(int path_fd);

#endif
