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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "probe.h"
#include "util.h"

/* After SIGTERM, how long a backend may take to go before SIGKILL. */
#define PROBE_GRACE_MS 200
/* How long a sweep, or the reaper's own end, may take. */
#define PROBE_REAP_MS 1000
/* The longest nap: waiting for the reaper, or after a failed ppoll(). */
#define PROBE_POLL_MS 20
#define READ_CHUNK 65536

/* How a run is contained; the first two are namespaces. */
enum mode {
	MODE_PIDNS,		/* root: CLONE_NEWPID */
	MODE_USERNS,		/* unprivileged: CLONE_NEWUSER | CLONE_NEWPID */
	MODE_REFUSED,		/* subreaper: the kernel refused a namespace */
	MODE_TESTING,		/* subreaper: PROBE_NO_NAMESPACE_ENV is set */
};

/* For -v, after a verb: "running X in a PID namespace". */
static const char *const mode_words[] = {
	[MODE_PIDNS] = "in a PID namespace",
	[MODE_USERNS] = "in a user and a PID namespace",
	[MODE_REFUSED] = "under a subreaper (the kernel refused a namespace)",
	[MODE_TESTING] = "under a subreaper (" PROBE_NO_NAMESPACE_ENV " is set)",
};

static bool namespaced(enum mode m)
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
	/* async_fatal_signals(): SIGRTMIN and SIGRTMAX are libc calls. */
	sigset_t fatal;
	int ctl;		/* the reaper's end of the socket pair */
	int null;		/* /dev/null, the backend's stdin */
	int out;		/* write ends of the backend's stdout, stderr */
	int err;
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
	bool out_eof, err_eof;
	char *buf;		/* stdout */
	size_t len;
	char line[PROBE_MAX_ERR_LINE + 1];	/* the first line of stderr */
	size_t line_len;
	bool line_done;
	struct timespec deadline;
};

/* Time. */

static long ms_until(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (t->tv_sec - now.tv_sec) * 1000 +
	       (t->tv_nsec - now.tv_nsec) / 1000000;
}

static struct timespec ms_from_now(long ms)
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

static struct timespec ms_span(long ms)
{
	if (ms < 0)
		ms = 0;
	return (struct timespec){ ms / 1000, (ms % 1000) * 1000000 };
}

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

/*
 * Move each of fd[0..n-1] to first + i, with O_CLOEXEC where cloexec[i]
 * says, and close every other descriptor from first on.  The sources
 * may be anywhere, the targets included: each is copied above the
 * targets before any target is written.  -1 with errno on failure.
 */
static int place_fds(const int *fd, const bool *cloexec, int n, int first)
{
	int tmp[8];

	for (int i = 0; i < n; i++) {
		tmp[i] = fcntl(fd[i], F_DUPFD_CLOEXEC, first + n);
		if (tmp[i] < 0)
			return -1;
	}
	for (int i = 0; i < n; i++)
		if (dup3(tmp[i], first + i, cloexec[i] ? O_CLOEXEC : 0) < 0)
			return -1;
	closefrom(first + n);
	return 0;
}

/* The backend: the reaper's child, from fork to exec. */

static _Noreturn void backend_failed(int fail_fd, enum step step)
{
	struct end_message msg = { END_FAILED, step, errno };
	ssize_t n = write(fail_fd, &msg, sizeof(msg));

	(void)n;
	_exit(127);
}

/*
 * Every signal at its default action (for a backend: the mask is
 * emptied just before exec).  glibc refuses to touch the two signals it
 * keeps for itself (32 and 33), yet they may come to us ignored (GNU
 * make's children get them so), and an ignored signal stays ignored
 * across exec: for a program about to exec, those go to the kernel
 * directly.  An all-zero kernel sigaction is SIG_DFL, no flags and an
 * empty mask, whatever the architecture's layout.
 */
static void default_signals(bool before_exec)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	static const unsigned long zero[16];

	sigemptyset(&dfl.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, &dfl, NULL) < 0 && errno == EINVAL &&
		    before_exec && sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, zero, NULL, _NSIG / 8);
}

