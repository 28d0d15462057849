/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running one untrusted program (SPEC §5).  It may hang, flood, fork
 * away, call setsid(), ignore SIGTERM or print garbage.  Whatever it
 * does, a run costs at most the deadline plus a short grace and reap,
 * leaves no process of it behind and ends in one precise status.
 *
 * Three processes:
 *
 *   tool --clone--> reaper --fork--> backend (and whatever it starts)
 *
 * This file is the tool's side; reaper.c is the far side of the clone,
 * the reaper and the backend until its exec, and reaper.h what the two
 * share.
 *
 * The reaper is ours: a small loop that starts the backend, reaps
 * everything that ends up its child and reports how the backend ended.
 * Where the kernel allows it, the reaper is process 1 of a PID
 * namespace of its own (for an unprivileged caller, inside a user
 * namespace mapping only the caller's ids), so that its exit makes the
 * kernel kill every process of the run; it dies with the tool
 * (PR_SET_PDEATHSIG).  Elsewhere it is a subreaper and sweeps: it kills
 * its children until it has none.
 *
 * Channels: the backend's stdout and stderr are pipes to the tool; a
 * socket pair joins tool and reaper: the reaper sends one end_message
 * (how the backend ended), the tool may send 'T' (end it gracefully:
 * SIGTERM, a grace, then SIGKILL) and 'K' (kill it now), and hangs up
 * by exiting.
 * The tool signals nothing but its own unreaped child, the reaper, and
 * that only when it outlives every bound.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "output.h"
#include "probe.h"
#include "reaper.h"
#include "util.h"

/* The longest nap: waiting for the reaper, or after a failed ppoll(). */
#define PROBE_POLL_MS 20
#define READ_CHUNK 65536

/* For -v, after a verb: "running X in a PID namespace". */
static const char *const mode_words[] = {
	[MODE_PIDNS] = "in a PID namespace",
	[MODE_USERNS] = "in a user and a PID namespace",
	[MODE_REFUSED] = "under a subreaper (the kernel refused a namespace)",
	[MODE_TESTING] = "under a subreaper (" PROBE_NO_NAMESPACE_ENV " is set)",
};

/* For a reason: "cannot run: setsid: ...". */
static const char *const step_words[] = {
	[STEP_MAP] = "writing its user namespace's id maps",
	[STEP_PIPE] = "pipe",
	[STEP_FORK] = "fork",
	[STEP_SETSID] = "setsid",
	[STEP_FDS] = "setting up its descriptors",
	[STEP_CHDIR] = "chdir /",
	[STEP_GROUPS] = "setgroups",
	[STEP_GID] = "setresgid",
	[STEP_UID] = "setresuid",
	[STEP_NO_NEW_PRIVS] = "PR_SET_NO_NEW_PRIVS",
	[STEP_EXEC] = "exec",
};

/* The tool's view of one run. */
struct run {
	pid_t reaper;
	int ctl, out, err;	/* our ends */
	bool reported;		/* msg holds the reaper's message */
	struct end_message msg;
	bool gone;		/* the reaper hung up */
	int reaper_status;	/* its wait status, once reaped */
	bool timed_out, too_large;
	bool stopped;		/* its client is done: end it gracefully */
	bool out_eof, err_eof;
	char *buf;		/* stdout */
	size_t len;
	char line[PROBE_MAX_ERR_LINE + 1];	/* the first line of stderr */
	size_t line_len;
	bool line_done;
	struct timespec deadline;
};

/*
 * The signals whose default action ends a process and that come from
 * outside rather than from a fault of the process itself (SIGSEGV and
 * the like are left alone).
 */
static void async_fatal_signals(sigset_t *set)
{
	static const int sigs[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM,
		SIGPIPE, SIGVTALRM, SIGPROF, SIGIO, SIGXCPU, SIGXFSZ, SIGPWR,
#ifdef SIGSTKFLT
		SIGSTKFLT,
#endif
	};

	sigemptyset(set);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(set, sigs[i]);
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		sigaddset(set, sig);
}

/* Set by the tool's handlers during a probe; only read outside them. */
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	if (!caught)
		caught = sig;
}

static void on_sigchld(int sig)
{
	(void)sig;
}

