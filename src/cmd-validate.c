/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * validate [FILE...] [--probe] [--strict]: a linter for packagers and CI.
 * With files, every check of one descriptor each; without, everything on
 * the search path, including where libvirt (<= 11) would decide
 * differently.  Diagnostics go to stderr in the compiler format
 * "FILE:LINE:COLUMN: error: MSG", without the program name, so that
 * editors and CI annotators can jump to them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capabilities.h"
#include "commands.h"
#include "output.h"
#include "report.h"
#include "resolve.h"
#include "util.h"

enum { OPT_PROBE = 1, OPT_STRICT };

/* libvirt's behaviour is known up to this release (qemu_interop_config.c). */
#define LIBVIRT "libvirt (<= 11)"

struct validate {
	bool probe;
	bool strict;
	struct searchpath sp;
	size_t files;
	size_t errors;
	size_t warnings;
};

static const struct poptOption options[] = {
	{ "probe", '\0', POPT_ARG_NONE, NULL, OPT_PROBE, NULL, NULL },
	{ "strict", '\0', POPT_ARG_NONE, NULL, OPT_STRICT, NULL, NULL },
	POPT_TABLEEND
};

static int handle(int val, const char *arg, void *data)
{
	struct validate *v = data;

	(void)arg;
	if (val == OPT_PROBE)
		v->probe = true;
	else if (val == OPT_STRICT)
		v->strict = true;
	return 0;
}

/*
 * One diagnostic: "PATH:LINE:COLUMN: LEVEL: MSG", without the parts
 * that are 0 (unknown).  Warnings count under -q too, so that --strict means
 * the same whether or not they are shown.
 */
static void __attribute__((format(printf, 6, 7)))
say(struct validate *v, enum diag_level level, const char *path, int line,
    int column, const char *fmt, ...)
{
	const char *what = level == DIAG_ERROR ? "error" : "warning";
	va_list ap;
	char *m;

	if (level == DIAG_ERROR)
		v->errors++;
	else
		v->warnings++;
	if (level == DIAG_WARNING && output_quiet)
		return;
	va_start(ap, fmt);
	m = xvasprintf(fmt, ap);
	va_end(ap);
	/* jansson gives column 0 at the end of the input: leave it out. */
	if (line > 0 && column > 0)
		msg_plain("%s:%d:%d: %s: %s", path, line, column, what, m);
	else if (line > 0)
		msg_plain("%s:%d: %s: %s", path, line, what, m);
	else
		msg_plain("%s: %s: %s", path, what, m);
	free(m);
}

/* Whether name has the conventional form NN-name.json. */
static bool is_conventional_name(const char *name)
{
	size_t len = strlen(name);

	return len > strlen("00-.json") &&
	       name[0] >= '0' && name[0] <= '9' &&
	       name[1] >= '0' && name[1] <= '9' && name[2] == '-' &&
	       str_has_suffix(name, ".json");
}

static void check_name(struct validate *v, const char *path,
		       const char *name)
{
	if (!is_candidate_name(name))
		say(v, DIAG_WARNING, path, 0, 0,
		    "the name does not end in \".json\" or starts with \".\": "
		    "never read from the search path");
	else if (!is_conventional_name(name))
		say(v, DIAG_WARNING, path, 0, 0,
		    "the name does not follow the NN-name.json convention "
		    "(two digits, a dash, a name) that orders descriptors");
}

/* Every finding descriptor.c made: syntax errors with their position. */
static void report_diags(struct validate *v, const struct descriptor *d)
{
	for (size_t i = 0; i < d->diags.n; i++) {
		const struct diag *g = &d->diags.v[i];

		say(v, g->level, d->path, g->line, g->column, "%s", g->msg);
	}
}

