/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running one untrusted program safely and collecting what it printed
 * (SPEC §5): whether it can start at all, a deadline, a cap on output,
 * and no process of it left behind.  Knows nothing of what the output
 * means; nothing here prints.
 */
#ifndef VUF_PROBE_H
#define VUF_PROBE_H

#include <stddef.h>

/* Output past this is a failure, and the program is killed. */
#define PROBE_MAX_OUTPUT (1024 * 1024)

enum probe_status {
	PROBE_OK,		/* exited with status 0 */
	PROBE_NOT_FOUND,	/* the program does not exist */
	PROBE_NOT_EXECUTABLE,	/* exists, but cannot be started */
	PROBE_SPAWN_FAILED,	/* our fork/exec machinery failed */
	PROBE_TIMEOUT,		/* no exit before the deadline */
	PROBE_SIGNALED,		/* killed by a signal */
	PROBE_EXIT_STATUS,	/* exited non-zero */
	PROBE_TOO_LARGE,	/* printed more than PROBE_MAX_OUTPUT */
};

struct probe_result {
	enum probe_status status;
	char *reason;		/* set when status != PROBE_OK, in words */
	char *out;		/* its stdout, NUL-terminated, when PROBE_OK */
	size_t len;
};

/*
 * Whether the program at path can start, without running it: it exists,
 * is a regular file this user may execute, and when it is a "#!" script,
 * its interpreter exists.  PROBE_OK, or PROBE_NOT_FOUND /
 * PROBE_NOT_EXECUTABLE and an allocated *reason.  The one wording of
 * these failures, for every command.
 */
enum probe_status probe_check_program(const char *path, char **reason);

/*
 * Run argv (argv[0] is the program's path) with stdin from /dev/null,
 * stdout collected, nothing else inherited, a deadline of timeout_ms.
 * Always fills *result; returns result->status.
 */
enum probe_status probe_run(const char *const argv[], int timeout_ms,
			    struct probe_result *result);

void probe_result_free(struct probe_result *result);

#endif