struct saved_signals {
	sigset_t mask;			/* the caller's */
	sigset_t replaced;		/* whose action we changed */
	struct sigaction act[NSIG];	/* and what it was */
};

/*
 * For the probe: the signals that would end the tool only set a flag,
 * so that the probe can be ended before the tool dies of them; they,
 * and SIGCHLD, are blocked but inside ppoll().  SIGCHLD gets a handler
 * even where it was ignored (an ignored SIGCHLD reaps our reaper for
 * us) or blocked (a signalfd user): the reaper's exit must wake us.
 * Returns in *waitmask the mask to wait with: the caller's, but SIGCHLD.
 */
static void catch_signals(struct saved_signals *s, sigset_t *waitmask)
{
	struct sigaction flag = { .sa_handler = on_signal };
	struct sigaction chld = { .sa_handler = on_sigchld,
				  .sa_flags = SA_NOCLDSTOP };
	sigset_t block;

	caught = 0;
	sigfillset(&flag.sa_mask);
	sigfillset(&chld.sa_mask);
	async_fatal_signals(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &s->mask);
	sigemptyset(&s->replaced);
	for (int sig = 1; sig < NSIG; sig++) {
		if (!sigismember(&block, sig) ||
		    sigaction(sig, NULL, &s->act[sig]) < 0)
			continue;
		/* A signal ignored by whoever started us stays ignored. */
		if (sig != SIGCHLD && s->act[sig].sa_handler == SIG_IGN)
			continue;
		if (sigaction(sig, sig == SIGCHLD ? &chld : &flag, NULL) == 0)
			sigaddset(&s->replaced, sig);
	}
	*waitmask = s->mask;
	sigdelset(waitmask, SIGCHLD);
}

static void restore_signals(const struct saved_signals *s)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(&s->replaced, sig))
			sigaction(sig, &s->act[sig], NULL);
	sigprocmask(SIG_SETMASK, &s->mask, NULL);
}

/* The minimal environment and the caller's additions; a later NAME wins. */
static char **environment(const struct probe_options *o)
{
	size_t n = 2, k = 0;
	char **all, **env;

	while (o->env && o->env[n - 2])
		n++;
	all = xcalloc(n, sizeof(*all));
	all[0] = (char *)PROBE_PATH;
	all[1] = (char *)PROBE_LOCALE;
	for (size_t i = 2; i < n; i++)
		all[i] = o->env[i - 2];
	env = xcalloc(n + 1, sizeof(*env));
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(all[i], "=");
		bool later = false;

		for (size_t j = i + 1; j < n && !later; j++)
			later = strncmp(all[i], all[j], len + 1) == 0;
		if (!later)
			env[k++] = all[i];
	}
	free(all);
	return env;
}

/* Like fork(), with namespace flags; the raw call, as glibc has none. */
static pid_t clone_process(unsigned long flags)
{
#if defined(__s390__) || defined(__CRIS__)
	return (pid_t)syscall(SYS_clone, 0UL, flags | SIGCHLD, NULL, NULL, NULL);
#else
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0UL, NULL, NULL, NULL);
#endif
}

static unsigned long clone_flags(enum mode mode)
{
	switch (mode) {
	case MODE_PIDNS:
		return CLONE_NEWPID;
	case MODE_USERNS:
		return CLONE_NEWUSER | CLONE_NEWPID;
	default:
		return 0;
	}
}

/* What a kernel, a seccomp filter or an LSM says when it refuses a namespace. */
static bool refused(int err)
{
	return err == EPERM || err == EINVAL || err == ENOSPC ||
	       err == EUSERS || err == ENOSYS;
}

static void close_fds(int *fd, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
}

/*
 * Start the reaper (which starts the backend).  0, or an errno value;
 * *was_refused when the kernel would not make the namespace.
 */
