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
	char *where = g->file ? position_text(g->file, g->line, g->column) :
		NULL;
	char *s;

	const char *id = with_level ? rule_table[g->rule].id : NULL;

	s = xasprintf("%s%s%s%s%s%s%s%s", where ? where : "",
		      where ? ": " : "", with_level ? level_name(g->level) : "",
		      with_level ? ": " : "", id ? "[" : "", id ? id : "",
		      id ? "] " : "", g->msg);
	free(where);
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

/* s escaped, then %, CR, LF (and in a property also ':' and ',') %-encoded. */
static void github_encode(struct strbuf *b, const char *s, bool property)
{
	char *e = escape_text(s), one[4];

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
	for (size_t i = 0; i < res->n_warnings; i++)
		msg_warning("%s", res->warnings[i].text);
}

void report_entry_problems(const struct entry *named, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &named[i];

		if (e->status == STATUS_IGNORED) {
			msg_warning("%s: ignored: %s", e->path, e->reason);
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
	return xasprintf("%s: %s: %s", e->path, e->binary, reason);
}

void report_not_active(const struct entry *e)
{
	if (e->status == STATUS_INVALID)
		report_diags(&e->desc->diags, DIAG_ERROR);
	else if (e->status == STATUS_MASKED && e->by)
		msg_error("%s: masked by %s", e->path, e->by->path);
	else if (e->status == STATUS_MASKED)
		msg_error("%s: is a mask (%s)", e->path, mask_kind(e));
	else
		msg_error("%s: %s", e->path, entry_reason(e));
}

/* -v: where the entry came from, and what it hides. */
static void report_origin(const struct lookup *l)
{
	const struct entry *e = l->entry;

	msg_error("%s: from %s", l->name, e->path);
	for (size_t i = 0; i < l->n_named; i++)
		if (l->named[i].by == e)
			msg_error("%s: %s %s", l->name, e->kind == KIND_MASK ?
				  "masks" : "overrides", l->named[i].path);
}

void report_lookup(const struct lookup *l, bool verbose)
{
	if (verbose && l->entry && !l->by_path)
		report_origin(l);
	switch (l->result) {
	case LOOKUP_ACTIVE:
		break;
	case LOOKUP_MASKED:
		if (!l->by_path) {
			msg_error("%s: masked by %s", l->name, l->entry->path);
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
		msg_error("%s: no such descriptor in the search path", l->name);
		break;
	}
}

const struct entry *report_lookup_of(const struct searchpath *sp,
				     const char *arg, bool verbose,
				     struct lookup *l)
{
	lookup_descriptor(sp, arg, l);
	report_dir_warnings(&l->res);
	report_lookup(l, verbose);
	return l->result == LOOKUP_ACTIVE ? l->entry : NULL;
}

void report_no_match(const char *type, size_t n_candidates, bool probed,
		     char *const *features, size_t n_features)
{
	char *list;

	if (n_candidates == 0) {
		msg_error("no active %s descriptor in the search path", type);
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
	struct strbuf dirs = { 0 };
	char *s;

	for (size_t i = 0; i < sp->n; i++)
		strbuf_add_item(&dirs, sp->dirs[i].path);
	s = xasprintf("no descriptor in the search path (%s)",
		      dirs.s ? dirs.s : "no directory");
	free(dirs.s);
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
