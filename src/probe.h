/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running one untrusted program safely and collecting what it printed
 * (SPEC §5): the file that was checked is the one that runs, in a clean
 * environment and session of its own, as the user trust.c chose, with a
 * deadline and a cap on output; when the run ends, no process of it is
 * left.  Knows nothing of what the output means; nothing here prints.
 */
#ifndef VUF_PROBE_H
#define VUF_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Output past this is a failure, and the program is killed. */
#define PROBE_MAX_OUTPUT (1024 * 1024)
/* The most of the first line of its stderr that a reason quotes. */
#define PROBE_MAX_ERR_LINE 200

/* The minimal environment a program gets (SPEC §5), before --env. */
#define PROBE_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define PROBE_LOCALE "LC_ALL=C"

/* The testing aid that forces the fallback containment (man page). */
#define PROBE_NO_NAMESPACE_ENV "VHOST_USER_FIND_NO_NAMESPACE"

enum probe_status {
	PROBE_OK,		/* exited with status 0 */
	PROBE_NOT_FOUND,	/* exec found nothing to run */
	PROBE_NOT_EXECUTABLE,	/* exists, but cannot be started */
	PROBE_SPAWN_FAILED,	/* our own machinery failed */
	PROBE_TIMEOUT,		/* no exit before the deadline */
	PROBE_SIGNALED,		/* killed by a signal */
	PROBE_EXIT_STATUS,	/* exited non-zero */
	PROBE_TOO_LARGE,	/* printed more than PROBE_MAX_OUTPUT */
};

/* What runs, and as whom: rootfs.c opened it, trust.c chose the user. */
struct probe_program {
	int fd;			/* O_PATH handle on the checked file: it runs */
	const char *path;	/* its name, as argv[0] and in messages */
	bool script;		/* "#!": the handle stays open for the interpreter */
	bool as_other;		/* run as uid:gid, no groups, no new privileges */
	uid_t uid;
	gid_t gid;
};

/* A run being served: what probe_wait() waits on. */
struct probe_run;

/*
 * Someone who talks to the program while it runs (handshake.c), in
 * place of waiting for it to exit: serve(data, run) is called once it
 * has started (again, should the start be retried), and the program is
 * ended, as a run past its deadline is, when serve returns.  done(data),
 * if given, is called once every process of the run is gone, also when
 * a signal interrupted the run and is about to end the tool.
 */
struct probe_client {
	void (*serve)(void *data, struct probe_run *run);
	void (*done)(void *data);
	void *data;
};

struct probe_options {
	int timeout_ms;
	/* NAME=VALUE added to the minimal environment; NULL-terminated, or NULL. */
	char *const *env;
	/* NULL for a probe: the run lasts until the program exits. */
	const struct probe_client *client;
};

struct probe_result {
	enum probe_status status;
	char *reason;		/* set when status != PROBE_OK, in words */
	char *out;		/* its stdout, NUL-terminated, when PROBE_OK */
	size_t len;
	/*
	 * The first line of its stderr (at most PROBE_MAX_ERR_LINE bytes), or
	 * NULL.  A served run that its client ended is PROBE_OK.
	 */
	char *err_line;
	/*
	 * How the run was contained, in words for -v that follow a verb:
	 * "in a PID namespace", "under a subreaper (...)"; NULL if none ran.
	 */
	const char *containment;
};

/*
 * Run prog with arguments argv (argv[0] is prog->path): stdin from
 * /dev/null, stdout and stderr collected, no other descriptor inherited
 * (but a script's own handle), the minimal environment plus o->env.
 * Always fills *result; returns result->status.
 */
enum probe_status probe_run(const struct probe_program *prog,
			    const char *const argv[],
			    const struct probe_options *o,
			    struct probe_result *result);

void probe_result_free(struct probe_result *result);

/*
 * In serve: wait at most ms (-1: until the deadline) for events on fd
 * (-1: none), reading the program's output meanwhile.  fd's revents
 * when it is ready, 0 when ms passed, -1 when the run is over: the
 * program ended (once what it left on fd is taken), the deadline
 * passed, its output grew too large or a signal came.
 */
int probe_wait(struct probe_run *run, int fd, short events, long ms);

#endif