static int start(const struct probe_program *prog, const char *const argv[],
		 const struct probe_options *o, enum mode mode, struct run *r,
		 bool *was_refused)
{
	int ctl[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int null = -1, e = 0;
	struct spawn s = {
		.mode = mode, .prog = prog, .argv = argv,
		.uid = geteuid(), .gid = getegid(),
	};

	*was_refused = false;
	/* Close-on-exec everywhere: the backend gets them by dup only. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctl) < 0 ||
	    pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 ||
	    (null = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		e = errno;
		goto out;
	}
	s.ctl = ctl[1];
	s.null = null;
	s.out = out[1];
	s.err = err[1];
	s.envp = environment(o);
	async_fatal_signals(&s.fatal);
	r->reaper = clone_process(clone_flags(mode));
	if (r->reaper == 0)
		reaper_main(&s);
	if (r->reaper < 0) {
		e = errno;
		*was_refused = namespaced(mode) && refused(e);
	}
	free(s.envp);
	if (!e) {
		r->ctl = ctl[0];
		r->out = out[0];
		r->err = err[0];
		ctl[0] = out[0] = err[0] = -1;
		/* Only our ends: the backend's stay blocking. */
		fcntl(r->out, F_SETFL, O_NONBLOCK);
		fcntl(r->err, F_SETFL, O_NONBLOCK);
	}
out:
	close_fds(ctl, 2);
	close_fds(out, 2);
	close_fds(err, 2);
	if (null >= 0)
		close(null);
	return e;
}

/* Read stdout up to one byte past the cap; at most max bytes when max > 0. */
static void read_out(struct run *r, size_t max)
{
	while (!r->out_eof && !r->too_large) {
		size_t want = PROBE_MAX_OUTPUT + 1 - r->len;
		ssize_t n;

		if (want > READ_CHUNK)
			want = READ_CHUNK;
		if (max > 0 && want > max)
			want = max;
		r->buf = xreallocarray(r->buf, r->len + want + 1, 1);
		n = read(r->out, r->buf + r->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r->out_eof = n == 0 || errno != EAGAIN;
			return;
		}
		r->len += (size_t)n;
		r->too_large = r->len > PROBE_MAX_OUTPUT;
		if (max > 0 && (max -= (size_t)n) == 0)
			return;
	}
}

/* Keep the first line of what arrives on stderr (to a NUL, or capped). */
static void keep_line(struct run *r, const char *p, size_t n)
{
	for (size_t i = 0; i < n && !r->line_done; i++) {
		if (p[i] == '\n' || p[i] == '\0' ||
		    r->line_len == PROBE_MAX_ERR_LINE) {
			r->line_done = true;
			break;
		}
		r->line[r->line_len++] = p[i];
	}
}

/*
 * Read stderr, never letting it block the backend: what is there, but
 * at most max bytes (0: a pipe's worth, so that a writer as fast as we
 * are cannot keep us here).
 */
static void read_err(struct run *r, size_t max)
{
	char chunk[4096];

	if (max == 0)
		max = READ_CHUNK;
	while (!r->err_eof) {
		size_t want = max < sizeof(chunk) ? max : sizeof(chunk);
		ssize_t n = read(r->err, chunk, want);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r->err_eof = n == 0 || errno != EAGAIN;
			return;
		}
		keep_line(r, chunk, (size_t)n);
		if ((max -= (size_t)n) == 0)
			return;
	}
}

/*
 * What was written until the backend's exit was reaped: exactly what
 * sits in the pipe now, as the reaper reports only once the rest of the
 * run is dead (end_answer() in reaper.c).  Read without waiting for an
 * end of file: a process stuck in the kernel, or one a subreaper
 * missed, may still hold the pipe.
 */
static void drain(struct run *r, int fd, void (*read_fd)(struct run *, size_t))
{
	int avail = 0;

	if (ioctl(fd, FIONREAD, &avail) == 0 && avail > 0)
		read_fd(r, (size_t)avail);
}

static void read_message(struct run *r)
{
	struct end_message msg;
	ssize_t n = recv(r->ctl, &msg, sizeof(msg), MSG_DONTWAIT);

	if (n == (ssize_t)sizeof(msg)) {
		if (!r->reported)
			r->msg = msg;
		r->reported = true;
	} else if (n >= 0 || (errno != EAGAIN && errno != EINTR)) {
		r->gone = true;
	}
}

/*
 * One wait of at most left ms on the run's channels, fds[0..2], and what
 * follows them; read what is ready on the three.  ppoll's result.
 */
