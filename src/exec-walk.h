/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The walk of a path the kernel or the loader will open by name (SPEC
 * §3.1, "the printed path is judged"): from "/", one component at a
 * time, holding an O_PATH|O_NOFOLLOW handle at each step and following
 * links inside the walk, never by path.  When judged, each directory,
 * each link and each component of a link's target must be root's (or
 * the run-as user's) and writable by no one else; what cannot be looked
 * at is never taken for root's.  The same walk says when a piece is
 * missing, for every caller.  Nothing here prints.
 */
#ifndef VUF_EXEC_WALK_H
#define VUF_EXEC_WALK_H

#include <stdbool.h>
#include <sys/types.h>

struct exec_rules {
	bool judged;		/* the trust rules apply (a privileged caller) */
	uid_t other;		/* who may own pieces besides root, or TRUST_ROOT_ONLY */
	char *const *env;	/* --env NAME=VALUE (NULL-terminated, or NULL):
				   PATH, and the LD_ variables when judged
				   (exec_judge's; the walk reads none of it) */
};

enum exec_verdict {
	EXEC_OK,
	EXEC_CANNOT_START,	/* missing, or a piece execve needs is missing */
	EXEC_NOT_TRUSTED,	/* a piece another user controls */
};

/*
 * Open path (absolute) by the walk, judging each step when r->judged.
 * An O_PATH handle on what it names, or -1 with *why allocated ("not
 * found", "directory /home/a is owned by alice (uid 1000)", ...) and
 * *verdict set.
 */
int exec_walk(const struct exec_rules *r, const char *path,
	      enum exec_verdict *verdict, char **why);

/* What one walk found, for a caller that needs more than the handle. */
struct exec_walk_result {
	int fd;			/* O_PATH on what the path names, or -1 */
	enum exec_verdict verdict;
	char *why;		/* when fd is -1 */
	char *path;		/* the path resolved, links followed, when found */
	bool creatable;		/* missing, in a directory others may write */
};

/*
 * The walk of exec_walk, with what it found in *res (free it with
 * exec_walk_result_free).  role names what path is in messages
 * ("interpreter", "run path directory", ...); NULL: the program itself.
 */
void exec_walk_path(const struct exec_rules *r, const char *path,
		    const char *role, struct exec_walk_result *res);
void exec_walk_result_free(struct exec_walk_result *res);

#endif
