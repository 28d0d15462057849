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
#include "rootfs.h"
#include "trust.h"
#include "util.h"

/*
 * The interpreter a "#!" file names, or NULL when it is not one (or
 * cannot be read).  The kernel reads at most 256 bytes of that line; so
 * do we, through the handle.
 */
static char *script_interpreter(int fd)
{
	char line[256];
	size_t n, start = 2, end;
	ssize_t got;
	int rfd;

	rfd = rootfs_reopen(fd);
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

/*
 * Whether a script's interpreter is missing.  A relative one is found
 * from where the probe runs it: the working directory "/".
 */
static bool interpreter_missing(const char *interp, struct stat *st)
{
	char *path = interp[0] == '/' ? xstrdup(interp) : path_join("/", interp);
	bool missing = stat(path, st) < 0;

	free(path);
	return missing;
}

/* Whether the user the program runs as may execute it. */
static bool executable(int fd, const struct stat *st,
		       const struct trust_user *user)
{
	if (user->as_other)
		return (st->st_mode & S_IXUSR) != 0;
	if (faccessat(fd, "", X_OK, AT_EMPTY_PATH) == 0)
		return true;
	if (errno != EINVAL && errno != ENOSYS)
		return false;
	/* A kernel without faccessat2: any x bit, as access() gives root. */
	return (st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
}

/* A program opened and checked, and how it is to be run. */
struct program {
	struct probe_program run;
	char *path;		/* where it is shown to be: DIR + binary */
};

static void program_close(struct program *p)
{
	if (p->run.fd >= 0)
		close(p->run.fd);
	free(p->path);
}

/*
 * Open the binary a descriptor names (in the root under --root, sp NULL
 * for a path on this system) and check, on that one handle, that it can
 * start: it exists, is a regular file the user it will run as may
 * execute, a script's interpreter exists, and, for a privileged caller,
 * that the trust rules let it run (probe: for a probe, who it runs as).
 * The one wording of these failures, for every command.
 */
/* What the program is opened for: what the trust rules ask of it. */
enum use {
	USE_CANDIDATE,		/* a command's choice: the candidate rule */
	USE_PROBE,		/* running it: as whom, too */
	USE_AS_IS,		/* as another reader would (libvirt): no rules */
};

static enum backend_check open_program(const struct searchpath *sp,
				       const char *binary, enum use use,
				       struct program *p, char **reason)
{
	struct stat st, ist;
	char *interp = NULL, why[64];
	struct trust_user user = { 0 };
	enum backend_check verdict = BACKEND_CANNOT_START;

	memset(p, 0, sizeof(*p));
	*reason = NULL;
	p->path = sp ? searchpath_host_path(sp, binary) : xstrdup(binary);
	p->run.path = p->path;
	p->run.fd = sp && sp->root ? rootfs_path(sp->fs, binary) :
		open(binary, O_PATH | O_CLOEXEC);
	if (p->run.fd < 0) {
		*reason = errno == ENOENT || errno == ENOTDIR ?
			xstrdup("not found") :
			xasprintf("cannot open: %s", strerror(errno));
		return verdict;
	}
	if (fstat(p->run.fd, &st) < 0) {
		*reason = xasprintf("cannot stat: %s", strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		*reason = xasprintf("not executable (%s)",
				    file_type_name(st.st_mode));
	} else if ((use != USE_AS_IS && sp && trust_applies(sp) &&
		    trust_doubt_program(p->run.fd, &st, why, sizeof(why))) ||
		   (use == USE_PROBE && !trust_probe_user(p->run.fd, &st, &user,
							  why, sizeof(why)))) {
		*reason = xasprintf("not trusted: %s", why);
		verdict = BACKEND_NOT_TRUSTED;
	} else if (!executable(p->run.fd, &st, &user)) {
		*reason = xstrdup("not executable");
	} else if ((interp = script_interpreter(p->run.fd)) &&
		   interpreter_missing(interp, &ist) &&
		   (errno == ENOENT || errno == ENOTDIR)) {
		*reason = xasprintf("cannot run: interpreter %s not found",
				    interp);
	}
	p->run.script = interp != NULL;
	p->run.as_other = user.as_other;
	p->run.uid = user.uid;
	p->run.gid = user.gid;
	free(interp);
	if (!*reason)
		return BACKEND_CAN_START;
	close(p->run.fd);
	p->run.fd = -1;
	return verdict;
}

static enum backend_check check_program(const struct searchpath *sp,
					const char *binary, enum use use,
					char **reason)
{
	struct program p;
	enum backend_check verdict = open_program(sp, binary, use, &p, reason);

	program_close(&p);
	return verdict;
}

enum backend_check backend_check(const struct searchpath *sp,
				 const char *binary, char **reason)
{
	return check_program(sp, binary, USE_CANDIDATE, reason);
}

enum backend_check backend_check_as_is(const struct searchpath *sp,
				       const char *binary, char **reason)
{
	return check_program(sp, binary, USE_AS_IS, reason);
}

bool backend_probe_refused(const struct searchpath *sp, const char *binary,
			   char **reason)
{
	struct program p;
	bool refused = open_program(sp, binary, USE_PROBE, &p, reason) ==
		BACKEND_NOT_TRUSTED;

	program_close(&p);
	if (!refused) {
		free(*reason);
		*reason = NULL;
	}
	return refused;
}

enum probe_status backend_run(const struct searchpath *sp,
			      const char *binary,
			      const struct probe_options *o,
			      struct probe_result *run)
{
	struct program p;
	char *reason;

	if (open_program(sp, binary, USE_PROBE, &p, &reason) != BACKEND_CAN_START) {
		program_close(&p);
		memset(run, 0, sizeof(*run));
		run->status = PROBE_NOT_EXECUTABLE;
		run->reason = reason;
		return run->status;
	}
	const char *const argv[] = { p.path, "--print-capabilities", NULL };

	probe_run(&p.run, argv, o, run);
	program_close(&p);
	return run->status;
}

bool backend_probe(const struct searchpath *sp, const char *binary,
		   const char *type, const struct probe_options *o,
		   struct backend_report *report)
{
	struct probe_result run;

	memset(report, 0, sizeof(*report));
	if (backend_run(sp, binary, o, &run) != PROBE_OK) {
		report->trouble = run.status == PROBE_SPAWN_FAILED;
		report->reason = run.reason;
		run.reason = NULL;
	} else {
		report->ok = capabilities_parse(run.out, run.len, type,
						&report->caps, &report->reason);
	}
	report->containment = run.containment;
	probe_result_free(&run);
	return report->ok;
}

void backend_report_free(struct backend_report *report)
{
	free(report->reason);
	capabilities_free(&report->caps);
	memset(report, 0, sizeof(*report));
}
