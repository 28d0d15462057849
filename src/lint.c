/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * With files, every check of one descriptor each; without, everything on
 * the search path, including where libvirt would decide differently
 * (libvirt.c says what it would do).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "lint-libvirt.h"
#include "lint.h"
#include "report.h"
#include "resolve.h"
#include "schema.h"
#include "util.h"

/* One validate run: what it checks with, and what it found. */
struct lint_run {
	const struct searchpath *sp;
	const struct lint_options *o;
	struct lint_result *out;
	bool libvirt_noted;	/* a libvirt note was made */
};

/* A finding about path at p (0: unknown). */
static void __attribute__((format(printf, 6, 7)))
add_finding_at(struct lint_run *l, enum rule rule, enum diag_level level,
	       const char *path, struct text_pos p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(&l->out->diags, rule, level, path, p.line, p.column, fmt,
		   ap);
	va_end(ap);
}

#define NOWHERE ((struct text_pos){ 0, 0 })
#define add_finding(l, rule, level, path, ...) \
	add_finding_at(l, rule, level, path, NOWHERE, __VA_ARGS__)
#define WARN(l, rule, ...) add_finding(l, rule, DIAG_WARNING, __VA_ARGS__)
#define ERR(l, rule, ...) add_finding(l, rule, DIAG_ERROR, __VA_ARGS__)

/* Where the value of member key of d is. */
static struct text_pos value_at(const struct descriptor *d, const char *key)
{
	const struct member_pos *m = descriptor_member_pos(d, key);

