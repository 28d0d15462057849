/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "report.h"
#include "util.h"

char *position_text(const char *file, int line, int column)
{
	const char *f = file ? file : "", *sep = file ? ":" : "";

	if (line > 0 && column > 0)
		return xasprintf("%s%s%d:%d", f, sep, line, column);
	if (line > 0)
		return xasprintf("%s%s%d", f, sep, line);
	return file ? xstrdup(file) : NULL;
}

void position_json(json_t *o, int line, int column)
{
	if (line > 0)
		json_object_set_new(o, "line", json_integer(line));
	if (line > 0 && column > 0)
		json_object_set_new(o, "column", json_integer(column));
}

static const char *level_name(enum diag_level level)
{
	return level == DIAG_ERROR ? "error" : "warning";
}

char *diag_text(const struct diag *g, bool with_level)
{
	char *file = g->file ? escape_text(g->file) : NULL;
	char *where = file ? position_text(file, g->line, g->column) : NULL;
	char *s;

	const char *id = with_level ? rule_table[g->rule].id : NULL;

	s = xasprintf("%s%s%s%s%s%s%s%s", where ? where : "",
		      where ? ": " : "", with_level ? level_name(g->level) : "",
		      with_level ? ": " : "", id ? "[" : "", id ? id : "",
		      id ? "] " : "", g->msg);
	free(where);
	free(file);
	return s;
}

json_t *diag_json(const struct diag *g)
{
	json_t *o = json_object();

	if (g->file)
		json_object_set_new(o, "file", json_text(g->file));
	position_json(o, g->line, g->column);
	if (rule_table[g->rule].id)
		json_object_set_new(o, "rule",
				    json_string(rule_table[g->rule].id));
	json_object_set_new(o, "severity", json_string(level_name(g->level)));
	json_object_set_new(o, "message", json_text(g->msg));
	return o;
}

/*
 * s escaped (a file name wholly; a message, whose values were escaped
 * where they were put in it, for what is still unsafe), then %, CR, LF
 * (and in a property also ':' and ',') %-encoded.
 */
static void github_encode(struct strbuf *b, const char *s, bool property)
{
	char *e = property ? escape_text(s) : escape_unsafe(s), one[4];

	for (const char *p = e; *p; p++) {
		if (*p == '%' || *p == '\r' || *p == '\n' ||
		    (property && (*p == ':' || *p == ',')))
			snprintf(one, sizeof(one), "%%%02X", (unsigned char)*p);
		else
			snprintf(one, sizeof(one), "%c", *p);
		strbuf_add(b, one);
	}
	free(e);
}

char *diag_github(const struct diag *g)
{
	struct strbuf b = { 0 };
	const char *id = rule_table[g->rule].id;
	char num[32];

	strbuf_add(&b, "::");
	strbuf_add(&b, level_name(g->level));
	if (g->file) {
		strbuf_add(&b, " file=");
		github_encode(&b, g->file, true);
		if (g->line > 0) {
			snprintf(num, sizeof(num), ",line=%d", g->line);
			strbuf_add(&b, num);
		}
		if (g->column > 0) {
			snprintf(num, sizeof(num), ",col=%d", g->column);
			strbuf_add(&b, num);
		}
	}
	strbuf_add(&b, "::");
	if (id) {
		strbuf_add(&b, "[");
		strbuf_add(&b, id);
		strbuf_add(&b, "] ");
	}
	github_encode(&b, g->msg, false);
	return b.s;
}

void report_diags(const struct diags *d, enum diag_level level)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		char *m;

		if (g->level != level)
			continue;
		m = diag_text(g, false);
		if (level == DIAG_WARNING)
			msg_warning("%s", m);
		else
			msg_error("%s", m);
		free(m);
	}
}

void report_dir_warnings(const struct resolution *res)
{
	for (size_t i = 0; i < res->n_warnings; i++) {
		struct esc_pool p = { 0 };

		msg_warning("%s: %s", esc(&p, res->warnings[i].dir),
			    res->warnings[i].msg);
		esc_pool_free(&p);
	}
}

