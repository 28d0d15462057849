/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "report.h"
#include "util.h"

char *diag_format(const char *path, const struct diag *g)
{
	if (g->line > 0)
		return xasprintf("%s:%d:%d: %s", path, g->line, g->column,
				 g->msg);
	return xasprintf("%s: %s", path, g->msg);
}

void report_resolution(const struct resolution *res, bool entries)
{
	for (size_t i = 0; i < res->n_warnings; i++)
		msg_warning("%s: cannot read directory: %s",
			    res->warnings[i].dir, res->warnings[i].msg);
	if (!entries)
		return;
	for (size_t i = 0; i < res->n; i++) {
		const struct entry *e = &res->entries[i];

		if (e->status == STATUS_IGNORED) {
			msg_warning("%s: ignored: %s", e->path, e->reason);
		} else if (e->status == STATUS_INVALID) {
			char *m = diag_format(e->path,
					      descriptor_first_error(e->desc));

			msg_warning("%s", m);
			free(m);
		}
	}
}

static void report_diags(const struct descriptor *d, enum diag_level level)
{
	for (size_t i = 0; i < d->diags.n; i++) {
		const struct diag *g = &d->diags.v[i];
		char *m;

		if (g->level != level)
			continue;
		m = diag_format(d->path, g);
		if (level == DIAG_WARNING)
			msg_warning("%s", m);
		else
			msg_error("%s", m);
		free(m);
	}
}

void report_descriptor_warnings(const struct descriptor *d)
{
	report_diags(d, DIAG_WARNING);
}

void report_descriptor_errors(const struct descriptor *d)
{
	report_diags(d, DIAG_ERROR);
}

void report_not_active(const struct entry *e)
{
	if (e->status == STATUS_INVALID)
		report_descriptor_errors(e->desc);
	else if (e->status == STATUS_MASKED && e->by)
		msg_error("%s: masked by %s", e->path, e->by->path);
	else if (e->status == STATUS_MASKED)
		msg_error("%s: %s", e->path, e->devnull ?
			  "is a mask (a link to /dev/null)" :
			  "is a mask (an empty file)");
	else
		msg_error("%s: %s", e->path, entry_reason(e));
}

const struct entry *lookup_name(const struct resolution *res,
				const char *arg, bool verbose)
{
	char *name = str_has_suffix(arg, ".json") ? xstrdup(arg) :
		xasprintf("%s.json", arg);
	const struct entry *e = resolution_effective(res, name);
	bool said = false;

	if (e && verbose) {
		msg_error("%s: from %s", name, e->path);
		/* The entries of a name are adjacent, effective first. */
		for (const struct entry *o = e + 1; o < res->entries + res->n &&
		     strcmp(o->name, name) == 0; o++)
			if (o->by == e)
				msg_error("%s: %s %s", name, e->kind == KIND_MASK ?
					  "masks" : "overrides", o->path);
	}
	if (e && e->status == STATUS_MASKED) {
		msg_error("%s: masked by %s", name, e->path);
		e = NULL;
	} else if (e && e->status != STATUS_ACTIVE) {
		report_not_active(e);
		e = NULL;
	} else if (!e) {
		/* Entries that take no part in override (a FIFO...). */
		for (size_t i = 0; i < res->n; i++)
			if (strcmp(res->entries[i].name, name) == 0) {
				report_not_active(&res->entries[i]);
				said = true;
			}
		if (!said)
			msg_error("%s: no such descriptor in the search path",
				  name);
	}
	free(name);
	return e;
}

char *entry_detail(const struct entry *e)
{
	const struct diag *g;

	switch (e->status) {
	case STATUS_OVERRIDDEN:
		return xasprintf("overridden by %s", e->by->path);
	case STATUS_MASKED:
		if (e->by)
			return xasprintf("masked by %s", e->by->path);
		if (e->devnull)
			return xstrdup(e->symlink ?
				       "mask: symbolic link to /dev/null" :
				       "mask: the /dev/null device");
		return xstrdup("mask: empty file");
	case STATUS_INVALID:
		g = descriptor_first_error(e->desc);
		if (g->line > 0)
			return xasprintf("%d:%d: %s", g->line, g->column,
					 g->msg);
		return xstrdup(g->msg);
	case STATUS_IGNORED:
	case STATUS_SKIPPED:
		return xstrdup(e->reason);
	case STATUS_ACTIVE:
		break;
	}
	return xstrdup("");
}

json_t *entry_json(const struct entry *e)
{
	json_t *o = json_object();
	const struct descriptor *d = e->desc;

	json_object_set_new(o, "name", json_text(e->name));
	json_object_set_new(o, "file", json_text(e->path));
	json_object_set_new(o, "status",
			    json_string(entry_status_name(e->status)));
	if (d && d->json) {
		json_object_set_new(o, "type", d->type ? json_string(d->type) :
				    json_null());
		json_object_set_new(o, "binary", d->binary ?
				    json_string(d->binary) : json_null());
		json_object_set_new(o, "description", d->description ?
				    json_string(d->description) : json_null());
		json_object_set_new(o, "tags", d->tags ? json_deep_copy(d->tags) :
				    json_array());
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
		const struct diag *g = d ? descriptor_first_error(d) : NULL;

		json_object_set_new(o, "reason", json_text(entry_reason(e)));
		if (g && g->line > 0) {
			json_object_set_new(o, "line", json_integer(g->line));
			json_object_set_new(o, "column", json_integer(g->column));
		}
	}
	return o;
}
