/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Everything the tool writes: messages on stderr, escaped text and
 * aligned columns on stdout, JSON through jansson.
 */
#ifndef VUF_OUTPUT_H
#define VUF_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <locale.h>
#include <stdio.h>
#include <jansson.h>

/* Set by -q: warnings are not printed. */
extern bool output_quiet;

/*
 * "vhost-user-find: MESSAGE" on stderr.  What must not reach a terminal
 * raw is escaped in the whole message (escape_unsafe), so nothing from a
 * file reaches it raw; the backslash is left alone, for the values were
 * escaped where they were put in: quote() for a quoted value, esc() or
 * escape_text() for an unquoted one (a path), so that an escape is never
 * ambiguous (SPEC §6, §10).
 */
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Like msg_error, but without the program name (for verbose reasons). */
void msg_plain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * s with control characters (C0, DEL, C1), the bidirectional controls
 * (U+202A..U+202E, U+2066..U+2069), bytes that are not UTF-8 and the
 * backslash written as C-style escapes (\\n, \\t, \\r, \\xHH per byte,
 * \\\\), so that an escape is never ambiguous.  Allocated.
 */
char *escape_text(const char *s);

/*
 * What escape_text() escapes but the backslash: what the message
 * functions apply to a whole message, idempotent on escaped text.
 * Allocated.
 */
char *escape_unsafe(const char *s);

/*
 * A name or value for a message, quoted as SPEC §10 says: 'VALUE',
 * escaped as escape_text() does, and a ' inside written \'.  Allocated.
 */
char *quote(const char *s);

/*
 * reason, with what the program itself said on stderr quoted as such
 * (SPEC §10): "REASON (stderr: 'LINE')", or reason alone for no line.
 * The one wording of it.  Allocated.
 */
char *reason_with_stderr(const char *reason, const char *err_line);

/* Escaped copies of the unquoted values of one message, freed together. */
struct esc_pool {
	char **v;
	size_t n;
};

/* escape_text(s), kept in p until esc_pool_free. */
const char *esc(struct esc_pool *p, const char *s);
/* quote(s), kept in p until esc_pool_free. */
const char *quoted(struct esc_pool *p, const char *s);
void esc_pool_free(struct esc_pool *p);
void print_escaped(FILE *f, const char *s);

/*
 * Whether s is valid UTF-8 without control characters (C0, DEL, C1) or
 * bidirectional controls: what escape_text() escapes, the backslash
 * aside.
 */
bool is_plain_text(const char *s);

/*
 * A single value meant for $(...) (a path, a name), and a newline: its
 * exact bytes when stdout is not a terminal, escaped when it is.
 */
void print_value(const char *s);

/*
 * A JSON value for text from outside jansson (file names, messages): a
 * string when it is UTF-8, else the array of its byte values, so that
 * two different names never print the same.
 */
json_t *json_text(const char *s);

/* json, indented, then a newline, on stdout. */
void print_json(const json_t *json);

/*
 * A JSON array printed one element at a time, exactly as print_json()
 * would print the whole array, so that a long list is never held as one
 * tree.  Zeroed to start.
 */
struct json_stream {
	size_t n;		/* elements printed so far */
};

/* Print o as the next element, and drop it. */
void json_stream_add(struct json_stream *s, json_t *o);
/* Close the array ("[]" when it stayed empty). */
void json_stream_end(struct json_stream *s);

/*
 * A table printed in columns separated by two spaces, in two passes over
 * its rows, so that no row is held: each is measured, then each printed.
 */
struct table {
	size_t n_cols;
	size_t *width;		/* per column, in terminal columns */
	locale_t utf8;		/* for wcwidth, made when first needed */
};

void table_init(struct table *t, size_t n_cols);
/* A row of n_cols strings (NULL prints as "-"): measure, or print it. */
void table_measure(struct table *t, const char *const *cells);
void table_row(struct table *t, const char *const *cells, FILE *f);
void table_free(struct table *t);

/* Flush stdout; on failure say why and return EXIT_TROUBLE, else EXIT_OK. */
int finish_stdout(void);

#endif
