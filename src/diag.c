/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

static struct diag *diags_new(struct diags *d, enum rule rule,
			      enum diag_level level, const char *file,
			      int line, int column)
{
	struct diag *g;

	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 4;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	g = &d->v[d->n++];
	g->rule = rule;
	g->level = level;
	g->file = file ? xstrdup(file) : NULL;
	g->line = line > 0 ? line : 0;
	g->column = line > 0 && column > 0 ? column : 0;
	if (level == DIAG_ERROR)
		d->n_errors++;
	else
		d->n_warnings++;
	return g;
}

/* The finding just made: kept, or handed to the sink and let go. */
static void diags_made(struct diags *d)
{
	struct diag *g = &d->v[d->n - 1];

	if (!d->sink)
		return;
	d->sink(g, d->sink_data);
	free(g->file);
	free(g->msg);
	d->n--;
}

void diags_vadd(struct diags *d, enum rule rule, enum diag_level level,
		const char *file, int line, int column, const char *fmt,
		va_list ap)
{
	if (d->ignore && d->ignore[rule])
		return;
	diags_new(d, rule, level, file, line, column)->msg =
		xvasprintf(fmt, ap);
	diags_made(d);
}

void diags_add(struct diags *d, enum rule rule, enum diag_level level,
	       const char *file, int line, int column, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(d, rule, level, file, line, column, fmt, ap);
	va_end(ap);
}

void diags_add_all(struct diags *to, const struct diags *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct diag *f = &from->v[i];

		if (to->ignore && to->ignore[f->rule])
			continue;
		diags_new(to, f->rule, f->level, f->file, f->line,
			  f->column)->msg =
			xstrdup(f->msg);
		diags_made(to);
	}
}

size_t diags_made_count(const struct diags *d)
{
	return d->n_errors + d->n_warnings;
}

const struct diag *diags_first_error(const struct diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_ERROR)
			return &d->v[i];
	return NULL;
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}