void report_entry_problems(const struct entry *named, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &named[i];

		if (e->status == STATUS_IGNORED) {
			struct esc_pool p = { 0 };

			msg_warning("%s: ignored: %s", esc(&p, e->path), e->reason);
			esc_pool_free(&p);
		} else if (e->status == STATUS_INVALID) {
			char *m = diag_text(diags_first_error(&e->desc->diags),
					    false);

			msg_warning("%s", m);
			free(m);
		}
	}
}

void report_resolution(struct resolution *res)
{
	report_dir_warnings(res);
	for (size_t i = 0, n; (n = resolution_settle(res, i)); i += n)
		report_entry_problems(&res->entries[i], n);
}

const char *mask_kind(const struct entry *e)
{
	if (!e->devnull)
		return "an empty file";
	return e->symlink ? "a link to /dev/null" : "the /dev/null device";
}

char *candidate_text(const struct entry *e, const char *reason)
{
	struct esc_pool p = { 0 };
	char *s = xasprintf("%s: %s: %s", esc(&p, e->path), esc(&p, e->binary),
			    reason);

	esc_pool_free(&p);
	return s;
}

char *binary_reason_text(const struct searchpath *sp, const char *binary,
			 const char *reason)
{
	struct esc_pool p = { 0 };
	char *host, *s;

	if (!sp || !sp->root)
		return xstrdup(reason);
	host = searchpath_host_path(sp, binary);
	s = xasprintf("%s (looked for %s)", reason, esc(&p, host));
	esc_pool_free(&p);
	free(host);
	return s;
}

/* -v: "PATH: BINARY: FATE" for one entry of the policy view. */
static void say_fate(const struct entry *e, const char *fate)
{
	char *m = candidate_text(e, fate);

	msg_error("%s", m);
	free(m);
}

void report_policy_between(const struct resolution *res, const char *type,
			   const struct entry *after,
			   const struct entry *before, bool after_winner)
{
	const struct entry *e = after ? after + 1 : res->entries;
	const struct entry *end = before ? before : res->entries + res->n;

	for (; e < end; e++) {
		char *fate;

		if (!e->type || strcmp(e->type, type) != 0)
			continue;
		if (e->status == STATUS_ACTIVE && after_winner) {
			say_fate(e, "not considered (after the winner)");
		} else if ((e->status == STATUS_MASKED ||
			    e->status == STATUS_OVERRIDDEN) && e->by) {
			char *detail = entry_detail(e);

			fate = escape_text(detail);
			say_fate(e, fate);
			free(fate);
			free(detail);
		}
	}
}

void report_winner(const struct resolution *res, const struct entry *e,
		   bool first)
{
	const struct entry *end = res->entries + res->n;
	struct strbuf hidden = { 0 };
	char *why;

	for (const struct entry *o = e + 1;
	     o < end && strcmp(o->name, e->name) == 0; o++)
		if (o->by == e) {
			char *path = escape_text(o->path);

			strbuf_add_item(&hidden, path);
			free(path);
		}
	why = xasprintf("selected (%s%s%s)", first ? "first by name" :
			"first by name that qualifies",
			hidden.s ? "; overrides " : "", hidden.s ? hidden.s : "");
	say_fate(e, why);
	free(why);
	free(hidden.s);
}

void report_not_active(const struct entry *e)
{
	struct esc_pool p = { 0 };

	if (e->status == STATUS_INVALID)
		report_diags(&e->desc->diags, DIAG_ERROR);
	else if (e->status == STATUS_MASKED && e->by)
		msg_error("%s: masked by %s", esc(&p, e->path),
			  esc(&p, e->by->path));
	else if (e->status == STATUS_MASKED)
		msg_error("%s: is a mask (%s)", esc(&p, e->path), mask_kind(e));
	else
		msg_error("%s: %s", esc(&p, e->path), entry_reason(e));
	esc_pool_free(&p);
}