static int wait_step(struct run *r, struct pollfd *fds, nfds_t n, long left,
		     const sigset_t *waitmask)
{
	struct timespec t = ms_span(left);
	int ready = ppoll(fds, n, &t, waitmask);

	if (ready < 0 && errno != EINTR) {
		/* Out of memory, say: do not spin until the deadline. */
		struct timespec nap = ms_span(PROBE_POLL_MS);

		nanosleep(&nap, NULL);
	}
	if (ready <= 0)
		return ready;
	if (fds[0].revents)
		read_message(r);
	if (fds[1].revents)
		read_out(r, 0);
	if (fds[2].revents)
		read_err(r, 0);
	return ready;
}

/*
 * Read stdout and stderr until the reaper reports the backend's end,
 * the deadline passes, the output grows too large, the reaper goes or
 * a signal tells us to go.
 */
static void collect(struct run *r, const sigset_t *waitmask)
{
	while (!r->reported && !r->gone && !r->too_large && !caught) {
		struct pollfd fds[3] = {
			{ .fd = r->ctl, .events = POLLIN },
			{ .fd = r->out_eof ? -1 : r->out, .events = POLLIN },
			{ .fd = r->err_eof ? -1 : r->err, .events = POLLIN },
		};
		long left = ms_until(&r->deadline);

		if (left <= 0) {
			r->timed_out = true;
			return;
		}
		wait_step(r, fds, 3, left, waitmask);
	}
	if (r->reported) {
		drain(r, r->out, read_out);
		drain(r, r->err, read_err);
	}
}

/* What probe_wait() waits on: the run, and the mask to wait with. */
struct probe_run {
	struct run *r;
	const sigset_t *waitmask;
};

int probe_wait(struct probe_run *run, int fd, short events, long ms)
{
	struct run *r = run->r;
	struct timespec until = ms_from_now(ms < 0 ? 0 : ms);

	for (;;) {
		struct pollfd fds[4] = {
			{ .fd = r->ctl, .events = POLLIN },
			{ .fd = r->out_eof ? -1 : r->out, .events = POLLIN },
			{ .fd = r->err_eof ? -1 : r->err, .events = POLLIN },
			{ .fd = fd, .events = events },
		};
		long left = ms_until(&r->deadline);
		int n;

		/* Every process of it is dead: what it sent is all there. */
		if (r->reported || r->gone) {
			struct pollfd p = { .fd = fd, .events = events };

			return fd >= 0 && poll(&p, 1, 0) > 0 ? p.revents : -1;
		}
		if (r->too_large || caught || (r->timed_out = left <= 0))
			return -1;
		if (ms >= 0 && (n = (int)ms_until(&until)) <= 0)
			return 0;
		if (ms >= 0 && n < left)
			left = n;
		if (wait_step(r, fds, 4, left, run->waitmask) > 0 &&
		    fds[3].revents)
			return fds[3].revents;
	}
}

/* Let the client talk to the backend, then have it ended gracefully. */
static void serve(struct run *r, const struct probe_client *client,
		  const sigset_t *waitmask)
{
	struct probe_run run = { r, waitmask };

	client->serve(client->data, &run);
	if (r->reported) {
		drain(r, r->out, read_out);
		drain(r, r->err, read_err);
	}
	r->stopped = !r->reported && !r->gone && !r->timed_out &&
		     !r->too_large && !caught;
}

/*
 * End the run: unless the backend has ended, tell the reaper how to end
 * it; then wait for the reaper to finish and reap it.  Only a reaper
 * that outlives every bound is killed, and only it: our unreaped child.
 */
