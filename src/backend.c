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
#include "resolve.h"
#include "exec-trust.h"
#include "exec-walk.h"
#include "output.h"
#include "probe.h"
#include "rootfs.h"
#include "trust.h"
#include "util.h"

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

/* What the program is opened for: what the trust rules ask of it. */
enum use {
	USE_CANDIDATE,		/* a command's choice: the candidate rule */
	USE_PROBE,		/* running it: as whom, too */
	USE_AS_IS,		/* as another reader would (libvirt): no rules */
};

/*
 * The handle on binary, as the rule for use reaches it: on the default
 * search path as root, by the walk that judges every step of the path
 * as printed; else as the root (or this system) resolves it.
 */
static int open_binary(const struct searchpath *sp, const char *binary,
		       bool walk, char **reason, enum backend_check *verdict)
{
	const struct exec_rules rules = { .judged = true,
					  .other = TRUST_ROOT_ONLY };
	enum exec_verdict v;
	char *why;
	int fd;

	if (walk) {
		fd = exec_walk(&rules, binary, &v, &why);
		if (fd < 0 && v == EXEC_NOT_TRUSTED) {
			*verdict = BACKEND_NOT_TRUSTED;
			*reason = xasprintf("not trusted: %s", why);
		} else if (fd < 0) {
			*reason = strcmp(why, "not found") == 0 ? xstrdup(why) :
				xasprintf("cannot open: %s", why);
		}
		free(why);
		return fd;
	}
	fd = sp && sp->root ? rootfs_path(sp->fs, binary) :
		open(binary, O_PATH | O_CLOEXEC);
	if (fd < 0)
		*reason = errno == ENOENT || errno == ENOTDIR ?
			xstrdup("not found") :
			xasprintf("cannot open: %s", strerror(errno));
	return fd;
}

/*
 * Open the binary a descriptor names (in the root under --root, sp NULL
 * for a path on this system) and check, on that one handle, that it can
 * start: it exists, is a regular file the user it will run as may
 * execute, and what execve loads with it is there; for a privileged
 * caller, that the trust rules let it run, with everything execve loads
 * (exec-trust.c; a probe: as whom, and its --env).  The one wording of
 * these failures, for every command.
 */
static enum backend_check open_program(const struct searchpath *sp,
				       const char *binary, enum use use,
				       const struct probe_options *o,
				       struct program *p, char **reason)
{
	bool candidate = use != USE_AS_IS && sp && trust_applies(sp);
	struct exec_rules rules = { .other = TRUST_ROOT_ONLY };
	enum backend_check verdict = BACKEND_CANNOT_START;
	struct trust_user user = { 0 };
	enum exec_verdict v;
	struct stat st;
	char *why = NULL;

	memset(p, 0, sizeof(*p));
	*reason = NULL;
	p->path = sp ? searchpath_host_path(sp, binary) : xstrdup(binary);
	p->run.path = p->path;
	p->run.fd = open_binary(sp, binary, candidate, reason, &verdict);
	if (p->run.fd < 0)
		return verdict;
	if (fstat(p->run.fd, &st) < 0) {
		*reason = xasprintf("cannot stat: %s", strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		*reason = xasprintf("not executable (%s)",
				    file_type_name(st.st_mode));
	} else if (use == USE_PROBE &&
		   (why = trust_probe_user(p->run.fd, &st, p->path, &user))) {
		*reason = xasprintf("not trusted: %s", why);
		verdict = BACKEND_NOT_TRUSTED;
	} else if (!executable(p->run.fd, &st, &user)) {
		*reason = xstrdup("not executable");
	} else {
		rules.judged = geteuid() == 0 && (candidate || use == USE_PROBE);
		rules.other = user.as_other ? user.uid : TRUST_ROOT_ONLY;
		rules.env = use == USE_PROBE && o ? o->env : NULL;
		v = exec_judge(&rules, p->run.fd, &p->run.script, &why);
		if (v == EXEC_NOT_TRUSTED) {
			*reason = xasprintf("not trusted: %s", why);
			verdict = BACKEND_NOT_TRUSTED;
		} else if (v == EXEC_CANNOT_START) {
			*reason = why;
			why = NULL;
		}
	}
	free(why);
	p->run.as_other = user.as_other;
	p->run.uid = user.uid;
	p->run.gid = user.gid;
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
	enum backend_check verdict = open_program(sp, binary, use, NULL, &p,
						  reason);

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
			   const struct probe_options *o, char **reason)
{
	struct program p;
	bool refused = open_program(sp, binary, USE_PROBE, o, &p, reason) ==
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

	if (open_program(sp, binary, USE_PROBE, o, &p, &reason) !=
	    BACKEND_CAN_START) {
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
		   struct backend_answer *answer)
{
	struct probe_result run;

	memset(answer, 0, sizeof(*answer));
	if (backend_run(sp, binary, o, &run) != PROBE_OK) {
		answer->trouble = run.status == PROBE_SPAWN_FAILED;
		answer->reason = run.reason;
		run.reason = NULL;
	} else {
		answer->ok = capabilities_parse(run.out, run.len, type,
						&answer->caps, &answer->reason);
		if (!answer->ok) {
			char *why = reason_with_stderr(answer->reason,
							     run.err_line);

			free(answer->reason);
			answer->reason = why;
		}
	}
	answer->containment = run.containment;
	probe_result_free(&run);
	return answer->ok;
}

const struct entry *first_startable(const struct searchpath *sp,
				    const struct resolution *res,
				    const char *type, passed_over_fn *passed,
				    void *data)
{
	const struct entry *e;

	for (e = resolution_next_of_type(res, type, NULL); e;
	     e = resolution_next_of_type(res, type, e)) {
		char *reason;
		bool ok = backend_check(sp, e->binary, &reason) ==
			BACKEND_CAN_START;

		if (!ok && passed)
			passed(e, reason, data);
		free(reason);
		if (ok)
			return e;
	}
	return NULL;
}

const struct entry *first_answering(const struct searchpath *sp,
				    const struct resolution *res,
				    const char *type,
				    const struct probe_options *o,
				    char *const *features, size_t n_features,
				    passed_over_fn *passed, void *data)
{
	const struct entry *e;

	for (e = resolution_next_of_type(res, type, NULL); e;
	     e = resolution_next_of_type(res, type, e)) {
		struct backend_answer a;
		bool ok = backend_probe(sp, e->binary, type, o, &a);
		size_t i = 0;

		while (ok && i < n_features &&
		       capabilities_has(&a.caps, features[i]))
			i++;
		if (passed && (!ok || i < n_features))
			passed(e, ok ? NULL : a.reason, data);
		backend_answer_free(&a);
		if (ok && i == n_features)
			return e;
	}
	return NULL;
}

enum backend_check backend_open(const struct searchpath *sp,
				const char *binary,
				const struct probe_options *o,
				struct probe_program *prog, char **reason)
{
	struct program p;
	enum backend_check verdict = open_program(sp, binary, USE_PROBE, o,
						  &p, reason);

	if (verdict != BACKEND_CAN_START) {
		program_close(&p);
		p.run.path = NULL;
	}
	*prog = p.run;
	return verdict;
}

void backend_close(struct probe_program *prog)
{
	struct program p = { *prog, (char *)prog->path };

	program_close(&p);
}

void backend_answer_free(struct backend_answer *answer)
{
	free(answer->reason);
	capabilities_free(&answer->caps);
	memset(answer, 0, sizeof(*answer));
}