/*
 * Drop to the user trust.c chose, for good: no groups, its gid, its
 * uid (and, below, no way back up through a set-id file).  Every step
 * is checked; a backend never runs as root by accident.
 */
static void drop_privileges(const struct probe_program *prog, int fail_fd)
{
	if (setgroups(0, NULL) < 0)
		backend_failed(fail_fd, STEP_GROUPS);
	if (setresgid(prog->gid, prog->gid, prog->gid) < 0)
		backend_failed(fail_fd, STEP_GID);
	if (setresuid(prog->uid, prog->uid, prog->uid) < 0)
		backend_failed(fail_fd, STEP_UID);
}

/*
 * Become the backend: a session of its own (no controlling terminal),
 * stdin /dev/null, stdout and stderr our pipes, nothing else open but,
 * for a script, its own handle as fd 3 (the interpreter opens the
 * script through it: the kernel names it /dev/fd/3); working directory
 * /, umask 022, default signals, an empty mask.  The handle is what
 * runs: nothing is looked up by path.
 */
static _Noreturn void backend_exec(const struct spawn *s, int fail_fd)
{
	const struct probe_program *prog = s->prog;
	int fd[] = { s->null, s->out, s->err, prog->fd, fail_fd };
	bool cloexec[] = { false, false, false, !prog->script, true };
	char *const *argv = (char *const *)s->argv;
	sigset_t none;

	default_signals(true);
	if (setsid() < 0)
		backend_failed(fail_fd, STEP_SETSID);
	if (place_fds(fd, cloexec, 5, 0) < 0)
		backend_failed(fail_fd, STEP_FDS);
	fail_fd = 4;
	if (chdir("/") < 0)
		backend_failed(fail_fd, STEP_CHDIR);
	umask(022);
	if (prog->as_other)
		drop_privileges(prog, fail_fd);
	/*
	 * No new privileges, whoever it runs as: a set-id backend would
	 * otherwise run as a user the reaper (without a namespace) could
	 * not kill.
	 */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		backend_failed(fail_fd, STEP_NO_NEW_PRIVS);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	syscall(SYS_execveat, 3, "", argv, s->envp, AT_EMPTY_PATH);
	/* A kernel, or a valgrind, that does not know execveat. */
	if (errno == ENOSYS)
		execve("/proc/self/fd/3", argv, s->envp);
	backend_failed(fail_fd, STEP_EXEC);
}

/* The reaper. */

static volatile sig_atomic_t reaper_child;	/* SIGCHLD came */
static volatile sig_atomic_t reaper_stop;	/* told to go by a signal */

static void reaper_on_sigchld(int sig)
{
	(void)sig;
	reaper_child = 1;
}

static void reaper_on_stop(int sig)
{
	(void)sig;
	reaper_stop = 1;
}

struct reaper {
	const struct spawn *s;
	pid_t backend;
	bool backend_exited;	/* a zombie, not yet reaped */
	bool backend_done;	/* reaped; wstatus is how it ended */
	int wstatus;
	bool none_left;		/* the last wait found no child at all */
	int fail_fd;		/* read end: the step the backend failed at */
	bool grace;		/* told to end gracefully, until grace_end */
	struct timespec grace_end;
	bool kill_now;
};

