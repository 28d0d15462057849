/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "rootfs.h"
#include "util.h"

/*
 * valgrind (3.19) does not know openat2 and says so on stderr at every
 * call: under it, go straight to the walk, which follows the same rules.
 */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* The kernel's limit on links followed in one resolution. */
#define MAX_LINKS 40

/* Read-only, never blocking on a FIFO, never becoming our terminal. */
#define READ_FLAGS (O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

/* Whether the kernel has openat2; once it said ENOSYS, it is not asked again. */
static bool no_openat2;

static int openat2_in_root(int root, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned)flags,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	if (no_openat2 || RUNNING_ON_VALGRIND) {
		errno = ENOSYS;
		return -1;
	}
	fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		no_openat2 = true;
	return fd;
}

/* The directory fds of a walk, the root at the bottom. */
struct walk {
	int fd[PATH_MAX / 2];
	size_t depth;
};

static void walk_pop_to(struct walk *w, size_t depth)
{
	while (w->depth > depth)
		close(w->fd[--w->depth]);
}

/*
 * The next component of what is left of a path, cut off from *rest
 * (which moves past it); NULL when none is left.
 */
static char *next_component(char **rest)
{
	char *comp;

	while (**rest == '/')
		(*rest)++;
	if (!**rest)
		return NULL;
	comp = *rest;
	*rest += strcspn(*rest, "/");
	if (**rest)
		*(*rest)++ = '\0';
	return comp;
}

/*
 * Follow link fd (closed here): what is left of the walk is its target,
 * then rest, an absolute target from the root again.  0, or an errno
 * value.
 */
static int walk_link(struct walk *w, int fd, int *links, char **todo,
		     char **rest)
{
	char target[PATH_MAX + 1], *joined;
	ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);

	close(fd);
	if (n < 0 || ++*links > MAX_LINKS)
		return n < 0 ? errno : ELOOP;
	target[n] = '\0';
	if (target[0] == '/')
		walk_pop_to(w, 1);
	joined = xasprintf("%s/%s", target, *rest);
	free(*todo);
	*todo = *rest = joined;
	return 0;
}

/*
 * What openat2 RESOLVE_IN_ROOT does, for a kernel (or valgrind) without
 * it: one component at a time, never following a link by path, absolute
 * targets and ".." kept inside root.  Returns an O_PATH handle; with
 * follow_last false, on a final link itself.
 */
static int walk_in_root(int root, const char *path, bool follow_last)
{
	struct walk *w = xmalloc(sizeof(*w));
	char *todo = xstrdup(path), *rest = todo;
	int links = 0, result = -1, err = 0;

	w->depth = 0;
	w->fd[w->depth++] = fcntl(root, F_DUPFD_CLOEXEC, 0);
	if (w->fd[0] < 0) {
		err = errno;
		goto out;
	}
	for (;;) {
		char *comp = next_component(&rest);
		struct stat st;
		int fd;

		if (!comp) {
			result = fcntl(w->fd[w->depth - 1], F_DUPFD_CLOEXEC, 0);
			err = result < 0 ? errno : 0;
			break;
		}
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			walk_pop_to(w, w->depth > 1 ? w->depth - 1 : 1);
			continue;
		}
		fd = openat(w->fd[w->depth - 1], comp,
			    O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			err = errno;
			if (fd >= 0)
				close(fd);
			break;
		}
		if (S_ISLNK(st.st_mode) && (*rest || follow_last)) {
			err = walk_link(w, fd, &links, &todo, &rest);
			if (err)
				break;
			continue;
		}
		if (*rest && !S_ISDIR(st.st_mode))
			err = ENOTDIR;
		else if (w->depth == sizeof(w->fd) / sizeof(w->fd[0]))
			err = ENAMETOOLONG;
		if (err) {
			close(fd);
			break;
		}
		w->fd[w->depth++] = fd;
	}
out:
	walk_pop_to(w, 0);
	free(w);
	free(todo);
	errno = err;
	return result;
}

int rootfs_open(struct rootfs *fs, const char *dir)
{
	fs->fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fs->fd < 0 ? errno : 0;
}

void rootfs_close(struct rootfs *fs)
{
	if (fs->fd >= 0)
		close(fs->fd);
	fs->fd = -1;
}

int rootfs_path(const struct rootfs *fs, const char *path)
{
	int fd;

	if (!fs || fs->fd < 0)
		return open(path, O_PATH | O_CLOEXEC);
	fd = openat2_in_root(fs->fd, path, O_PATH | O_CLOEXEC);
	if (fd < 0 && errno == ENOSYS)
		fd = walk_in_root(fs->fd, path, true);
	return fd;
}