/* Features a descriptor lists itself ("features" is not in the schema). */
static void check_features(struct validate *v, const struct descriptor *d)
{
	const struct backend_type *t = d->type ? schema_find_type(d->type) :
		NULL;
	struct descriptor *owned;
	const struct descriptor *full;
	json_t *features, *f;
	size_t i;

	if (!t)
		return;
	full = descriptor_whole(d, &owned);
	features = full->json ? json_object_get(full->json, "features") : NULL;
	if (json_is_array(features))
		json_array_foreach(features, i, f)
			if (json_is_string(f) &&
			    !schema_has_feature(t, json_string_value(f)))
				say(v, DIAG_WARNING, d->path, 0, 0,
				    "feature \"%s\" is not a known feature of type %s",
				    json_string_value(f), t->name);
	descriptor_free(owned);
}

/* The binary as this system sees it: at ROOT + binary under --root. */
static void check_binary(struct validate *v, const struct descriptor *d)
{
	char *host = searchpath_host_path(&v->sp, d->binary);
	char *where = v->sp.root ? xasprintf(" (looked for %s)", host) :
		xstrdup("");
	struct stat st;

	if (stat(host, &st) < 0)
		say(v, DIAG_WARNING, d->path, 0, 0, "binary %s: %s%s",
		    d->binary, strerror(errno), where);
	else if (!S_ISREG(st.st_mode))
		say(v, DIAG_WARNING, d->path, 0, 0,
		    "binary %s: not a regular file%s", d->binary, where);
	else if (!(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) ||
		 access(host, X_OK) < 0)
		say(v, DIAG_WARNING, d->path, 0, 0,
		    "binary %s: not executable%s", d->binary, where);
	free(where);
	free(host);
}

/* Run the backend's probe; a failure or a wrong type is an error. */
static void check_probe(struct validate *v, const struct descriptor *d)
{
	char *host = searchpath_host_path(&v->sp, d->binary);
	const struct backend_type *t = schema_find_type(d->type);
	struct probe_result r;

	if (probe_backend(host, d->type, globals.timeout_ms, &r) != PROBE_OK) {
		say(v, DIAG_ERROR, d->path, 0, 0, "probe of %s failed: %s",
		    d->binary, r.reason);
	} else {
		for (size_t i = 0; i < r.caps.n_features; i++)
			if (!t || !schema_has_feature(t, r.caps.features[i]))
				say(v, DIAG_WARNING, d->path, 0, 0,
				    "%s reports feature \"%s\", not a known feature of type %s",
				    d->binary, r.caps.features[i], d->type);
	}
	probe_result_free(&r);
	free(host);
}

/* All checks of one descriptor that takes effect (or was named). */
static void check_descriptor(struct validate *v, const struct entry *e)
{
	const struct descriptor *d = e->desc;

	report_diags(v, d);
	check_name(v, e->path, e->name);
	check_features(v, d);
	if (!d->binary)
		return;
	/* With --probe a missing binary is the probe's error, not a warning. */
	if (v->probe && descriptor_is_valid(d))
		check_probe(v, d);
	else
		check_binary(v, d);
}

static void validate_file(struct validate *v, const char *path)
{
	struct entry e;

	resolve_file(path, &e);
	v->files++;
	switch (e.kind) {
	case KIND_DESCRIPTOR:
		check_descriptor(v, &e);
		break;
	case KIND_MASK:
		if (e.devnull)
			say(v, DIAG_WARNING, path, 0, 0,
			    "a link to /dev/null: a mask, not a descriptor; "
			    LIBVIRT " does not take it as a mask (an empty file works for both)");
		else
			say(v, DIAG_WARNING, path, 0, 0,
			    "empty: a mask, not a descriptor");
		break;
	default:
		if (e.error && !e.symlink)
			say(v, DIAG_ERROR, path, 0, 0, "%s", strerror(e.error));
		else
			say(v, DIAG_ERROR, path, 0, 0, "not a descriptor: %s",
			    e.reason);
		break;
	}
	entry_clear(&e);
}

/* Whether libvirt fails on this file: it needs it readable, JSON and typed. */
static bool libvirt_rejects(const struct descriptor *d)
{
	return !d->type;
}

