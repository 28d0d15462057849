/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to probe.c and reaper.c: what crosses the clone.  The tool
 * fills a struct spawn and clones; the child runs reaper_main() and
 * answers with one struct end_message on the socket pair.
 */
#ifndef VUF_REAPER_H
#define VUF_REAPER_H

#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <sys/types.h>

#include "probe.h"

/* After SIGTERM, how long a backend may take to go before SIGKILL. */
#define PROBE_GRACE_MS 200
/* How long a sweep, or the reaper's own end, may take. */
#define PROBE_REAP_MS 1000

/* How a run is contained; the first two are namespaces. */
enum mode {
	MODE_PIDNS,		/* root: CLONE_NEWPID */
	MODE_USERNS,		/* unprivileged: CLONE_NEWUSER | CLONE_NEWPID */
	MODE_REFUSED,		/* subreaper: the kernel refused a namespace */
	MODE_TESTING,		/* subreaper: PROBE_NO_NAMESPACE_ENV is set */
};

static inline bool namespaced(enum mode m)
{
	return m == MODE_PIDNS || m == MODE_USERNS;
}

/* What an end_message says. */
enum { END_EXITED, END_FAILED };

/* The steps of starting a backend that can fail, for END_FAILED. */
enum step {
	STEP_MAP,		/* the user namespace's id maps: try without */
	STEP_PIPE,
	STEP_FORK,
	STEP_SETSID,
	STEP_FDS,
	STEP_CHDIR,
	STEP_GROUPS,
	STEP_GID,
	STEP_UID,
	STEP_NO_NEW_PRIVS,
	STEP_EXEC,
};

/*
 * How the backend ended, or which step of its start failed: the
 * reaper's one message to the tool, and what the backend writes to
 * the reaper on its pipe when a step fails.
 */
struct end_message {
	int what;		/* END_* */
	int step;		/* END_FAILED: the step that failed */
	int value;		/* the backend's wait status, or an errno value */
};

/*
 * Everything the reaper and the backend need, made ready by the tool
 * before the clone: after it, they only use what is here.
 */
struct spawn {
	enum mode mode;
	const struct probe_program *prog;
	const char *const *argv;
	char **envp;
	uid_t uid;		/* the tool's, for a user namespace's maps */
	gid_t gid;
	/* async_fatal_signals(), made by the tool: SIGRTMIN is a libc call. */
	sigset_t fatal;
	int ctl;		/* the reaper's end of the socket pair */
	int null;		/* /dev/null, the backend's stdin */
	int out;		/* write ends of the backend's stdout, stderr */
	int err;
};

/* Time, on both sides: clock_gettime() is async-signal-safe. */

static inline long ms_until(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (t->tv_sec - now.tv_sec) * 1000 +
	       (t->tv_nsec - now.tv_nsec) / 1000000;
}

static inline struct timespec ms_from_now(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

static inline struct timespec ms_span(long ms)
{
	if (ms < 0)
		ms = 0;
	return (struct timespec){ ms / 1000, (ms % 1000) * 1000000 };
}

/*
 * The child of the clone: moves its descriptors, starts the backend
 * and reaps until the run is over.  Never returns.
 */
_Noreturn void reaper_main(struct spawn *s);

#endif