static void finish(struct run *r, const sigset_t *waitmask)
{
	char cmd = r->reported ? 0 : r->timed_out || r->stopped ? 'T' : 'K';
	long bound = (cmd == 'T' ? PROBE_GRACE_MS : 0) + PROBE_REAP_MS + 500;
	struct timespec until = ms_from_now(bound);
	bool killed = false;

	if (cmd)
		send(r->ctl, &cmd, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	for (;;) {
		struct pollfd p = { .fd = r->err_eof ? -1 : r->err,
				    .events = POLLIN };
		long left = ms_until(&until);
		struct timespec t;
		pid_t pid = waitpid(r->reaper, &r->reaper_status, WNOHANG);

		if (pid == r->reaper || (pid < 0 && errno == ECHILD))
			break;
		if (caught && cmd != 'K') {
			cmd = 'K';
			send(r->ctl, &cmd, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		}
		if (left <= 0) {
			if (killed)
				break;	/* stuck in the kernel: left a zombie */
			kill(r->reaper, SIGKILL);
			killed = true;
			until = ms_from_now(PROBE_REAP_MS);
			continue;
		}
		t = ms_span(left < PROBE_POLL_MS ? left : PROBE_POLL_MS);
		/*
		 * The first line of stderr may still be on its way, and a
		 * full pipe must not hold up a backend on its way out.
		 */
		if (ppoll(&p, 1, &t, waitmask) > 0)
			read_err(r, 0);
	}
	close(r->ctl);
	close(r->out);
	close(r->err);
}

static char *signal_name(int sig)
{
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev)
		return xasprintf("SIG%s", abbrev);
	return xasprintf("%d", sig);
}

static char *seconds(int ms)
{
	if (ms % 1000 == 0)
		return xasprintf("%d s", ms / 1000);
	return xasprintf("%.3g s", ms / 1000.0);
}

static enum probe_status fail(struct probe_result *res, enum probe_status s,
			      char *reason)
{
	res->status = s;
	res->reason = reason;
	return s;
}

/*
 * ENOENT from exec when the program was there a moment ago: what is
 * missing is the program that runs it, a script's interpreter or an ELF
 * file's dynamic loader.  The program is broken, not the tool.
 */
static enum probe_status exec_error(struct probe_result *res,
				    const struct probe_program *prog, int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return fail(res, PROBE_NOT_EXECUTABLE, xstrdup(prog->script ?
			    "cannot run: its interpreter was not found" :
			    "cannot run: its dynamic loader (ELF interpreter) was not found"));
	case EACCES:
	case EPERM:
	case ENOEXEC:
	case EISDIR:
	case ETXTBSY:
	case ELIBBAD:
		return fail(res, PROBE_NOT_EXECUTABLE,
			    xasprintf("not executable: %s", strerror(err)));
	}
	return fail(res, PROBE_SPAWN_FAILED,
		    xasprintf("cannot run: %s", strerror(err)));
}

/* A step before exec failed: ours, not the backend's. */
static enum probe_status step_error(struct probe_result *res,
				    const struct probe_program *prog,
				    const struct end_message *msg)
{
	const char *what = msg->step >= 0 && msg->step <= STEP_EXEC ?
			   step_words[msg->step] : "starting it";

	if (msg->step == STEP_EXEC)
		return exec_error(res, prog, msg->value);
	if (msg->step >= STEP_GROUPS && msg->step <= STEP_NO_NEW_PRIVS)
		return fail(res, PROBE_SPAWN_FAILED,
			    xasprintf("cannot run as uid %lu gid %lu: %s: %s",
				      (unsigned long)prog->uid,
				      (unsigned long)prog->gid, what,
				      strerror(msg->value)));
	return fail(res, PROBE_SPAWN_FAILED,
		    xasprintf("cannot run: %s: %s", what, strerror(msg->value)));
}

/* The backend's own end, in words: "exited with status 1", ... */
static char *ending(int wstatus, enum probe_status *s)
{
	char *name, *words;

	if (WIFSIGNALED(wstatus)) {
		*s = PROBE_SIGNALED;
		name = signal_name(WTERMSIG(wstatus));
		words = xasprintf("killed by signal %s", name);
		free(name);
		return words;
	}
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0) {
		*s = PROBE_EXIT_STATUS;
		return xasprintf("exited with status %d", WEXITSTATUS(wstatus));
	}
	*s = PROBE_OK;
	return NULL;
}

/* A reason we made, with the first line the backend wrote on stderr. */
static enum probe_status fail_with_line(struct probe_result *res,
					enum probe_status s, char *reason)
{
	char *both = reason_with_stderr(reason, res->err_line);

	free(reason);
	return fail(res, s, both);
}

