/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running one untrusted program (SPEC §5).  It may hang, flood, fork,
 * ignore SIGTERM or print garbage.  Whatever it does, a run costs at most
 * the deadline plus a short grace, leaves no process of its group behind
 * and ends in one precise status.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "probe.h"
#include "util.h"

/* After SIGTERM, how long a backend may take to go before SIGKILL. */
#define PROBE_GRACE_MS 200
/* How long to wait for SIGKILLed stragglers to become reapable. */
#define PROBE_REAP_MS 1000
/*
 * The longest poll() sleep once the backend's stdout is at its end, so
 * that its exit is seen even should no SIGCHLD arrive.
 */
#define PROBE_EXIT_POLL_MS 20
#define READ_CHUNK 65536


/* A set of pids, grown as needed. */
struct pids {
	pid_t *pid;
	size_t n;
};

static bool pids_has(const struct pids *s, pid_t pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->pid[i] == pid)
			return true;
	return false;
}

static void pids_add(struct pids *s, pid_t pid)
{
	s->pid = xreallocarray(s->pid, s->n + 1, sizeof(*s->pid));
	s->pid[s->n++] = pid;
}

struct probe {
	pid_t pid;		/* the direct child, also its process group */
	struct pids before;	/* our children before it: not ours to kill */
	int out;		/* read end of its stdout */
	bool exited;		/* exited, but not yet reaped */
	int wstatus;		/* set by finish() */
	bool eof;
	bool too_large;
	char *buf;
	size_t len;
	struct timespec deadline;
};

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

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* Add the pids listed in one /proc/self/task/TID/children file. */
static void read_children(const char *file, struct pids *out)
{
	FILE *f = fopen(file, "re");
	long pid;

	if (!f)
		return;
	while (fscanf(f, "%ld", &pid) == 1)
		if (pid > 0 && !pids_has(out, (pid_t)pid))
			pids_add(out, (pid_t)pid);
	fclose(f);
}

/*
 * Our children, zombies included: the kernel keeps a list per thread.
 * Whatever is listed stays ours (its pid cannot be reused) until we reap
 * it, which only we do while the SIGCHLD handler is in place.  False when
 * the list cannot be read (a kernel without CONFIG_PROC_CHILDREN).
 */
static bool list_children(struct pids *out)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;

	out->n = 0;
	if (!d)
		return false;
	while ((de = readdir(d))) {
		char *file;

		if (de->d_name[0] == '.')
			continue;
		file = xasprintf("/proc/self/task/%s/children", de->d_name);
		read_children(file, out);
		free(file);
	}
	closedir(d);
	return true;
}

/*
 * Orphans of the backend (say, a daemonizing child) are then reparented
 * to us rather than to init, so that we can kill and reap them and a
 * container whose init does not reap is not left with zombies.
 */
static void become_subreaper(void)
{
	static bool done;

	if (!done)
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	done = true;
}

/* The minimal environment plus the caller's additions; free the array only. */
static char **environment(const struct probe_options *o)
{
	size_t n = 0;
	char **env;

	while (o->env && o->env[n])
		n++;
	env = xcalloc(n + 3, sizeof(*env));
	env[0] = (char *)PROBE_PATH;
	env[1] = (char *)PROBE_LOCALE;
	for (size_t i = 0; i < n; i++)
		env[2 + i] = o->env[i];
	return env;
}

/* Start the backend from its handle; 0, or an errno value. */
static int spawn_program(const struct probe_program *prog,
			 const char *const argv[],
			 const struct probe_options *o, struct probe *p)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t all, none;
	int pipefd[2], rc;
	char exec_path[64];
	char **env = environment(o);

	/* Close-on-exec: no other probe or thread can inherit our end. */
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	sigfillset(&all);
	sigemptyset(&none);
	/* Each step can fail (ENOMEM); a child without one is not started. */
	rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!rc)
		rc = posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	/* A chatty backend must not block on, or flood, our stderr. */
	if (!rc)
		rc = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null",
						      O_WRONLY, 0);
	/* A script's interpreter opens it by its handle, kept as fd 3. */
	if (!rc && prog->script)
		rc = posix_spawn_file_actions_adddup2(&fa, prog->fd, 3);
	if (!rc)
		rc = posix_spawn_file_actions_addclosefrom_np(&fa, prog->script ? 4 : 3);
	snprintf(exec_path, sizeof(exec_path), "/proc/self/fd/%d",
		 prog->script ? 3 : prog->fd);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setsigmask(&attr, &none);
	/* Its own group, so that it and whatever it forks die together. */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF |
				 POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETPGROUP);
	if (!rc)
		rc = posix_spawn(&p->pid, exec_path, &fa, &attr,
				 (char *const *)argv, env);
	free(env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(pipefd[1]);
	if (rc) {
		close(pipefd[0]);
		return rc;
	}
	p->out = pipefd[0];
	return 0;
}