	return m ? m->value : NOWHERE;
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

static void check_name(struct lint_run *l, const char *path, const char *name)
{
	if (!is_candidate_name(name))
		WARN(l, RULE_NEVER_READ, path, "the name does not end in '.json' "
		     "or starts with '.': never read from the search path");
	else if (!is_conventional_name(name))
		WARN(l, RULE_NAMING, path, "the name does not follow the NN-name.json convention "
		     "(two digits, a dash, a name) that orders descriptors");
}

/*
 * The binary as this system sees it: in the root under --root.  One that
 * cannot start is a warning; one a privileged caller must not start, an
 * error.
 */
static void check_binary(struct lint_run *l, const struct descriptor *d)
{
	char *reason, *why;
	enum backend_check verdict = backend_check(l->sp, d->binary, &reason);

	if (verdict == BACKEND_CAN_START)
		return;
	why = binary_reason_text(l->sp, d->binary, reason);
	if (verdict == BACKEND_NOT_TRUSTED)
		add_finding_at(l, RULE_UNTRUSTED_BINARY, DIAG_ERROR, d->path,
			       value_at(d, "binary"), "binary %s: %s",
			       d->binary, why);
	else
		add_finding_at(l, RULE_CANNOT_START, DIAG_WARNING, d->path,
			       value_at(d, "binary"), "binary %s: %s",
			       d->binary, why);
	free(why);
	free(reason);
}

/*
 * A descriptor that lists its features must list what the backend
 * reports: a feature listed but not reported is what a management layer
 * would be misled by, one reported but not listed is out of date.
 */
static void check_listed_features(struct lint_run *l, const struct descriptor *d,
				  const struct capabilities *caps)
{
	const struct member_pos *m = descriptor_member_pos(d, "features");
	json_t *f;
	size_t i;

	if (!d->features)
		return;
	json_array_foreach(d->features, i, f)
		if (!capabilities_has(caps, json_string_value(f)))
			add_finding_at(l, RULE_FEATURE_NOT_REPORTED,
				       DIAG_WARNING, d->path, m && i < m->n_items ?
				       m->items[i] : NOWHERE,
				       "'features' lists '%s', which %s does "
				       "not report", json_string_value(f),
				       d->binary);
	for (size_t k = 0; k < caps->n_features; k++) {
		bool listed = false;

		json_array_foreach(d->features, i, f)
			listed |= strcmp(json_string_value(f),
					 caps->features[k]) == 0;
		if (!listed)
			add_finding_at(l, RULE_FEATURE_NOT_LISTED, DIAG_WARNING,
				       d->path, m ? m->value : NOWHERE,
				       "%s reports '%s', which 'features' does "
				       "not list", d->binary, caps->features[k]);
	}
}

/* Run the backend's probe; a failure or a wrong type is an error. */
static void check_probe(struct lint_run *l, const struct descriptor *d)
{
	const struct backend_type *t = schema_find_type(d->type);
	struct backend_answer r;

	if (!backend_probe(l->sp, d->binary, d->type, &l->o->run, &r)) {
		add_finding_at(l, RULE_PROBE_FAILED, DIAG_ERROR, d->path,
			       value_at(d, "binary"), "probe of %s failed: %s",
			       d->binary, r.reason);
		backend_answer_free(&r);
		return;
	}
	for (size_t i = 0; i < r.caps.n_features; i++)
		if (!t || !schema_has_feature(t, r.caps.features[i]))
			add_finding_at(l, RULE_PROBE_UNKNOWN_FEATURE,
				       DIAG_WARNING, d->path,
				       value_at(d, "binary"),
				       "%s reports feature '%s', not a known "
				       "feature of type %s", d->binary,
				       r.caps.features[i], d->type);
	check_listed_features(l, d, &r.caps);
	backend_answer_free(&r);
}

/* The binary of d: with --probe its probe, else whether it can start. */
static void check_backend(struct lint_run *l, const struct descriptor *d)
{
	if (!d->binary)
		return;
	/* With --probe a missing binary is the probe's error, not a warning. */
	if (l->o->probe && descriptor_is_valid(d))
		check_probe(l, d);
	else
		check_binary(l, d);
}

/* All checks of one descriptor that takes effect (or was named). */
static void check_descriptor(struct lint_run *l, const struct entry *e)
{
	diags_add_all(&l->out->diags, &e->desc->diags);
	check_name(l, e->path, e->name);
	check_backend(l, e->desc);
}

/* validate -: one descriptor, with no place on the search path. */
static void lint_stdin(struct lint_run *l)
{
	struct descriptor *d = descriptor_load_stream(STDIN_FILENO, "<stdin>");

	l->out->files++;
	diags_add_all(&l->out->diags, &d->diags);
	check_backend(l, d);
	descriptor_free(d);
}

static void lint_file(struct lint_run *l, const char *path)
{
	struct resolution res;
	const struct entry *e;
	size_t n;

	resolve_path(path, &(struct resolve_options){ .keep = KEEP_MEMBERS },
		     &res);
	e = &res.entries[0];
	l->out->files++;
	switch (e->kind) {
	case KIND_DESCRIPTOR:
		check_descriptor(l, e);
		break;
	case KIND_MASK:
		WARN(l, RULE_MASK, path, "a mask (%s), not a descriptor",
		     mask_kind(e));
		break;
	case KIND_OTHER:
		if (e->error && !e->symlink)
			ERR(l, RULE_UNREADABLE, path, "%s", strerror(e->error));
		else
			ERR(l, RULE_UNREADABLE, path, "not a descriptor: %s",
			    e->reason);
		break;
	}
	n = diags_made_count(&l->out->diags);
	lint_libvirt_file(&res, e, l->o->libvirt, &l->out->diags);
	l->libvirt_noted |= diags_made_count(&l->out->diags) > n;
	resolution_free(&res);
}

/*
 * An overridden or masked descriptor takes effect neither here nor in
 * libvirt (which reads only the most specific file of a name), so its
 * being invalid is a warning: it matters once the override goes.
 */
static void check_hidden(struct lint_run *l, const struct entry *e)
{
	const struct diag *g;

	l->out->files++;
	if (e->kind != KIND_DESCRIPTOR || !e->desc ||
	    !(g = diags_first_error(&e->desc->diags)))
		return;
	diags_add(&l->out->diags, g->rule, DIAG_WARNING, e->path, g->line,
		  g->column,
		  "%s (takes no effect: %s by %s)", g->msg,
		  e->status == STATUS_MASKED ? "masked" : "overridden",
		  e->by->path);
}

static void check_ignored(struct lint_run *l, const struct entry *e)
{
	WARN(l, RULE_IGNORED, e->path, "ignored: %s", e->reason);
}

/* The entries of one candidate name, most specific first. */
static void check_named(struct lint_run *l, const struct entry *named,
			size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &named[i];

		if (e->status == STATUS_IGNORED) {
			l->out->files++;
			check_ignored(l, e);
		} else if (!entry_takes_effect(e)) {
			check_hidden(l, e);
		} else {
			l->out->files++;
			if (e->status != STATUS_MASKED)
				check_descriptor(l, e);
		}
	}
}

