/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A handshake run (SPEC §9): the backend starts as a probe does
 * (backend.c checks it, probe.c runs and contains it), with
 * --socket-path in a private directory (mode 0700, owned by the user it
 * runs as) and what its type needs there; once it listens, vhost-user.c
 * speaks to it.  The socket is waited for with inotify on the private
 * directory, and a bounded backoff besides (a socket bound but not yet
 * listening, no inotify): never a busy loop, never past the deadline.
 * The directory and everything in it go afterwards, whatever happened.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "backend.h"
#include "handshake.h"
#include "resolve.h"
#include "output.h"
#include "util.h"

#define DIR_TEMPLATE "vhost-user-find.XXXXXX"
#define SOCKET_NAME "socket"
#define SHARED_NAME "shared"
#define DISK_NAME "disk"
/* The private disk image a block backend gets. */
#define DISK_SIZE (1024 * 1024)
/* The longest nap between two tries to connect. */
#define MAX_NAP_MS 100
/* How deep a tree the backend left in the directory is removed. */
#define MAX_DEPTH 16

/* The private directory, and what was made in it. */
struct private_dir {
	char *path;
	int fd;
	char *socket;
	char *extra;		/* fs: the shared directory; block: the disk */
};

/* Where the directory goes: $TMPDIR, unless its socket path would be too long. */
static const char *temp_base(void)
{
	const char *t = getenv("TMPDIR");
	struct sockaddr_un sun;

	if (!t || t[0] != '/' ||
	    strlen(t) + sizeof("/" DIR_TEMPLATE "/" SOCKET_NAME) >
	    sizeof(sun.sun_path))
		return "/tmp";
	return t;
}

