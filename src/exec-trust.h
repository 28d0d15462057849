/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What execve will load for a program, and whether root may let it
 * (SPEC §3.1): the program, each level of a "#!" chain, the ELF program
 * interpreter (the dynamic loader), the libraries its DT_RPATH and
 * DT_RUNPATH directories give for each DT_NEEDED name, transitively,
 * with those directories, "#!/usr/bin/env NAME" through PATH, and, for a
 * probe, the paths in --env's LD_PRELOAD, LD_LIBRARY_PATH and LD_AUDIT.
 * Every path the kernel or the loader will open by name is judged by the
 * walk of exec-walk.h.  The same checks say when a program cannot start
 * at all (a missing interpreter or loader), for every caller.  Nothing
 * here prints.
 */
#ifndef VUF_EXEC_TRUST_H
#define VUF_EXEC_TRUST_H

#include <stdbool.h>

#include "exec-walk.h"

/*
 * Judge what execve loads for the program fd (an O_PATH handle on a
 * regular file, itself already judged): EXEC_OK, or a verdict with *why
 * allocated.  *script tells whether it is a "#!" file (its handle must
 * stay open for the interpreter).
 */
enum exec_verdict exec_judge(const struct exec_rules *r, int fd,
			     bool *script, char **why);

#endif