/*
 * Whether the direct child has exited.  It is left a zombie (WNOWAIT):
 * while it is one, its pid, which is also the group's id, cannot be
 * reused, so that killing the group later cannot hit a stranger.
 */
static bool has_exited(struct probe *p)
{
	siginfo_t si;
	int r;

	if (p->exited)
		return true;
	do {
		memset(&si, 0, sizeof(si));
		r = waitid(P_PID, (id_t)p->pid, &si,
			   WEXITED | WNOHANG | WNOWAIT);
	} while (r < 0 && errno == EINTR);
	if ((r == 0 && si.si_pid == p->pid) || (r < 0 && errno == ECHILD))
		p->exited = true;
	return p->exited;
}

/* Append up to max bytes from the pipe; marks eof and too_large. */
static void read_some(struct probe *p, size_t max)
{
	size_t want = max < READ_CHUNK ? max : READ_CHUNK;
	ssize_t n;

	if (want == 0)
		return;
	p->buf = xreallocarray(p->buf, p->len + want + 1, 1);
	n = read(p->out, p->buf + p->len, want);
	if (n == 0) {
		p->eof = true;
	} else if (n > 0) {
		p->len += (size_t)n;
		if (p->len > PROBE_MAX_OUTPUT)
			p->too_large = true;
	} else if (errno != EINTR && errno != EAGAIN) {
		p->eof = true;
	}
}

/*
 * What the backend printed by the time it exited: exactly what sits in
 * the pipe now.  A grandchild may still hold the pipe and write; that is
 * not the backend's answer and must not keep us waiting.
 */
static void drain(struct probe *p)
{
	int avail = 0;

	if (p->eof || ioctl(p->out, FIONREAD, &avail) < 0 || avail <= 0)
		return;
	fcntl(p->out, F_SETFL, O_NONBLOCK);
	while (avail > 0 && !p->eof && !p->too_large) {
		size_t before = p->len;

		read_some(p, (size_t)avail);
		if (p->len == before)
			break;
		avail -= (int)(p->len - before);
	}
}

/*
 * A byte arrives here when a child of ours changes state, so that poll()
 * wakes when the backend exits, whoever still holds its stdout.  (A
 * pidfd would do on Linux 5.3 and later, but not under valgrind.)
 */
static int child_pipe[2] = { -1, -1 };

static void on_sigchld(int sig)
{
	int saved = errno;
	ssize_t n;

	(void)sig;
	/* When the pipe is full, a wake-up is pending anyway. */
	n = write(child_pipe[1], "", 1);
	(void)n;
	errno = saved;
}