static void send_message(const struct spawn *s, int what, int step, int value)
{
	struct end_message msg = { what, step, value };

	send(s->ctl, &msg, sizeof(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
}

static _Noreturn void reaper_failed(const struct spawn *s, enum step step)
{
	send_message(s, END_FAILED, step, errno);
	_exit(1);
}

/*
 * Its own signals: SIGCHLD wakes it.  As process 1 of a namespace it
 * takes no other signal (the kernel then drops what the backend sends
 * it); as a subreaper, every signal that would end it makes it sweep
 * first, the one it gets when the tool dies included.
 */
static void reaper_signals(const struct spawn *s)
{
	struct sigaction chld = { .sa_handler = reaper_on_sigchld,
				  .sa_flags = SA_NOCLDSTOP };
	struct sigaction stop = { .sa_handler = reaper_on_stop };
	sigset_t block;

	default_signals(false);
	sigfillset(&chld.sa_mask);
	sigfillset(&stop.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaction(SIGCHLD, &chld, NULL);
	if (!namespaced(s->mode)) {
		for (int sig = 1; sig < NSIG; sig++) {
			if (!sigismember(&s->fatal, sig))
				continue;
			sigaction(sig, &stop, NULL);
			sigaddset(&block, sig);
		}
	}
	/* Delivered only inside ppoll(), so that none is missed. */
	sigprocmask(SIG_SETMASK, &block, NULL);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int saved;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* An id map's line mapping id to itself, "ID ID 1\n", without stdio. */
static void map_line(char line[static 64], unsigned long id)
{
	char digits[24];
	size_t n = 0, k = 0;

	do
		digits[n++] = (char)('0' + id % 10);
	while ((id /= 10) > 0);
	for (int twice = 0; twice < 2; twice++) {
		for (size_t i = n; i > 0; i--)
			line[k++] = digits[i - 1];
		line[k++] = ' ';
	}
	line[k++] = '1';
	line[k++] = '\n';
	line[k] = '\0';
}

/*
 * Map the tool's own uid and gid to themselves, nothing else: the
 * backend sees its real ids, and gains nothing the caller lacks.
 */
static int map_own_ids(const struct spawn *s)
{
	char line[64];

	map_line(line, (unsigned long)s->uid);
	if (write_file("/proc/self/uid_map", line) < 0)
		return -1;
	if (write_file("/proc/self/setgroups", "deny") < 0)
		return -1;
	map_line(line, (unsigned long)s->gid);
	return write_file("/proc/self/gid_map", line);
}

/* Whether the tool has gone: only it holds the other end of ctl. */
static bool tool_gone(const struct spawn *s)
{
	struct pollfd p = { .fd = s->ctl, .events = POLLIN };

	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR));
}

/* Reap every child that has ended; note the backend's status. */
static void reap(struct reaper *r)
{
	int st;
	pid_t pid;

	reaper_child = 0;
	r->none_left = false;
	for (;;) {
		pid = waitpid(-1, &st, WNOHANG | __WALL);
		if (pid == 0)
			return;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			r->none_left = errno == ECHILD;
			return;
		}
		if (pid == r->backend) {
			r->backend_done = true;
			r->wstatus = st;
		}
	}
}

/*
 * Reap every child that has ended but the backend, which is only noted
 * as exited and left a zombie: its reaping waits until the rest of the
 * run is dead (end_answer, which reaps what this left).  waitid(WNOWAIT)
 * names a child without reaping it; one that is not the backend is then
 * reaped by its pid.
 */
static void reap_others(struct reaper *r)
{
	reaper_child = 0;
	r->none_left = false;
	for (;;) {
		siginfo_t si = { .si_pid = 0 };

		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) < 0) {
			if (errno == EINTR)
				continue;
			r->none_left = errno == ECHILD;
			return;
		}
		if (si.si_pid == 0)
			return;
		if (si.si_pid == r->backend) {
			r->backend_exited = true;
			return;
		}
		while (waitpid(si.si_pid, NULL, WNOHANG | __WALL) < 0 &&
		       errno == EINTR)
			;
	}
}

/*
 * Signal each child the kernel lists for us (zombies included: their
 * pids cannot be reused until we reap them), and the process group each
 * leads; a listed child's group can hold nobody but its own.  Read with
 * read(2) into a fixed buffer: nothing here allocates.
 */
static void signal_children(int sig)
{
	char buf[4096];
	long pid = 0;
	bool digits = false;
	ssize_t n;
	int fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0 ||
	       (n < 0 && errno == EINTR)) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				pid = pid * 10 + (buf[i] - '0');
				digits = true;
				continue;
			}
			if (digits && pid > 1) {
				kill((pid_t)pid, sig);
				kill(-(pid_t)pid, sig);
			}
			pid = 0;
			digits = false;
		}
	}
	if (digits && pid > 1) {
		kill((pid_t)pid, sig);
		kill(-(pid_t)pid, sig);
	}
	close(fd);
}

