/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The binary is opened once, as a handle that cannot read (O_PATH); every
 * check is made on that handle, and the probe executes it: what was
 * checked is what runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "probe.h"
#include "util.h"

/*
 * The interpreter a "#!" file names, or NULL when it is not one (or
 * cannot be read).  The kernel reads at most 256 bytes of that line; so
 * do we, through the handle.
 */
static char *script_interpreter(int fd)
{
	char line[256], proc[64];
	size_t n, start = 2, end;
	ssize_t got;
	int rfd;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	rfd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (rfd < 0)
		return NULL;
	got = read(rfd, line, sizeof(line) - 1);
	close(rfd);
	if (got < 2 || line[0] != '#' || line[1] != '!')
		return NULL;
	n = (size_t)got;
	line[n] = '\0';
	while (start < n && (line[start] == ' ' || line[start] == '\t'))
		start++;
	end = start;
	while (end < n && line[end] != ' ' && line[end] != '\t' &&
	       line[end] != '\n' && line[end] != '\0')
		end++;
	return xasprintf("%.*s", (int)(end - start), line + start);
}

/* Whether this user may execute the file fd is a handle on. */
static bool executable(int fd, const struct stat *st)
{
	if (faccessat(fd, "", X_OK, AT_EMPTY_PATH) == 0)
		return true;
	if (errno != EINVAL && errno != ENOSYS)
		return false;
	/* A kernel without faccessat2: any x bit, as access() gives root. */
	return (st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
}

/*
 * Open the program at path and check that it can start: it exists, is a
 * regular file this user may execute, and a script's interpreter exists.
 * The one wording of these failures, for every command.  On success
 * prog->fd is the handle to run (close it); on failure *reason says why.
 */
static bool open_program(const char *path, struct probe_program *prog,
			 char **reason)
{
	struct stat st, ist;
	char *interp = NULL;

	memset(prog, 0, sizeof(*prog));
	*reason = NULL;
	prog->path = path;
	prog->fd = open(path, O_PATH | O_CLOEXEC);
	if (prog->fd < 0) {
		*reason = errno == ENOENT || errno == ENOTDIR ?
			xstrdup("not found") :
			xasprintf("cannot open: %s", strerror(errno));
		return false;
	}
	if (fstat(prog->fd, &st) < 0)
		*reason = xasprintf("cannot stat: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		*reason = xasprintf("not executable (%s)",
				    file_type_name(st.st_mode));
	else if (!executable(prog->fd, &st))
		*reason = xstrdup("not executable");
	else if ((interp = script_interpreter(prog->fd)) &&
		 stat(interp, &ist) < 0 && (errno == ENOENT || errno == ENOTDIR))
		*reason = xasprintf("cannot run: interpreter %s not found",
				    interp);
	prog->script = interp != NULL;
	free(interp);
	if (!*reason)
		return true;
	close(prog->fd);
	prog->fd = -1;
	return false;
}

/* Where binary is on this system: under --root when sp has one. */
static char *host_path(const struct searchpath *sp, const char *binary)
{
	return sp ? searchpath_host_path(sp, binary) : xstrdup(binary);
}

bool backend_can_start(const struct searchpath *sp, const char *binary,
		       char **reason)
{
	char *path = host_path(sp, binary);
	struct probe_program prog;
	bool ok = open_program(path, &prog, reason);

	if (ok)
		close(prog.fd);
	free(path);
	return ok;
}

bool backend_probe(const struct searchpath *sp, const char *binary,
		   const char *type, const struct probe_options *o,
		   struct backend_report *report)
{
	char *path = host_path(sp, binary);
	const char *const argv[] = { path, "--print-capabilities", NULL };
	struct probe_program prog;
	struct probe_result run;

	memset(report, 0, sizeof(*report));
	if (!open_program(path, &prog, &report->reason)) {
		free(path);
		return false;
	}
	if (probe_run(&prog, argv, o, &run) != PROBE_OK) {
		report->trouble = run.status == PROBE_SPAWN_FAILED;
		report->reason = run.reason;
		run.reason = NULL;
	} else {
		report->ok = capabilities_parse(run.out, run.len, type,
						&report->caps, &report->reason);
	}
	report->containment = run.containment;
	probe_result_free(&run);
	close(prog.fd);
	free(path);
	return report->ok;
}

void backend_report_free(struct backend_report *report)
{
	free(report->reason);
	capabilities_free(&report->caps);
	memset(report, 0, sizeof(*report));
}
