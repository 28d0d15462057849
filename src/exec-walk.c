/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec-walk.h"
#include "trust.h"
#include "util.h"

/* The kernel's limit on links in one resolution. */
#define MAX_LINKS 40
/* Directory levels one walk holds. */
#define MAX_LEVELS 256

/* A walk in progress: the directories held, "/" at the bottom. */
struct walk {
	const struct exec_rules *r;
	const char *role;	/* what the path is, for messages; NULL: the program */
	const char *target;	/* the path walked, as asked */
	int fd[MAX_LEVELS];
	/* Others may write it, but it is root's and sticky: only root's entries count. */
	bool sticky[MAX_LEVELS];
	size_t len[MAX_LEVELS];	/* how much of path[] names it */
	size_t depth;
	char path[PATH_MAX];
	struct exec_walk_result *res;
};

__attribute__((format(printf, 3, 4)))
static bool walk_fail(struct walk *w, enum exec_verdict v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	w->res->verdict = v;
	w->res->why = xvasprintf(fmt, ap);
	va_end(ap);
	return false;
}

/*
 * Whether the step onto entry shown (st, opened as fd) keeps the path
 * root's: owned by root (or r->other), writable by no one else, and not
 * another's entry in a directory others may write.  *sticky: a directory
 * others may write but root owns and has made sticky.
 */
static bool judge_step(struct walk *w, int fd, const struct stat *st,
		       const char *shown, bool last, bool *sticky)
{
	const char *kind = S_ISDIR(st->st_mode) ? "directory " :
		S_ISLNK(st->st_mode) ? "link " : "";
	char *doubt;
	bool in_sticky = w->depth && w->sticky[w->depth - 1];

	*sticky = false;
	if (!w->r->judged)
		return true;
	doubt = trust_owner_doubt(st, w->r->other);
	if (!doubt && in_sticky && st->st_uid != 0 && st->st_uid != w->r->other)
		doubt = xasprintf("in a directory others may write, and not root's");
	if (!doubt) {
		doubt = trust_write_doubt(fd, st, shown);
		if (doubt && S_ISDIR(st->st_mode) && st->st_uid == 0 &&
		    (st->st_mode & S_ISVTX)) {
			free(doubt);
			doubt = NULL;
			*sticky = true;
		}
	}
	if (!doubt)
		return true;
	if (last && !w->role)
		walk_fail(w, EXEC_NOT_TRUSTED, "%s", doubt);
	else if (last)
		walk_fail(w, EXEC_NOT_TRUSTED, "%s %s is %s", w->role, shown, doubt);
	else if (w->role)
		walk_fail(w, EXEC_NOT_TRUSTED, "%s %s: %s%s is %s", w->role,
			  w->target, kind, shown, doubt);
	else
		walk_fail(w, EXEC_NOT_TRUSTED, "%s%s is %s", kind, shown, doubt);
	free(doubt);
	return false;
}

static void walk_pop_to(struct walk *w, size_t depth)
{
	while (w->depth > depth)
		close(w->fd[--w->depth]);
	w->path[w->len[w->depth ? w->depth - 1 : 0]] = '\0';
}

static bool walk_push(struct walk *w, int fd, bool sticky)
{
	if (w->depth == MAX_LEVELS) {
		close(fd);
		return walk_fail(w, EXEC_CANNOT_START, "%s",
				 strerror(ENAMETOOLONG));
	}
	w->fd[w->depth] = fd;
	w->sticky[w->depth] = sticky;
	w->len[w->depth] = strlen(w->path);
	w->depth++;
	return true;
}

/* The entry comp of the directory on top: missing, or not to be looked at. */
static bool walk_unreachable(struct walk *w, const char *shown, int err)
{
	if (err == ENOENT || err == ENOTDIR) {
		w->res->creatable = w->sticky[w->depth - 1];
		return walk_fail(w, EXEC_CANNOT_START, "not found");
	}
	/* What cannot be looked at is never taken for root's. */
	return walk_fail(w, w->r->judged ? EXEC_NOT_TRUSTED : EXEC_CANNOT_START,
			 "%s cannot be looked at: %s", shown, strerror(err));
}