/* -v: where the entry came from, and what it hides. */
static void report_origin(const struct lookup *l)
{
	const struct entry *e = l->entry;
	struct esc_pool p = { 0 };
	const char *name = esc(&p, l->name);

	msg_error("%s: from %s", name, esc(&p, e->path));
	for (size_t i = 0; i < l->n_named; i++)
		if (l->named[i].by == e)
			msg_error("%s: %s %s", name, e->kind == KIND_MASK ?
				  "masks" : "overrides", esc(&p, l->named[i].path));
	esc_pool_free(&p);
}

void report_lookup(const struct lookup *l, bool verbose)
{
	struct esc_pool p = { 0 };

	if (verbose && l->entry && !l->by_path)
		report_origin(l);
	switch (l->result) {
	case LOOKUP_ACTIVE:
		break;
	case LOOKUP_MASKED:
		if (!l->by_path) {
			msg_error("%s: masked by %s", esc(&p, l->name),
				  esc(&p, l->entry->path));
			break;
		}
		/* fall through */
	case LOOKUP_INVALID:
		report_not_active(l->entry);
		break;
	case LOOKUP_IGNORED:
		/* Entries that take no part in override (a FIFO...). */
		for (size_t i = 0; i < l->n_named; i++)
			report_not_active(&l->named[i]);
		break;
	case LOOKUP_ABSENT:
		msg_error("%s: no such descriptor in the search path",
			  esc(&p, l->name));
		break;
	}
	esc_pool_free(&p);
}

/*
 * "; 'a.json' uses a binary of that name": the active descriptors whose
 * binary is called name, for a binary's name given as a descriptor's; ""
 * when none is.  Allocated.
 */
static char *binary_users_text(const struct searchpath *sp, const char *name)
{
	struct resolution res;
	char **users = NULL, *list, *s;
	size_t n = 0;

	resolve(sp, &(struct resolve_options){ 0 }, &res);
	resolution_settle_all(&res);
	for (size_t i = 0; i < res.n; i++) {
		const struct entry *e = &res.entries[i];
		const char *base = e->binary ? strrchr(e->binary, '/') : NULL;

		if (e->status != STATUS_ACTIVE || !base ||
		    strcmp(base + 1, name) != 0)
			continue;
		users = xreallocarray(users, n + 1, sizeof(*users));
		users[n++] = quote(e->name);
	}
	list = word_list(users, n);
	s = n ? xasprintf("; %s %s a binary of that name", list,
			  n > 1 ? "use" : "uses") : xstrdup("");
	for (size_t i = 0; i < n; i++)
		free(users[i]);
	free(users);
	free(list);
	resolution_free(&res);
	return s;
}

/* NAME on the search path, absent: say so, and who uses a binary so named. */
static void report_absent(const struct searchpath *sp, const char *arg,
			  const char *name)
{
	char *users = binary_users_text(sp, arg);
	struct esc_pool p = { 0 };

	msg_error("%s: no such descriptor in the search path%s", esc(&p, name),
		  users);
	esc_pool_free(&p);
	free(users);
}

const struct entry *report_lookup_of(const struct searchpath *sp,
				     const char *arg, bool verbose,
				     struct lookup *l)
{
	lookup_descriptor(sp, arg, l);
	report_dir_warnings(&l->res);
	if (l->result == LOOKUP_ABSENT && !l->by_path)
		report_absent(sp, arg, l->name);
	else
		report_lookup(l, verbose);
	return l->result == LOOKUP_ACTIVE ? l->entry : NULL;
}

/* "DIR, DIR" of the search path, or "no directory".  Allocated. */
static char *dirs_text(const struct searchpath *sp)
{
	struct strbuf dirs = { 0 };

	for (size_t i = 0; i < sp->n; i++) {
		char *dir = escape_text(sp->dirs[i].path);

		strbuf_add_item(&dirs, dir);
		free(dir);
	}
	return dirs.s ? dirs.s : xstrdup("no directory");
}