static int watch_children(struct sigaction *old)
{
	struct sigaction sa = {
		.sa_handler = on_sigchld,
		.sa_flags = SA_RESTART | SA_NOCLDSTOP,
	};

	if (pipe2(child_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return errno;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, old);
	return 0;
}

static void unwatch_children(const struct sigaction *old)
{
	sigaction(SIGCHLD, old, NULL);
	close(child_pipe[0]);
	close(child_pipe[1]);
	child_pipe[0] = child_pipe[1] = -1;
}

static void clear_wakeups(void)
{
	char buf[64];

	while (read(child_pipe[0], buf, sizeof(buf)) > 0)
		;
}

/*
 * Read until the child exits, the deadline passes or the output grows
 * too large.  Returns false on the deadline.
 */
static bool collect(struct probe *p)
{
	while (!p->too_large) {
		struct pollfd fds[2];
		nfds_t n = 0;
		long left = ms_until(&p->deadline);
		int wait;

		if (has_exited(p)) {
			drain(p);
			return true;
		}
		if (left <= 0)
			return false;
		wait = left > 60000 ? 60000 : (int)left;
		/*
		 * At the end of its output the backend is about to exit; look
		 * again soon rather than trust SIGCHLD alone to say so.
		 */
		if (p->eof && wait > PROBE_EXIT_POLL_MS)
			wait = PROBE_EXIT_POLL_MS;
		fds[n++] = (struct pollfd){ .fd = child_pipe[0], .events = POLLIN };
		if (!p->eof)
			fds[n++] = (struct pollfd){ .fd = p->out, .events = POLLIN };
		if (poll(fds, n, wait) < 0) {
			/* EINTR is the SIGCHLD itself; anything else, do not spin. */
			if (errno != EINTR)
				sleep_ms(10);
			continue;
		}
		if (fds[0].revents)
			clear_wakeups();
		if (!p->eof && fds[1].revents)
			read_some(p, PROBE_MAX_OUTPUT + 1 - p->len);
	}
	return true;
}

/* Wait until the child exits, at most ms; whether it did. */
static bool wait_exit(struct probe *p, long ms)
{
	struct timespec until = ms_from_now(ms);

	while (!has_exited(p)) {
		long left = ms_until(&until);

		struct pollfd fd = { .fd = child_pipe[0], .events = POLLIN };

		if (left <= 0)
			return false;
		if (left > PROBE_EXIT_POLL_MS)
			left = PROBE_EXIT_POLL_MS;
		if (poll(&fd, 1, (int)left) > 0)
			clear_wakeups();
	}
	return true;
}

/*
 * Kill and reap every child of ours that was not ours before the probe:
 * backend processes that left its group (setsid, setpgid) are
 * reparented to us, the subreaper, once their parent dies, and killing
 * one reparents its own children in turn, hence the rounds.  Bounded in
 * time: a process stuck in the kernel is left, already SIGKILLed.
 */
static void kill_stray_children(const struct probe *p)
{
	struct timespec until = ms_from_now(PROBE_REAP_MS);
	struct pids now = { 0 };

	while (list_children(&now)) {
		size_t left = 0;

		for (size_t i = 0; i < now.n; i++) {
			pid_t pid = now.pid[i];

			if (pids_has(&p->before, pid))
				continue;
			kill(pid, SIGKILL);
			if (waitpid(pid, NULL, WNOHANG) == 0)
				left++;
		}
		if (left == 0 || ms_until(&until) <= 0)
			break;
		sleep_ms(1);
	}
	free(now.pid);
}

/*
 * End the probe: a child still running gets SIGTERM and a grace.  Then
 * the whole group is killed, whatever is left of it (the group outlives
 * its leader while any member lives), and the child itself, which may
 * have left the group: our group or our caller's are never signalled.
 * The child is reaped, and so is every other child we got meanwhile.
 * No wait is unbounded.
 */
static void finish(struct probe *p)
{
	struct timespec until;

	if (!p->exited) {
		kill(-p->pid, SIGTERM);
		kill(p->pid, SIGTERM);
		wait_exit(p, PROBE_GRACE_MS);
	}
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
	/* Only a process stuck in the kernel outlasts SIGKILL this long. */
	if (wait_exit(p, PROBE_REAP_MS))
		while (waitpid(p->pid, &p->wstatus, 0) < 0 && errno == EINTR)
			;
	else
		p->wstatus = SIGKILL;	/* as if reaped: killed by SIGKILL */
	until = ms_from_now(PROBE_REAP_MS);
	for (;;) {
		pid_t r = waitpid(-p->pid, NULL, WNOHANG);

		if (r > 0)
			continue;
		if ((r < 0 && errno != EINTR) || ms_until(&until) <= 0)
			break;
		if (r == 0)
			sleep_ms(1);
	}
	kill_stray_children(p);
	close(p->out);
}

/* The running probe's process group, for the signal handler; 0 if none. */
static volatile sig_atomic_t probe_group;

static const int fatal_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
#define N_FATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

/*
 * The backend is in a group of its own, out of reach of the terminal's
 * ^C.  When we are told to go, take it with us, reap it, then die of
 * the same signal.  Only async-signal-safe calls here.
 */
static void on_fatal_signal(int sig)
{
	pid_t g = (pid_t)probe_group;
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	if (g > 0) {
		kill(-g, SIGKILL);
		/* It may have left its group; it is our unreaped child. */
		kill(g, SIGKILL);
		while (waitpid(-g, NULL, 0) > 0 || errno == EINTR)
			;
	}
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

static void catch_fatal_signals(struct sigaction old[N_FATAL])
{
	struct sigaction sa = { .sa_handler = on_fatal_signal };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_FATAL; i++) {
		sigaction(fatal_signals[i], NULL, &old[i]);
		/* A signal ignored by whoever started us stays ignored. */
		if (old[i].sa_handler != SIG_IGN)
			sigaction(fatal_signals[i], &sa, NULL);
	}
}

static void restore_fatal_signals(const struct sigaction old[N_FATAL])
{
	for (size_t i = 0; i < N_FATAL; i++)
		sigaction(fatal_signals[i], &old[i], NULL);
}

/*
 * Spawn with the fatal signals blocked, so that none can arrive between
 * the child's birth and the handler knowing its group.
 */
static int start(const struct probe_program *prog, const char *const argv[],
		 const struct probe_options *o, struct probe *p)
{
	sigset_t block, saved;
	int err;

	sigemptyset(&block);
	for (size_t i = 0; i < N_FATAL; i++)
		sigaddset(&block, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &saved);
	err = spawn_program(prog, argv, o, p);
	if (!err)
		probe_group = p->pid;
	sigprocmask(SIG_SETMASK, &saved, NULL);
	return err;
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


static enum probe_status fail(struct probe_result *r, enum probe_status s,
			      char *reason)
{
	r->status = s;
	r->reason = reason;
	return s;
}

/*
 * ENOENT from exec when the program was there a moment ago: what is
 * missing is the program that runs it, a script's interpreter or an ELF
 * file's dynamic loader.  The program is broken, not the tool.
 */
static enum probe_status spawn_error(struct probe_result *r,
				     const struct probe_program *prog, int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return fail(r, PROBE_NOT_EXECUTABLE, xstrdup(prog->script ?
			    "cannot run: its interpreter was not found" :
			    "cannot run: its dynamic loader (ELF interpreter) was not found"));
	case EACCES:
	case EPERM:
	case ENOEXEC:
	case EISDIR:
	case ETXTBSY:
		return fail(r, PROBE_NOT_EXECUTABLE,
			    xasprintf("not executable: %s", strerror(err)));
	}
	return fail(r, PROBE_SPAWN_FAILED,
		    xasprintf("cannot run: %s", strerror(err)));
}

/* The status a finished run ends in, and its reason. */
static enum probe_status outcome(struct probe_result *r, struct probe *p,
				 bool in_time, int timeout_ms)
{
	if (!in_time) {
		char *after = seconds(timeout_ms);
		enum probe_status s = fail(r, PROBE_TIMEOUT,
					   xasprintf("timed out after %s",
						     after));

		free(after);
		return s;
	}
	if (p->too_large)
		return fail(r, PROBE_TOO_LARGE,
			    xasprintf("printed more than %d MiB",
				      PROBE_MAX_OUTPUT / (1024 * 1024)));
	if (WIFSIGNALED(p->wstatus)) {
		char *name = signal_name(WTERMSIG(p->wstatus));
		enum probe_status s = fail(r, PROBE_SIGNALED,
					   xasprintf("killed by signal %s",
						     name));

		free(name);
		return s;
	}
	if (WIFEXITED(p->wstatus) && WEXITSTATUS(p->wstatus) != 0)
		return fail(r, PROBE_EXIT_STATUS,
			    xasprintf("exited with status %d",
				      WEXITSTATUS(p->wstatus)));
	/* The answer is the caller's: hand the buffer over. */
	r->status = PROBE_OK;
	r->out = p->buf ? p->buf : xstrdup("");
	r->len = p->len;
	if (p->buf)
		p->buf[p->len] = '\0';
	p->buf = NULL;
	return PROBE_OK;
}

enum probe_status probe_run(const struct probe_program *prog,
			    const char *const argv[],
			    const struct probe_options *o,
			    struct probe_result *result)
{
	struct probe p = { .out = -1 };
	struct sigaction old[N_FATAL], old_chld;
	sigset_t chld, saved_mask;
	enum probe_status s;
	int err;

	memset(result, 0, sizeof(*result));
	result->containment = "a process group of its own";
	become_subreaper();
	err = watch_children(&old_chld);
	if (err)
		return fail(result, PROBE_SPAWN_FAILED,
			    xasprintf("cannot run: %s", strerror(err)));
	/*
	 * A caller may hand us SIGCHLD blocked (signalfd users do); the
	 * program's exit must still wake us.
	 */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_UNBLOCK, &chld, &saved_mask);
	list_children(&p.before);
	catch_fatal_signals(old);
	err = start(prog, argv, o, &p);
	if (err) {
		s = spawn_error(result, prog, err);
	} else {
		bool in_time;

		p.deadline = ms_from_now(o->timeout_ms);
		in_time = collect(&p);
		finish(&p);
		probe_group = 0;
		s = outcome(result, &p, in_time, o->timeout_ms);
	}
	restore_fatal_signals(old);
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
	unwatch_children(&old_chld);
	free(p.before.pid);
	free(p.buf);
	return s;
}

void probe_result_free(struct probe_result *result)
{
	free(result->reason);
	free(result->out);
	free(result->err_line);
	memset(result, 0, sizeof(*result));
}
