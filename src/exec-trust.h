/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What execve will load for a program, and whether root may let it
 * (SPEC §3.1): the program, each level of a "#!" chain, the ELF program
 * interpreter (the dynamic loader), the libraries its DT_RPATH and
 * DT_RUNPATH directories give for each DT_NEEDED name, transitively,
 * with those directories, "#!/usr/bin/env NAME" through PATH, and, for a
 * probe, the paths in --env's LD_PRELOAD, LD_LIBRARY_PATH and LD_AUDIT.
 * Every path the kernel or the loader will open by name is judged by one
 * walk from "/" that holds a handle at each step: each directory, each
 * link and each component of a link's target must be root's (or the
 * run-as user's) and writable by no one else.  The same checks say when
 * a program cannot start at all (a missing interpreter or loader), for
 * every caller.  Nothing here prints.
 */
#ifndef VUF_EXEC_TRUST_H
#define VUF_EXEC_TRUST_H

#include <stdbool.h>
#include <sys/types.h>

struct exec_rules {
	bool judged;		/* the trust rules apply (a privileged caller) */
	uid_t other;		/* who may own pieces besides root, or TRUST_ROOT_ONLY */
	char *const *env;	/* --env NAME=VALUE (NULL-terminated, or NULL):
				   PATH, and the LD_ variables when judged */
};

enum exec_verdict {
	EXEC_OK,
	EXEC_CANNOT_START,	/* missing, or a piece execve needs is missing */
	EXEC_NOT_TRUSTED,	/* a piece another user controls */
};

/*
 * Open path (absolute) by a walk from "/" that follows links inside the
 * walk, judging each step when r->judged.  An O_PATH handle on what it
 * names, or -1 with *why allocated ("not found", "directory /home/a is
 * owned by alice (uid 1000)", ...) and *verdict set.
 */
int exec_walk(const struct exec_rules *r, const char *path,
	      enum exec_verdict *verdict, char **why);

/*
 * Judge what execve loads for the program fd (an O_PATH handle on a
 * regular file, itself already judged): EXEC_OK, or a verdict with *why
 * allocated.  *script tells whether it is a "#!" file (its handle must
 * stay open for the interpreter).
 */
enum exec_verdict exec_judge(const struct exec_rules *r, int fd,
			     bool *script, char **why);

#endif