/* Remove what is in dir fd, depth levels deep at most; closes fd. */
static void empty_dir(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;

	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		int sub;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0 || errno != EISDIR ||
		    depth >= MAX_DEPTH)
			continue;
		sub = openat(dirfd(d), de->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			empty_dir(sub, depth + 1);
		unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/* Remove it and all in it; again, it does nothing. */
static void private_dir_remove(struct private_dir *p)
{
	if (p->fd >= 0) {
		empty_dir(p->fd, 0);
		rmdir(p->path);
	}
	free(p->path);
	free(p->socket);
	free(p->extra);
	memset(p, 0, sizeof(*p));
	p->fd = -1;
}

/* The file or directory the type needs, owned by uid:gid.  0 or errno. */
static int make_extra(struct private_dir *p, const char *type, uid_t uid,
		      gid_t gid)
{
	int fd;

	if (strcmp(type, "fs") == 0) {
		p->extra = path_join(p->path, SHARED_NAME);
		if (mkdirat(p->fd, SHARED_NAME, 0700) < 0 ||
		    fchownat(p->fd, SHARED_NAME, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
			return errno;
	} else if (strcmp(type, "block") == 0) {
		p->extra = path_join(p->path, DISK_NAME);
		fd = openat(p->fd, DISK_NAME, O_WRONLY | O_CREAT | O_EXCL |
			    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return errno;
		if (ftruncate(fd, DISK_SIZE) < 0 || fchown(fd, uid, gid) < 0) {
			int e = errno;

			close(fd);
			return e;
		}
		close(fd);
	}
	return 0;
}

/* The private directory for a backend running as uid:gid.  0 or errno. */
static int private_dir_make(struct private_dir *p, const char *type,
			    uid_t uid, gid_t gid)
{
	char *path = path_join(temp_base(), DIR_TEMPLATE);

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	if (!mkdtemp(path)) {
		int e = errno;

		free(path);
		return e;
	}
	p->path = path;
	p->socket = path_join(path, SOCKET_NAME);
	p->fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (p->fd < 0) {
		int e = errno;

		rmdir(path);
		return e;
	}
	if (fchown(p->fd, uid, gid) < 0 || fchmod(p->fd, 0700) < 0)
		return errno;
	return make_extra(p, type, uid, gid);
}

/* The backend's argv: BINARY --socket-path=S, its type's, then q's. */
static char **arguments(const char *path, const struct private_dir *p,
			const struct handshake_request *q, bool shared_dir)
{
	char **argv = xcalloc(q->n_args + 5, sizeof(*argv));
	size_t n = 0;

	argv[n++] = xstrdup(path);
	argv[n++] = xasprintf("--socket-path=%s", p->socket);
	if (strcmp(q->type, "fs") == 0 && shared_dir) {
		argv[n++] = xasprintf("--shared-dir=%s", p->extra);
	} else if (strcmp(q->type, "fs") == 0) {
		argv[n++] = xstrdup("-o");
		argv[n++] = xasprintf("source=%s", p->extra);
	} else if (strcmp(q->type, "block") == 0) {
		argv[n++] = xasprintf("--blk-file=%s", p->extra);
	}
	for (size_t i = 0; i < q->n_args; i++)
		argv[n++] = xstrdup(q->args[i]);
	return argv;
}

/* The client's side of the run: serve() below. */
struct talk {
	struct private_dir *p;
	int inotify;		/* on its directory, or -1 */
	bool ok;
	bool ended;		/* the run ended before the talk did */
	char *reason;
	struct vu_answer answer;
};

static void drain_inotify(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/*
 * Connect to the socket the backend made, through a handle on what it
 * made (O_PATH, never following a link): a backend running as a user of
 * its own must not point the tool at another socket.  The fd, or -1
 * with errno (ENOTSOCK and *mode when it made something else).
 */
static int connect_socket(int dir, mode_t *mode)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int h = openat(dir, SOCKET_NAME, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	int fd = -1, e;
	struct stat st;

	if (h < 0)
		return -1;
	if (fstat(h, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		*mode = st.st_mode;
		e = ENOTSOCK;
	} else if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
				SOCK_NONBLOCK, 0)) >= 0) {
		snprintf(sun.sun_path, sizeof(sun.sun_path), "/proc/self/fd/%d", h);
		e = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 ? 0 : errno;
	} else {
		e = errno;
	}
	close(h);
	if (e && fd >= 0)
		close(fd);
	errno = e;
	return e ? -1 : fd;
}

/* A connection once the backend listens, or -1 with t->reason. */
static int connect_when_listening(struct talk *t, struct probe_run *run)
{
	long nap = 1;

	for (;;) {
		mode_t mode = 0;
		int fd = connect_socket(t->p->fd, &mode), n = errno;

		if (fd >= 0)
			return fd;
		if (n == ENOTSOCK) {
			t->reason = xasprintf("made %s at its socket path, not a socket",
					      file_type_name(mode));
			return -1;
		}
		/* Not there yet, bound but not listening, or its queue full. */
		if (n != ENOENT && n != ECONNREFUSED && n != EAGAIN) {
			t->reason = xasprintf("cannot connect to its socket: %s",
					      strerror(n));
			return -1;
		}
		n = probe_wait(run, t->inotify, POLLIN, nap);
		if (n < 0) {
			t->ended = true;
			t->reason = xstrdup("did not listen on its socket");
			return -1;
		}
		if (n > 0)
			drain_inotify(t->inotify);
		nap = nap * 2 > MAX_NAP_MS ? MAX_NAP_MS : nap * 2;
	}
}

/* vu_channel's wait: until the deadline. */
static int wait_on(void *ctx, int fd, short events)
{
	return probe_wait(ctx, fd, events, -1);
}

static void serve(void *data, struct probe_run *run)
{
	struct talk *t = data;
	struct vu_channel c = { .wait = wait_on, .ctx = run };

	/* Again from the start when the run is retried. */
	free(t->reason);
	t->reason = NULL;
	t->ok = t->ended = false;
	c.fd = connect_when_listening(t, run);
	if (c.fd < 0)
		return;
	t->ok = vu_handshake(&c, &t->answer, &t->reason);
	t->ended = t->answer.ended;
	close(c.fd);
}

/* The run is over: nothing made for it stays, whatever ended it. */
static void done(void *data)
{
	struct talk *t = data;

	private_dir_remove(t->p);
}

/*
 * The probe's reason without the stderr line it may end in: the line
 * is quoted as such, once, at the end of ours.
 */
static char *without_line(const struct probe_result *run)
{
	size_t len = strlen(run->reason), n;
	char *tail;

	if (run->err_line) {
		tail = reason_with_stderr("", run->err_line);
		n = strlen(tail);
		if (len >= n && strcmp(run->reason + len - n, tail) == 0)
			len -= n;
		free(tail);
	}
	return xasprintf("%.*s", (int)len, run->reason);
}

/* Why the handshake failed: ours, how the run ended, its stderr. */
static char *failure(const struct talk *t, const struct probe_result *run)
{
	char *how = NULL, *ours, *why;

	if (run->status != PROBE_OK)
		how = without_line(run);
	else if (t->ended)
		how = xstrdup("exited with status 0");
	ours = xasprintf("%s%s%s", t->reason ? t->reason : "",
			 t->reason && how ? ": " : "", how ? how : "");
	why = reason_with_stderr(ours, run->err_line);
	free(how);
	free(ours);
	return why;
}

/*
 * Run prog as q says, from the private directory p (removed by the
 * end); shared_dir: an fs backend takes --shared-dir.
 */
static void run_backend(const struct probe_program *prog,
			struct private_dir *p,
			const struct handshake_request *q, bool shared_dir,
			const struct probe_options *o,
			struct handshake_result *res)
{
	struct talk t = { .p = p };
	struct probe_client client = { serve, done, &t };
	struct probe_options po = *o;
	struct probe_result run;
	char **argv = arguments(prog->path, p, q, shared_dir);

	po.client = &client;
	t.inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (t.inotify >= 0 &&
	    inotify_add_watch(t.inotify, p->path, IN_CREATE | IN_MOVED_TO) < 0) {
		close(t.inotify);
		t.inotify = -1;
	}
	probe_run(prog, (const char *const *)argv, &po, &run);
	res->containment = run.containment;
	res->ok = t.ok;
	if (t.ok)
		res->answer = t.answer;
	else if (run.status == PROBE_NOT_FOUND ||
		 run.status == PROBE_NOT_EXECUTABLE ||
		 run.status == PROBE_SPAWN_FAILED)
		/* It never ran: not executable, our own machinery. */
		res->reason = xstrdup(run.reason);
	else
		res->reason = failure(&t, &run);
	res->trouble = !t.ok && run.status == PROBE_SPAWN_FAILED;
	if (t.inotify >= 0)
		close(t.inotify);
	free(t.reason);
	probe_result_free(&run);
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* fs: whether the backend takes --shared-dir (its probe reports separate-options). */
static bool separate_options(const struct searchpath *sp, const char *binary,
			     const char *type, const struct probe_options *o)
{
	struct backend_answer r;
	bool yes;

	if (strcmp(type, "fs") != 0)
		return false;
	yes = backend_probe(sp, binary, type, o, &r) &&
	      capabilities_has(&r.caps, "separate-options");
	backend_answer_free(&r);
	return yes;
}

bool handshake_run(const struct searchpath *sp, const char *binary,
		   const struct handshake_request *q,
		   const struct probe_options *o,
		   struct handshake_result *res)
{
	bool shared_dir = separate_options(sp, binary, q->type, o);
	struct probe_program prog;
	struct private_dir p;
	int e;

	memset(res, 0, sizeof(*res));
	if (backend_open(sp, binary, o, &prog, &res->reason) !=
	    BACKEND_CAN_START)
		return false;
	e = private_dir_make(&p, q->type, prog.as_other ? prog.uid : geteuid(),
			     prog.as_other ? prog.gid : getegid());
	if (e) {
		res->trouble = true;
		res->reason = xasprintf("cannot make its private directory under %s: %s",
					temp_base(), strerror(e));
	} else {
		run_backend(&prog, &p, q, shared_dir, o, res);
	}
	private_dir_remove(&p);
	backend_close(&prog);
	return res->ok;
}

void handshake_result_free(struct handshake_result *res)
{
	free(res->reason);
	memset(res, 0, sizeof(*res));
}

static void lint_entry(const struct searchpath *sp, const struct entry *e,
		       const struct probe_options *o, struct diags *d)
{
	const struct handshake_request q = { .type = e->type };
	struct handshake_result r;

	if (strcmp(e->type, "input") == 0) {
		diags_add(d, RULE_HANDSHAKE_SKIPPED, DIAG_WARNING, e->path, 0, 0,
			  "handshake with %s skipped: an input backend needs a device (handshake --arg --evdev-path=DEVICE)",
			  e->binary);
		return;
	}
	if (!handshake_run(sp, e->binary, &q, o, &r))
		diags_add(d, RULE_HANDSHAKE_FAILED, DIAG_ERROR, e->path, 0, 0,
			  "handshake with %s failed: %s", e->binary, r.reason);
	handshake_result_free(&r);
}

static void lint_resolution(const struct searchpath *sp,
			    struct resolution *res,
			    const struct probe_options *o, struct diags *d)
{
	resolution_settle_all(res);
	for (size_t i = 0; i < res->n; i++)
		if (res->entries[i].status == STATUS_ACTIVE &&
		    res->entries[i].type)
			lint_entry(sp, &res->entries[i], o, d);
}

void handshake_lint(const struct searchpath *sp, char *const *files, size_t n,
		    const struct probe_options *o, struct diags *d)
{
	const struct resolve_options keep = { 0 };
	struct resolution res;

	if (n == 0) {
		resolve(sp, &keep, &res);
		lint_resolution(sp, &res, o, d);
		resolution_free(&res);
	}
	for (size_t i = 0; i < n; i++) {
		resolve_path(files[i], &keep, &res);
		/* The file is a host path; its binary, one under --root. */
		lint_resolution(sp, &res, o, d);
		resolution_free(&res);
	}
}

static const struct {
	const char *feature;
	const char *option;	/* NULL: it needs a value */
} feature_options[] = {
	{ "virgl", "--virgl" },
	{ "no-grab", "--no-grab" },
	{ "read-only", "--read-only" },
	{ "render-node", NULL },
	{ "evdev-path", NULL },
	{ "blk-file", NULL },
};

enum handshake_option handshake_feature_option(const char *feature,
					       const char **option)
{
	for (size_t i = 0; i < sizeof(feature_options) / sizeof(feature_options[0]); i++) {
		if (strcmp(feature_options[i].feature, feature) != 0)
			continue;
		*option = feature_options[i].option;
		return *option ? HANDSHAKE_OPTION : HANDSHAKE_NEEDS_VALUE;
	}
	*option = NULL;
	return HANDSHAKE_NO_OPTION;
}