/*
 * Every process of the run.  In a namespace, kill(-1) means exactly
 * that.  A subreaper reaches its children, the groups they lead, and
 * the backend's session while the backend is unreaped; the rest are
 * reached as their parents die and they become its children.
 */
static void signal_all(struct reaper *r, int sig)
{
	if (namespaced(r->s->mode)) {
		kill(-1, sig);
		return;
	}
	if (!r->backend_done)
		kill(-r->backend, sig);
	signal_children(sig);
}

/* Wait for a child to end or for the tool, at most ms (-1: no limit). */
static void reaper_wait(struct reaper *r, long ms)
{
	struct pollfd p = { .fd = r->s->ctl, .events = POLLIN };
	struct timespec t = ms_span(ms);
	sigset_t none;
	char cmd;
	ssize_t n;

	sigemptyset(&none);
	if (ppoll(&p, 1, ms < 0 ? NULL : &t, &none) <= 0)
		return;
	n = recv(r->s->ctl, &cmd, 1, MSG_DONTWAIT);
	if (n == 1 && cmd == 'T' && !r->grace) {
		r->grace = true;
		r->grace_end = ms_from_now(PROBE_GRACE_MS);
		signal_all(r, SIGTERM);
	} else if (n == 1 && cmd == 'K') {
		r->kill_now = true;
	} else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) ||
		   (p.revents & (POLLHUP | POLLERR))) {
		r->kill_now = true;	/* the tool is gone */
	}
}

/*
 * A subreaper's end: kill every child until a listing finds none.
 * Killing a process hands its children to us, and a child being killed
 * can no longer fork, so a chain of forks and setsid() calls ends here;
 * bounded in time all the same (a process stuck in the kernel stays).
 */
static void sweep(struct reaper *r)
{
	struct timespec until = ms_from_now(PROBE_REAP_MS);
	sigset_t none;

	sigemptyset(&none);
	for (;;) {
		struct timespec t = ms_span(1);

		reap(r);
		if (r->none_left || ms_until(&until) <= 0)
			return;
		signal_all(r, SIGKILL);
		reap(r);
		if (r->none_left)
			return;
		/* The killed become reapable soon: SIGCHLD ends this nap. */
		if (!reaper_child)
			ppoll(NULL, 0, &t, &none);
	}
}

/* The backend exited: tell the tool how, or why exec failed. */
static void report_backend(struct reaper *r)
{
	struct end_message msg;
	ssize_t n;

	/* Its end closed at exec or exit: this read cannot block. */
	do
		n = read(r->fail_fd, &msg, sizeof(msg));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(msg))
		send_message(r->s, END_FAILED, msg.step, msg.value);
	else
		send_message(r->s, END_EXITED, 0, r->wstatus);
}

/*
 * The backend has exited, a zombie still: the answer is what is in the
 * pipes when it is reaped.  Every other process of the run is killed
 * before that, and dead (reaped) before the message, so that none can
 * write after it: a process that waits to see the backend reaped has a
 * SIGKILL pending by then and never returns to write (SPEC §5).  While
 * the backend is unreaped its group can still be signalled by its pid.
 */
static void end_answer(struct reaper *r)
{
	signal_all(r, SIGKILL);
	sweep(r);
	/* A sweep cut short by a process stuck in the kernel. */
	while (!r->backend_done) {
		pid_t pid = waitpid(r->backend, &r->wstatus, __WALL);

		if (pid == r->backend)
			r->backend_done = true;
		else if (pid < 0 && errno != EINTR)
			break;
	}
	report_backend(r);
}

static void start_backend(struct reaper *r)
{
	const struct spawn *s = r->s;
	int pipefd[2];

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		reaper_failed(s, STEP_PIPE);
	/*
	 * _Fork(), not fork(): fork() runs the atfork handlers and takes
	 * libc's locks, which is not async-signal-safe (glibc 2.34, as
	 * closefrom()).
	 */
	r->backend = _Fork();
	if (r->backend < 0)
		reaper_failed(s, STEP_FORK);
	if (r->backend == 0)
		backend_exec(s, pipefd[1]);
	close(pipefd[1]);
	r->fail_fd = pipefd[0];
	close(s->null);
	close(s->out);
	close(s->err);
	close(s->prog->fd);
}