/* Follow link fd (at shown): the rest of the walk is its target, then rest. */
static bool walk_link(struct walk *w, int fd, const char *shown, int *links,
		      char **todo, char **rest)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);
	char *joined;

	close(fd);
	if (n < 0)
		return walk_unreachable(w, shown, errno);
	if (++*links > MAX_LINKS)
		return walk_fail(w, EXEC_CANNOT_START, "%s", strerror(ELOOP));
	target[n] = '\0';
	if (target[0] == '/')
		walk_pop_to(w, 1);
	joined = xasprintf("%s/%s", target, *rest);
	free(*todo);
	*todo = *rest = joined;
	return true;
}

/* One component: false when the walk ends here (found or failed). */
static bool walk_step(struct walk *w, char **todo, char **rest, int *links)
{
	char *comp, shown[PATH_MAX];
	struct stat st;
	bool sticky;
	int fd;

	while (**rest == '/')
		(*rest)++;
	if (!**rest) {
		w->res->fd = fcntl(w->fd[w->depth - 1], F_DUPFD_CLOEXEC, 0);
		w->res->path = xstrdup(w->path[0] ? w->path : "/");
		return false;
	}
	comp = *rest;
	*rest += strcspn(*rest, "/");
	if (**rest)
		*(*rest)++ = '\0';
	if (strcmp(comp, ".") == 0)
		return true;
	if (strcmp(comp, "..") == 0) {
		walk_pop_to(w, w->depth > 1 ? w->depth - 1 : 1);
		return true;
	}
	if ((size_t)snprintf(shown, sizeof(shown), "%s/%s", w->path, comp) >=
	    sizeof(shown))
		return walk_fail(w, EXEC_CANNOT_START, "%s", strerror(ENAMETOOLONG));
	fd = openat(w->fd[w->depth - 1], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		return walk_unreachable(w, shown, err);
	}
	if (!judge_step(w, fd, &st, shown, !**rest && !S_ISLNK(st.st_mode),
			&sticky)) {
		close(fd);
		return false;
	}
	if (S_ISLNK(st.st_mode))
		return walk_link(w, fd, shown, links, todo, rest);
	if (**rest && !S_ISDIR(st.st_mode)) {
		close(fd);
		return walk_unreachable(w, shown, ENOTDIR);
	}
	strcpy(w->path, shown);
	return walk_push(w, fd, sticky);
}

void exec_walk_path(const struct exec_rules *r, const char *path,
		    const char *role, struct exec_walk_result *res)
{
	struct walk *w = xcalloc(1, sizeof(*w));
	char *todo = xstrdup(path), *rest = todo;
	struct stat st;
	int links = 0, fd;
	bool sticky;

	memset(res, 0, sizeof(*res));
	res->fd = -1;
	w->r = r;
	w->role = role;
	w->target = path;
	w->res = res;
	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		walk_fail(w, EXEC_NOT_TRUSTED, "/ cannot be looked at: %s",
			  strerror(errno));
		if (fd >= 0)
			close(fd);
	} else if (!judge_step(w, fd, &st, "/", false, &sticky)) {
		close(fd);
	} else if (walk_push(w, fd, sticky)) {
		while (walk_step(w, &todo, &rest, &links))
			;
	}
	walk_pop_to(w, 0);
	free(w);
	free(todo);
}

void exec_walk_result_free(struct exec_walk_result *res)
{
	if (res->fd >= 0)
		close(res->fd);
	free(res->why);
	free(res->path);
}

int exec_walk(const struct exec_rules *r, const char *path,
	      enum exec_verdict *verdict, char **why)
{
	struct exec_walk_result res;
	int fd;

	exec_walk_path(r, path, NULL, &res);
	fd = res.fd;
	res.fd = -1;
	*verdict = res.verdict;
	*why = res.why;
	res.why = NULL;
	exec_walk_result_free(&res);
	return fd;
}