void report_no_match(const struct searchpath *sp, const char *type,
		     size_t n_candidates, bool probed,
		     char *const *features, size_t n_features)
{
	char *list;

	if (n_candidates == 0) {
		list = dirs_text(sp);
		msg_error("no active %s descriptor in the search path (%s)",
			  type, list);
		free(list);
		return;
	}
	if (n_features == 0) {
		msg_error(probed ? "no %s backend whose probe succeeds" :
			  "no %s backend with an executable binary", type);
		return;
	}
	list = word_list(features, n_features);
	msg_error("no %s backend with %s %s", type,
		  n_features > 1 ? "features" : "feature", list);
	free(list);
}

char *no_descriptor_text(const struct searchpath *sp)
{
	char *dirs = dirs_text(sp);
	char *s = xasprintf("no descriptor in the search path (%s)", dirs);

	free(dirs);
	return s;
}

char *entry_detail(const struct entry *e)
{
	const struct diag *g;
	char *where, *s;

	switch (e->status) {
	case STATUS_OVERRIDDEN:
		return xasprintf("overridden by %s", e->by->path);
	case STATUS_MASKED:
		if (e->by)
			return xasprintf("masked by %s", e->by->path);
		return xasprintf("mask: %s", mask_kind(e));
	case STATUS_INVALID:
		g = diags_first_error(&e->desc->diags);
		where = position_text(NULL, g->line, g->column);
		s = where ? xasprintf("%s: %s", where, g->msg) : xstrdup(g->msg);
		free(where);
		return s;
	case STATUS_IGNORED:
	case STATUS_SKIPPED:
		return xstrdup(e->reason);
	case STATUS_PENDING:
	case STATUS_ACTIVE:
		break;
	}
	return xstrdup("");
}

/*
 * Member key of d, whose string value is value: the parsed string itself
 * when d is at hand (already checked, not copied again), else a copy;
 * null for none.
 */
static json_t *member(const struct descriptor *d, const char *key,
		      const char *value)
{
	json_t *j = d && d->json ? json_object_get(d->json, key) : NULL;

	if (!value)
		return json_null();
	if (j && json_is_string(j) && json_string_value(j) == value)
		return json_incref(j);
	return json_string(value);
}

json_t *entry_json(const struct entry *e)
{
	json_t *o = json_object();
	const struct descriptor *d = e->desc;

	json_object_set_new(o, "name", json_text(e->name));
	json_object_set_new(o, "file", json_text(e->path));
	json_object_set_new(o, "status",
			    json_string(entry_status_name(e->status)));
	if (e->type || (d && d->json)) {
		const char *type = entry_type(e);
		const char *binary = entry_binary(e);

		json_object_set_new(o, "type", member(d, "type", type));
		json_object_set_new(o, "binary", member(d, "binary", binary));
		json_object_set_new(o, "description",
				    member(d, "description",
					   d ? d->description : NULL));
		json_object_set_new(o, "tags", d && d->tags ?
				    json_incref(d->tags) : json_array());
	}
	if (e->kind == KIND_MASK && !e->by)
		json_object_set_new(o, "mask", json_string(e->devnull ?
					"/dev/null" : "empty file"));
	if (e->status == STATUS_OVERRIDDEN)
		json_object_set_new(o, "overridden-by", json_text(e->by->path));
	if (e->status == STATUS_MASKED && e->by)
		json_object_set_new(o, "masked-by", json_text(e->by->path));
	if (e->status == STATUS_INVALID || e->status == STATUS_IGNORED ||
	    e->status == STATUS_SKIPPED) {
		const struct diag *g = d ? diags_first_error(&d->diags) : NULL;

		json_object_set_new(o, "reason", json_text(entry_reason(e)));
		if (g)
			position_json(o, g->line, g->column);
	}
	return o;
}