/* The answer is the caller's: hand the buffer over. */
static enum probe_status answer(struct probe_result *res, struct run *r)
{
	res->status = PROBE_OK;
	res->out = r->buf ? r->buf : xstrdup("");
	res->len = r->len;
	res->out[res->len] = '\0';
	r->buf = NULL;
	return PROBE_OK;
}

/* The status a finished run ends in, and its reason. */
static enum probe_status outcome(struct probe_result *res,
				 const struct probe_program *prog,
				 struct run *r, int timeout_ms)
{
	enum probe_status s;
	char *words;

	if (r->line_len > 0) {
		r->line[r->line_len] = '\0';
		res->err_line = xstrdup(r->line);
	}
	if (r->timed_out) {
		char *after = seconds(timeout_ms);

		words = xasprintf("timed out after %s", after);
		free(after);
		return fail_with_line(res, PROBE_TIMEOUT, words);
	}
	if (r->too_large)
		return fail_with_line(res, PROBE_TOO_LARGE,
				      xasprintf("printed more than %d MiB",
						PROBE_MAX_OUTPUT / (1024 * 1024)));
	/* Its client was done with it: how it then ended is ours. */
	if (r->stopped)
		return answer(res, r);
	if (!r->reported) {
		/* Killed from outside, say: ours failed, not the backend. */
		words = ending(r->reaper_status, &s);
		s = fail(res, PROBE_SPAWN_FAILED,
			 xasprintf("cannot run: the probe's reaper ended early%s%s",
				   words ? ": " : "", words ? words : ""));
		free(words);
		return s;
	}
	if (r->msg.what == END_FAILED)
		return step_error(res, prog, &r->msg);
	words = ending(r->msg.value, &s);
	if (words)
		return fail_with_line(res, s, words);
	return answer(res, r);
}

/* Where the kernel once refused a namespace, it refuses again: skip it. */
static bool namespaces_refused;

static enum mode choose_mode(void)
{
	const char *no = getenv(PROBE_NO_NAMESPACE_ENV);

	if (no && *no)
		return MODE_TESTING;
	if (namespaces_refused)
		return MODE_REFUSED;
	return geteuid() == 0 ? MODE_PIDNS : MODE_USERNS;
}

/*
 * One run in the given mode; false when it should be tried again
 * without a namespace (the kernel refused one before anything ran).
 */
static bool run_in(enum mode mode, const struct probe_program *prog,
		   const char *const argv[], const struct probe_options *o,
		   const sigset_t *waitmask, struct probe_result *res)
{
	struct run r = { .ctl = -1, .out = -1, .err = -1 };
	bool was_refused;
	int e;

	res->containment = mode_words[mode];
	e = start(prog, argv, o, mode, &r, &was_refused);
	if (was_refused)
		return false;
	if (e) {
		fail(res, PROBE_SPAWN_FAILED,
		     xasprintf("cannot run: %s", strerror(e)));
		return true;
	}
	r.deadline = ms_from_now(o->timeout_ms);
	if (o->client)
		serve(&r, o->client, waitmask);
	else
		collect(&r, waitmask);
	finish(&r, waitmask);
	if (r.reported && r.msg.what == END_FAILED &&
	    r.msg.step == STEP_MAP && !caught) {
		free(r.buf);
		return false;
	}
	outcome(res, prog, &r, o->timeout_ms);
	free(r.buf);
	return true;
}

enum probe_status probe_run(const struct probe_program *prog,
			    const char *const argv[],
			    const struct probe_options *o,
			    struct probe_result *result)
{
	struct saved_signals saved;
	enum mode mode = choose_mode();
	sigset_t waitmask;

	memset(result, 0, sizeof(*result));
	catch_signals(&saved, &waitmask);
	while (!run_in(mode, prog, argv, o, &waitmask, result)) {
		namespaces_refused = true;
		mode = MODE_REFUSED;
	}
	/* What the client made for the run goes before a signal ends us. */
	if (o->client && o->client->done)
		o->client->done(o->client->data);
	restore_signals(&saved);
	/* The probe is over; now die of the signal, as we would have. */
	if (caught)
		raise(caught);
	return result->status;
}

void probe_result_free(struct probe_result *result)
{
	free(result->reason);
	free(result->out);
	free(result->err_line);
	memset(result, 0, sizeof(*result));
}