/* An O_PATH handle on path itself, a link not followed (in the root). */
static int path_nofollow(const struct rootfs *fs, int dirfd, const char *path)
{
	int fd;

	if (!fs || fs->fd < 0)
		return openat(dirfd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	fd = openat2_in_root(fs->fd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOSYS)
		fd = walk_in_root(fs->fd, path, false);
	return fd;
}

/* Most links a loop check follows before it calls the chain long, not looping. */
#define MAX_CHAIN 256

char *rootfs_unresolved_reason(const struct rootfs_dir *d, const char *name,
			       bool symlink, int err)
{
	if (!symlink)
		return xstrdup(strerror(err));
	if (err == ENOENT)
		return xstrdup("dangling symbolic link");
	if (err == ELOOP && rootfs_link_loops(d, name))
		return xstrdup("symbolic link loop");
	if (err == ELOOP)
		return xstrdup("too many levels of symbolic links");
	return xasprintf("symbolic link cannot be followed: %s",
			 strerror(err));
}

/*
 * One step along a chain of links: when cur (relative to dirfd, or in
 * the root) is a link, the link's own status in *st and its target as a
 * path from the same place; otherwise NULL.
 */
static char *link_step(const struct rootfs *fs, int dirfd, const char *cur,
		       struct stat *st)
{
	char target[PATH_MAX + 1];
	const char *slash;
	ssize_t len;
	int fd = path_nofollow(fs, dirfd, cur);

	if (fd < 0)
		return NULL;
	if (fstat(fd, st) < 0 || !S_ISLNK(st->st_mode)) {
		close(fd);
		return NULL;
	}
	len = readlinkat(fd, "", target, sizeof(target) - 1);
	close(fd);
	if (len < 0)
		return NULL;
	target[len] = '\0';
	/* A relative target is relative to the link's own directory. */
	slash = strrchr(cur, '/');
	if (target[0] == '/' || !slash)
		return xstrdup(target);
	return xasprintf("%.*s/%s", (int)(slash - cur), cur, target);
}

bool rootfs_link_loops(const struct rootfs_dir *d, const char *name)
{
	struct { dev_t dev; ino_t ino; } seen[MAX_CHAIN];
	bool in_root = d->fs && d->fs->fd >= 0;
	char *cur = in_root ? path_join(d->where, name) : xstrdup(name);
	bool loop = false;

	for (size_t n = 0; n < MAX_CHAIN && cur && !loop; n++) {
		struct stat st;
		char *next = link_step(d->fs, d->fd, cur, &st);

		if (next) {
			for (size_t i = 0; i < n && !loop; i++)
				loop = seen[i].dev == st.st_dev &&
				       seen[i].ino == st.st_ino;
			seen[n].dev = st.st_dev;
			seen[n].ino = st.st_ino;
		}
		free(cur);
		cur = next;
	}
	free(cur);
	return loop;
}

int rootfs_dir(const struct rootfs *fs, const char *path)
{
	int fd, dfd;

	if (!fs || fs->fd < 0)
		return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fd = rootfs_path(fs, path);
	if (fd < 0)
		return -1;
	dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(fd);
	return dfd;
}

/*
 * This process's /proc/self/fd, opened once: reopening through it walks
 * one name instead of four for every file read.  Only this process uses
 * it (a probe's child execs at once and never reopens), and it is not
 * inherited (O_CLOEXEC).  -1 when /proc cannot give it: then each
 * reopen walks the whole path.
 */
static int proc_fd_dir(void)
{
	static int dir = -2;

	if (dir == -2)
		dir = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return dir;
}

int rootfs_reopen(int path_fd)
{
	char proc[64];
	int dir = proc_fd_dir();

	if (dir >= 0) {
		snprintf(proc, sizeof(proc), "%d", path_fd);
		return openat(dir, proc, READ_FLAGS);
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", path_fd);
	return open(proc, READ_FLAGS);
}

/*
 * Fill node from O_PATH handle fd, which may be -1 from a failed open:
 * true with node->st known, or false with the cause in node->error and
 * fd closed.
 */
static bool stat_handle(int fd, struct rootfs_node *node)
{
	if (fd >= 0 && fstat(fd, &node->st) == 0) {
		node->known = true;
		return true;
	}
	node->error = errno;
	if (fd >= 0)
		close(fd);
	return false;
}

/* An O_PATH handle on what entry name of d resolves to. */
static int follow_entry(const struct rootfs_dir *d, const char *name)
{
	char *path;
	int fd;

	if (!d->fs || d->fs->fd < 0)
		return openat(d->fd, name, O_PATH | O_CLOEXEC);
	path = path_join(d->where, name);
	fd = rootfs_path(d->fs, path);
	free(path);
	return fd;
}

/*
 * Under a root, a link whose chain ends at /dev/null stands for the null
 * device, as it will on the target system, where the staged tree most
 * likely has none.
 */
static bool links_to_devnull(const struct rootfs_dir *d, const char *name)
{
	char *cur;
	bool devnull = false;

	if (!d->fs || d->fs->fd < 0)
		return false;
	cur = path_join(d->where, name);
	for (int hops = 0; hops < MAX_LINKS && !devnull; hops++) {
		struct stat st;
		char *next = link_step(d->fs, -1, cur, &st);

		if (!next)
			break;
		free(cur);
		cur = path_normalize(next);
		free(next);
		devnull = strcmp(cur, "/dev/null") == 0;
	}
	free(cur);
	return devnull;
}

/* Follow link name of d and fstat what it leads to; O_PATH handle or -1. */
static int resolve_link(const struct rootfs_dir *d, const char *name,
			struct rootfs_node *node)
{
	int fd;

	node->symlink = true;
	if (links_to_devnull(d, name)) {
		node->known = stat("/dev/null", &node->st) == 0;
		node->error = node->known ? 0 : errno;
		return -1;
	}
	fd = follow_entry(d, name);
	return stat_handle(fd, node) ? fd : -1;
}

/* Open the regular file that O_PATH handle fd is, for reading. */
static void open_resolved(int fd, struct rootfs_node *node)
{
	if (S_ISREG(node->st.st_mode)) {
		node->fd = rootfs_reopen(fd);
		if (node->fd < 0)
			node->error = errno;
	}
	close(fd);
}

static void node_init(struct rootfs_node *node)
{
	memset(node, 0, sizeof(*node));
	node->fd = -1;
}

void rootfs_classify(const struct rootfs_dir *d, const char *name,
		     unsigned char d_type, bool want_stat,
		     struct rootfs_node *node)
{
	int fd;

	node_init(node);
	if (d_type == DT_REG && !want_stat)
		return;
	if (d_type != DT_LNK) {
		if (fstatat(d->fd, name, &node->st, AT_SYMLINK_NOFOLLOW) < 0) {
			node->error = errno;
			return;
		}
		node->known = true;
		if (!S_ISLNK(node->st.st_mode))
			return;
		node->known = false;
	}
	fd = resolve_link(d, name, node);
	if (fd >= 0)
		close(fd);
}

/*
 * Look before opening: a handle that cannot read (O_PATH, links not
 * followed) is classified, and only a regular file is then opened,
 * through that handle, so that an entry swapped for a FIFO or a device
 * in between is never opened for reading.  A link is resolved to such a
 * handle in turn.
 */
void rootfs_open_entry(const struct rootfs_dir *d, const char *name,
		       struct rootfs_node *node)
{
	int fd;

	node_init(node);
	fd = openat(d->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (!stat_handle(fd, node))
		return;
	if (S_ISLNK(node->st.st_mode)) {
		close(fd);
		node->known = false;
		fd = resolve_link(d, name, node);
		if (fd < 0)
			return;
	}
	open_resolved(fd, node);
}

/*
 * The direct route: true with node filled in (fd open when it is a
 * regular file), false when open or fstat failed and the entry is to
 * be looked at the careful way, which says why.
 */
static bool open_direct(const struct rootfs_dir *d, const char *name,
			struct rootfs_node *node)
{
	int fd = openat(d->fd, name, READ_FLAGS | O_NOFOLLOW);

	if (fd < 0)
		return false;
	if (fstat(fd, &node->st) < 0) {
		close(fd);
		return false;
	}
	node->known = true;
	if (S_ISREG(node->st.st_mode))
		node->fd = fd;
	else
		close(fd);
	return true;
}

void rootfs_open_listed(const struct rootfs_dir *d, const char *name,
			unsigned char d_type, struct rootfs_node *node)
{
	node_init(node);
	if (d->direct && d_type == DT_REG && open_direct(d, name, node))
		return;
	rootfs_open_entry(d, name, node);
}

char *rootfs_shown_path(int fd, const char *given)
{
	char proc[64], real[PATH_MAX];
	struct stat a, b;
	ssize_t n;

	if (stat(given, &a) == 0 && fstat(fd, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return xstrdup(given);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, real, sizeof(real) - 1);
	if (n <= 0 || real[0] != '/')
		return xstrdup(given);
	real[n] = '\0';
	return xstrdup(real);
}