/*
 * A check pointed at the wrong tree must not pass: a --dir that does not
 * exist, and a search path without a single descriptor, are warnings.
 */
static void check_tree(struct lint_run *l, struct resolution *res)
{
	char *none;

	for (size_t i = 0; i < res->n_dirs; i++)
		if (res->missing[i] && l->sp->dirs[i].origin == DIR_OPTION)
			WARN(l, RULE_NO_DIR, l->sp->dirs[i].path,
			     "no such directory");
	if (resolution_has_descriptor(res))
		return;
	none = no_descriptor_text(l->sp);
	WARN(l, RULE_NO_DESCRIPTOR, NULL, "%s", none);
	free(none);
}

/* An empty result, its findings going where o says. */
static void lint_start(const struct lint_options *o, struct lint_result *out)
{
	memset(out, 0, sizeof(*out));
	out->diags.sink = o->sink;
	out->diags.sink_data = o->sink_data;
	out->diags.ignore = o->ignore;
}


/* Everything on l->sp; the libvirt notes noted in l. */
static void lint_tree(struct lint_run *l)
{
	const struct searchpath *sp = l->sp;
	const struct lint_options *o = l->o;
	struct lint_result *out = l->out;
	struct resolution res;
	size_t before;

	resolve(sp, &(struct resolve_options){
		.load_all = true, .keep_skipped = true, .keep = KEEP_MEMBERS,
	}, &res);
	for (size_t k = 0; k < res.n_warnings; k++)
		WARN(l, res.warnings[k].untrusted ? RULE_DIR_UNTRUSTED :
		     RULE_DIR_UNREADABLE, res.warnings[k].dir, "%s",
		     res.warnings[k].msg);
	check_tree(l, &res);
	/*
	 * Each name is read, checked and let go in turn: what the libvirt
	 * notes ask of a valid descriptor (its type, binary and nesting)
	 * stays with its entry, the parsed file does not.
	 */
	for (size_t i = 0, n; (n = resolution_settle(&res, i)); i += n) {
		const struct entry *named = &res.entries[i];

		if (named->status != STATUS_SKIPPED)
			check_named(l, named, n);
		resolution_slim(&res, i, n);
	}
	before = diags_made_count(&out->diags);
	lint_libvirt(sp, &res, o, &out->diags);
	l->libvirt_noted |= diags_made_count(&out->diags) > before;
	resolution_free(&res);
}

void lint_searchpath(const struct searchpath *sp,
		     const struct lint_options *o, struct lint_result *out)
{
	struct lint_run l = { sp, o, out, false };

	lint_start(o, out);
	lint_tree(&l);
	if (l.libvirt_noted)
		lint_libvirt_whose(o->libvirt, &out->diags);
}

/* validate DIR: that directory as a one-directory search path. */
static void lint_dir(struct lint_run *l, const char *dir)
{
	struct searchpath sp;
	struct lint_run sub = *l;

	searchpath_init(&sp, &(struct searchpath_options){
		.root = l->sp->root, .fs = l->sp->fs,
		.dirs = &dir, .n_dirs = 1,
	});
	sub.sp = &sp;
	lint_tree(&sub);
	l->libvirt_noted |= sub.libvirt_noted;
	searchpath_free(&sp);
}

static bool is_directory(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void lint_files(const struct searchpath *sp, char *const *files, size_t n,
		const struct lint_options *o, struct lint_result *out)
{
	struct lint_run l = { sp, o, out, false };

	lint_start(o, out);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(files[i], "-") == 0)
			lint_stdin(&l);
		else if (is_directory(files[i]))
			lint_dir(&l, files[i]);
		else
			lint_file(&l, files[i]);
	}
	if (l.libvirt_noted)
		lint_libvirt_whose(o->libvirt, &out->diags);
}

void lint_free(struct lint_result *l)
{
	diags_free(&l->diags);
	memset(l, 0, sizeof(*l));
}