/*
 * The reaper, from the clone on.  It holds nothing of the tool's but
 * its stderr (for a sanitizer's report) and what the backend needs;
 * it never returns and never runs the tool's exit handlers.
 */
static _Noreturn void reaper_main(struct spawn *s)
{
	struct probe_program prog = *s->prog;
	struct reaper r = { .s = s, .fail_fd = -1 };
	int fd[] = { s->ctl, s->null, s->out, s->err, s->prog->fd };
	bool cloexec[] = { true, true, true, true, true };

	/* Keep 2, move ours to 3-7, close the rest (the caller's too). */
	if (place_fds(fd, cloexec, 5, 3) < 0)
		reaper_failed(s, STEP_FDS);
	s->ctl = 3;
	s->null = 4;
	s->out = 5;
	s->err = 6;
	prog.fd = 7;
	s->prog = &prog;
	dup2(s->null, 0);
	dup2(s->null, 1);
	/* Out of the tool's group: a terminal's ^C is for the tool to handle. */
	setpgid(0, 0);
	reaper_signals(s);
	prctl(PR_SET_PDEATHSIG, namespaced(s->mode) ? SIGKILL : SIGTERM,
	      0, 0, 0);
	/* The tool may have died before the line above. */
	if (tool_gone(s))
		_exit(0);
	if (s->mode == MODE_USERNS && map_own_ids(s) < 0)
		reaper_failed(s, STEP_MAP);
	/* A backend of the same user must not ptrace us or open our fds. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (!namespaced(s->mode))
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	start_backend(&r);
	for (;;) {
		long left = -1;

		reap_others(&r);
		if (r.backend_exited) {
			end_answer(&r);
			_exit(0);
		}
		if (r.kill_now || reaper_stop)
			break;
		if (r.grace) {
			left = ms_until(&r.grace_end);
			if (left <= 0 || r.none_left)
				break;
		}
		reaper_wait(&r, left);
	}
	/* Process 1 exits: the kernel kills the rest of the namespace. */
	if (!namespaced(s->mode))
		sweep(&r);
	_exit(0);
}

/* The tool's side. */

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
 * run is dead (end_answer).  Read without waiting for an end of file: a
 * process stuck in the kernel, or one a subreaper missed, may still
 * hold the pipe.
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
		struct timespec t = ms_span(left);
		int n;

		if (left <= 0) {
			r->timed_out = true;
			return;
		}
		n = ppoll(fds, 3, &t, waitmask);
		if (n < 0 && errno != EINTR) {
			/* Out of memory, say: do not spin until the deadline. */
			struct timespec nap = ms_span(PROBE_POLL_MS);

			nanosleep(&nap, NULL);
		}
		if (n <= 0)
			continue;
		if (fds[0].revents)
			read_message(r);
		if (fds[1].revents)
			read_out(r, 0);
		if (fds[2].revents)
			read_err(r, 0);
	}
	if (r->reported) {
		drain(r, r->out, read_out);
		drain(r, r->err, read_err);
	}
}

/*
 * End the run: unless the backend has ended, tell the reaper how to end
 * it; then wait for the reaper to finish and reap it.  Only a reaper
 * that outlives every bound is killed, and only it: our unreaped child.
 */
static void finish(struct run *r, const sigset_t *waitmask)
{
	char cmd = r->reported ? 0 : r->timed_out ? 'T' : 'K';
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
	if (res->err_line) {
		char *both = xasprintf("%s: %s", reason, res->err_line);

		free(reason);
		reason = both;
	}
	return fail(res, s, reason);
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
	/* The answer is the caller's: hand the buffer over. */
	res->status = PROBE_OK;
	res->out = r->buf ? r->buf : xstrdup("");
	res->len = r->len;
	res->out[res->len] = '\0';
	r->buf = NULL;
	return PROBE_OK;
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
