/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Findings about files: what a check found, where, and how bad it is.
 * Descriptor checks and validate's rules produce them; report.c is the
 * one place that turns them into text or JSON.
 */
#ifndef VUF_DIAG_H
#define VUF_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "rules.h"

enum diag_level { DIAG_ERROR, DIAG_WARNING };

/*
 * One finding about file (NULL: about the whole search path).  line and
 * column count from 1; 0 is unknown (a column is never known without its
 * line).
 */
struct diag {
	enum rule rule;		/* validate's rule id for it */
	enum diag_level level;
	char *file;
	int line;
	int column;
	char *msg;
};

/* Where findings go as they are made (diags.sink). */
typedef void diag_sink(const struct diag *g, void *data);

struct diags {
	struct diag *v;
	size_t n, cap;
	size_t n_errors;
	size_t n_warnings;
	/*
	 * When set, each finding is handed to sink as it is made and then
	 * let go, only counted: a long run holds none (v stays empty).
	 */
	diag_sink *sink;
	void *sink_data;
	/* When set, a finding whose rule is set here is never made. */
	const bool *ignore;
};

void diags_add(struct diags *d, enum rule rule, enum diag_level level,
	       const char *file, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* The same with the format's arguments as a va_list. */
void diags_vadd(struct diags *d, enum rule rule, enum diag_level level,
		const char *file, int line, int column, const char *fmt,
		va_list ap)
	__attribute__((format(printf, 7, 0)));
/* Append a copy of every finding of from to to. */
void diags_add_all(struct diags *to, const struct diags *from);
/* How many findings were made, kept or not. */
size_t diags_made_count(const struct diags *d);
/* The first error, or NULL when there is none. */
const struct diag *diags_first_error(const struct diags *d);
void diags_free(struct diags *d);

#endif
