/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The far side of clone() (SPEC §5): the reaper, and the backend from
 * its fork to its exec.  probe.c, the tool's side, says what each of the
 * three processes does and how they talk.
 *
 * The rule of this file.  It runs in a child made by a raw clone()
 * that libc knows nothing of: malloc's arenas, stdio's buffers, every
 * lock and the atexit handlers are copies of the tool's.  So, from the
 * clone on, it calls only async-signal-safe functions: those of
 * signal-safety(7), and Linux system calls, raw (syscall(2)) or through
 * glibc's thin wrappers (dup3, ppoll, prctl, setresuid, ...), which
 * neither lock nor allocate.  It never allocates, never uses stdio and
 * never returns to its caller: it ends in execve() or _exit(), never in
 * exit().  What it needs the tool made ready before the clone, in
 * struct spawn.  tests/source.bats holds the list of what reaper.o may
 * call and fails on anything else; reaper_main() is _Noreturn, so the
 * compiler warns of a way back.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "reaper.h"

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
_Noreturn void reaper_main(struct spawn *s)
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