/*
 * libvirt reads names we skip, unless hidden: a file that does not end
 * in ".json" (a README, "foo.json~", "foo.json.dpkg-old") is taken as a
 * descriptor, and one it cannot stat fails its every lookup.  Only the
 * most specific regular file of a name is read; e is the first entry of
 * its name, the rest follow.
 */
static size_t check_skipped(struct validate *v, const struct resolution *res,
			    size_t i)
{
	const char *name = res->entries[i].name;
	bool read = false;
	size_t j;

	for (j = i; j < res->n && strcmp(res->entries[j].name, name) == 0;
	     j++) {
		const struct entry *e = &res->entries[j];
		struct descriptor *d;
		struct stat st;

		if (name[0] == '.')
			continue;
		if (stat(e->path, &st) < 0) {
			say(v, DIAG_WARNING, e->path, 0, 0,
			    "not a candidate (%s), but " LIBVIRT " reads it and "
			    "would fail every vhost-user lookup: %s",
			    e->reason, strerror(errno));
			continue;
		}
		if (!S_ISREG(st.st_mode) || read)
			continue;
		read = true;
		if (st.st_size == 0)
			continue;
		d = descriptor_load(e->path);
		if (libvirt_rejects(d))
			say(v, DIAG_WARNING, e->path, 0, 0,
			    "not a candidate (%s), but " LIBVIRT " reads it and "
			    "would fail every vhost-user lookup: %s",
			    e->reason, descriptor_first_error(d)->msg);
		else
			say(v, DIAG_WARNING, e->path, 0, 0,
			    "not a candidate (%s), but " LIBVIRT " reads it and "
			    "would offer it as a %s backend", e->reason,
			    d->type);
		descriptor_free(d);
	}
	return j;
}

/*
 * libvirt skips a link to /dev/null like any non-regular file, so the
 * next file of that name is what it reads.
 */
static void check_devnull_mask(struct validate *v,
			       const struct resolution *res, size_t i)
{
	const struct entry *mask = &res->entries[i];

	for (size_t j = i + 1; j < res->n &&
	     strcmp(res->entries[j].name, mask->name) == 0; j++) {
		const struct entry *e = &res->entries[j];

		if (e->by != mask || (e->kind == KIND_MASK && e->devnull))
			continue;
		if (e->kind == KIND_MASK)
			break;
		say(v, DIAG_WARNING, mask->path, 0, 0,
		    "a link to /dev/null: " LIBVIRT " does not take it as a "
		    "mask and would read %s instead%s; use an empty file",
		    e->path, e->desc && libvirt_rejects(e->desc) ?
		    " (and fail every vhost-user lookup on it)" : "");
		return;
	}
	say(v, DIAG_WARNING, mask->path, 0, 0,
	    "a link to /dev/null: " LIBVIRT " does not take it as a mask; "
	    "use an empty file");
}

/* An effective file that is invalid: we skip it, libvirt may not. */
static void check_invalid(struct validate *v, const struct entry *e)
{
	check_descriptor(v, e);
	if (libvirt_rejects(e->desc))
		say(v, DIAG_WARNING, e->path, 0, 0,
		    LIBVIRT " would fail every vhost-user lookup on this file "
		    "instead of skipping it");
	else
		say(v, DIAG_WARNING, e->path, 0, 0,
		    LIBVIRT " does not check \"binary\" and would use this "
		    "file");
}

/*
 * An overridden or masked descriptor takes effect neither here nor in
 * libvirt (which reads only the most specific file of a name), so its
 * being invalid is a warning: it matters once the override goes.
 */
static void check_hidden(struct validate *v, const struct entry *e)
{
	const struct diag *g;

	v->files++;
	if (e->kind != KIND_DESCRIPTOR || !e->desc ||
	    !(g = descriptor_first_error(e->desc)))
		return;
	say(v, DIAG_WARNING, e->path, g->line, g->column,
	    "%s (takes no effect: %s by %s)", g->msg,
	    e->status == STATUS_MASKED ? "masked" : "overridden", e->by->path);
}

static void check_entry(struct validate *v, const struct resolution *res,
			size_t i)
{
	const struct entry *e = &res->entries[i];

	if (!e->effective && e->status != STATUS_IGNORED) {
		check_hidden(v, e);
		return;
	}
	v->files++;
	switch (e->status) {
	case STATUS_ACTIVE:
		check_descriptor(v, e);
		break;
	case STATUS_INVALID:
		check_invalid(v, e);
		break;
	case STATUS_MASKED:
		if (e->devnull)
			check_devnull_mask(v, res, i);
		break;
	case STATUS_IGNORED:
		if (e->error)
			say(v, DIAG_WARNING, e->path, 0, 0, "ignored: %s; "
			    LIBVIRT " would fail every vhost-user lookup on it",
			    e->reason);
		else
			say(v, DIAG_WARNING, e->path, 0, 0, "ignored: %s",
			    e->reason);
		break;
	default:
		break;
	}
}

/* The user directory, when the search path has one: the last default. */
static const char *user_dir(const struct searchpath *sp)
{
	if (globals.n_dirs > 0 || globals.system || sp->root || sp->n < 3)
		return NULL;
	return sp->dirs[2];
}

/* libvirt's system daemon reads only the first two directories. */
static void check_user_dir(struct validate *v, const struct resolution *res)
{
	const char *dir = user_dir(&v->sp);
	size_t n = 0;

	if (!dir)
		return;
	for (size_t i = 0; i < res->n; i++)
		if (res->entries[i].dir == 2 && res->entries[i].name[0] != '.')
			n++;
	if (n)
		say(v, DIAG_WARNING, dir, 0, 0,
		    "%zu file%s in the user directory: the system daemon of "
		    LIBVIRT " never reads it, so a privileged libvirtd "
		    "chooses without %s", n, n == 1 ? "" : "s",
		    n == 1 ? "it" : "them");
}

static void validate_searchpath(struct validate *v)
{
	struct resolution res;
	size_t i = 0;

	resolve(&v->sp, RESOLVE_LOAD_ALL | RESOLVE_KEEP_SKIPPED, &res);
	for (size_t k = 0; k < res.n_warnings; k++)
		say(v, DIAG_WARNING, res.warnings[k].dir, 0, 0,
		    "cannot read directory: %s; " LIBVIRT " would fail every "
		    "vhost-user lookup", res.warnings[k].msg);
	check_user_dir(v, &res);
	while (i < res.n) {
		if (res.entries[i].status == STATUS_SKIPPED) {
			i = check_skipped(v, &res, i);
			continue;
		}
		check_entry(v, &res, i);
		i++;
	}
	resolution_free(&res);
}

static void print_summary(const struct validate *v)
{
	if (output_quiet)
		return;
	msg_plain("%zu file%s checked, %zu error%s, %zu warning%s", v->files,
		  v->files == 1 ? "" : "s", v->errors,
		  v->errors == 1 ? "" : "s", v->warnings,
		  v->warnings == 1 ? "" : "s");
}

int cmd_validate(const struct command *cmd, int argc, const char **argv)
{
	struct validate v = { 0 };
	char **args;
	size_t n_args;
	int status;

	status = cli_parse(cmd, argc, argv, options, handle, &v, &args,
			   &n_args);
	if (status)
		return status == CLI_DONE ? EXIT_OK : status;
	cli_searchpath(&v.sp);
	if (n_args == 0)
		validate_searchpath(&v);
	for (size_t i = 0; i < n_args; i++)
		validate_file(&v, args[i]);
	print_summary(&v);
	cli_free_args(args);
	searchpath_free(&v.sp);
	if (v.errors || (v.strict && v.warnings))
		return EXIT_NOTFOUND;
	return EXIT_OK;
}
