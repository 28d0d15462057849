/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <unistd.h>
#include <wchar.h>

#include "output.h"
#include "util.h"

bool output_quiet;

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned cp;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/*
 * Whether the character of n bytes at s (n as utf8_len gives it, 0 for
 * a byte that is not UTF-8) must never reach a terminal as it is: C0
 * controls and DEL; C1 controls (U+0080..U+009F), which terminals act
 * on; and the bidirectional embeddings, overrides and isolates
 * (U+202A..U+202E, U+2066..U+2069), which can make a name read
 * backwards.  The one definition of it, for escaping and for leaving
 * names out alike.
 */
static bool is_unsafe(const unsigned char *s, size_t n)
{
	switch (n) {
	case 0:
		return true;
	case 1:
		return *s < 0x20 || *s == 0x7f;
	case 2:
		return s[0] == 0xc2 && s[1] < 0xa0;
	case 3:
		return s[0] == 0xe2 &&
		       ((s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae) ||
			(s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9));
	default:
		return false;
	}
}

/*
 * str with what must not reach a terminal raw written as escapes; also
 * the backslash when asked, and quote_char (none: '\0') as \'.
 */
static char *escape(const char *str, bool backslash, char quote_char)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), o = 0;
	/* Each input byte becomes at most four output bytes (\xHH). */
	char *out = xmalloc(len * 4 + 1);

	while (*s) {
		size_t n = utf8_len(s);
		const char *e = NULL;

		if (n == 1 && quote_char && *s == (unsigned char)quote_char)
			e = "\\'";
		else if (n == 1) {
			switch (*s) {
			case '\\': e = backslash ? "\\\\" : NULL; break;
			case '\n': e = "\\n"; break;
			case '\t': e = "\\t"; break;
			case '\r': e = "\\r"; break;
			}
		}
		if (e) {
			memcpy(out + o, e, 2);
			o += 2;
			s++;
		} else if (is_unsafe(s, n)) {
			/* Per byte, so that the escape says what was there. */
			for (size_t i = 0; i < (n ? n : 1); i++)
				o += (size_t)sprintf(out + o, "\\x%02x", *s++);
		} else {
			memcpy(out + o, s, n);
			o += n;
			s += n;
		}
	}
	out[o] = '\0';
	return out;
}

char *escape_text(const char *str)
{
	return escape(str, true, '\0');
}

char *escape_unsafe(const char *str)
{
	return escape(str, false, '\0');
}

const char *esc(struct esc_pool *p, const char *s)
{
	p->v = xreallocarray(p->v, p->n + 1, sizeof(*p->v));
	return p->v[p->n++] = escape_text(s);
}

const char *quoted(struct esc_pool *p, const char *s)
{
	p->v = xreallocarray(p->v, p->n + 1, sizeof(*p->v));
	return p->v[p->n++] = quote(s);
}

void esc_pool_free(struct esc_pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

bool is_plain_text(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n = utf8_len(s);

		if (is_unsafe(s, n))
			return false;
		s += n;
	}
	return true;
}

/* Whether stdout is a terminal, asked once. */
static bool stdout_is_tty(void)
{
	static int tty = -1;

	if (tty < 0)
		tty = isatty(STDOUT_FILENO);
	return tty;
}

void print_value(const char *s)
{
	if (stdout_is_tty())
		print_escaped(stdout, s);
	else
		fputs(s, stdout);
	putchar('\n');
}

char *quote(const char *s)
{
	char *e = escape(s, true, '\'');
	char *q = xasprintf("'%s'", e);

	free(e);
	return q;
}

char *reason_with_stderr(const char *reason, const char *err_line)
{
	char *q, *both;

	if (!err_line)
		return xstrdup(reason);
	q = quote(err_line);
	both = xasprintf("%s (stderr: %s)", reason, q);
	free(q);
	return both;
}

void print_escaped(FILE *f, const char *s)
{
	char *e = escape_text(s);

	fputs(e, f);
	free(e);
}

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	char *m = xvasprintf(fmt, ap);
	/* Values were escaped where they were put in (quote, esc). */
	char *e = escape_unsafe(m);

	fprintf(stderr, "%s%s\n", prefix, e);
	free(e);
	free(m);
}

void msg_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(PROGRAM_NAME ": ", fmt, ap);
	va_end(ap);
}

void msg_warning(const char *fmt, ...)
{
	va_list ap;

	if (output_quiet)
		return;
	va_start(ap, fmt);
	vmsg(PROGRAM_NAME ": warning: ", fmt, ap);
	va_end(ap);
}

void msg_plain(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

json_t *json_text(const char *s)
{
	json_t *j = json_string(s);

	if (j)
		return j;
	/* Not UTF-8: its bytes, so that a program can get them back exactly. */
	j = json_array();
	for (const unsigned char *b = (const unsigned char *)s; *b; b++)
		json_array_append_new(j, json_integer(*b));
	return j;
}

/*
 * How JSON is written: indented, members in file order; on a terminal,
 * everything past ASCII as \u escapes, since jansson writes C1 controls
 * and DEL raw.
 */
static size_t json_flags(void)
{
	return JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	       (stdout_is_tty() ? JSON_ENSURE_ASCII : 0);
}

/* The fewest significant digits that read back as v (at most 17). */
static int shortest_digits(double v)
{
	char buf[64];
	int p;

	for (p = 1; p < 17; p++) {
		snprintf(buf, sizeof(buf), "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return p;
}

/* The reals of a JSON tree, in the order a dump writes them. */
struct reals {
	double *v;
	size_t n, cap;
};

static void mark_reals(json_t *j, const char *prefix, struct reals *r);

/*
 * For member or element v of a copy: a real's marker, PREFIX + its
 * index, with its value noted; NULL for anything else, whose own reals
 * are marked in turn.
 */
static json_t *marker(json_t *v, const char *prefix, struct reals *r)
{
	if (!json_is_real(v)) {
		mark_reals(v, prefix, r);
		return NULL;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 8;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	r->v[r->n] = json_real_value(v);
	return json_sprintf("%s%zu", prefix, r->n++);
}

/*
 * Replace each real of j (a copy) by its marker.  Setting the key being
 * visited keeps the iteration valid.
 */
static void mark_reals(json_t *j, const char *prefix, struct reals *r)
{
	const char *key;
	json_t *v, *m;
	size_t i;

	if (json_is_object(j)) {
		json_object_foreach(j, key, v)
			if ((m = marker(v, prefix, r)))
				json_object_set_new(j, key, m);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if ((m = marker(v, prefix, r)))
				json_array_set_new(j, i, m);
	}
}

static bool has_reals(const json_t *j)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_real(j))
		return true;
	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, key, v)
			if (has_reals(v))
				return true;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (has_reals(v))
				return true;
	}
	return false;
}

/* v as jansson writes it with the fewest digits that read back the same. */
static char *real_text(double v)
{
	json_t *r = json_real(v);
	char *s = json_dumps(r, JSON_ENCODE_ANY |
			     JSON_REAL_PRECISION(shortest_digits(v)));

	json_decref(r);
	if (!s)
		out_of_memory();
	return s;
}

/*
 * Where the next string of a dump starts with pattern (len bytes, its
 * opening quote first), or NULL.  Not strstr(): a sanitizer's strstr
 * measures the whole rest of the text on every call, and a loop over a
 * dump of many megabytes then takes minutes.
 */
static char *next_string_with(char *text, const char *pattern, size_t len)
{
	for (char *p = text; (p = strchr(p, '"')); p++)
		if (strncmp(p, pattern, len) == 0)
			return p;
	return NULL;
}

/*
 * The smallest k for which no string of the dump starts with the marker
 * "\u0001vufK:", in two passes over it: trying k = 0, 1, ... with a
 * search of the whole dump each takes time quadratic in its size (a
 * crafted 1 MiB descriptor took 8 s).  The h strings that start with
 * "\u0001vuf" name at most h values of k, so one of 0..h is free.
 */
static size_t unused_marker(char *dump)
{
	static const char start[] = "\"\\u0001vuf";
	const size_t len = sizeof(start) - 1;
	size_t h = 0, k;
	bool *taken;
	char *p;

	for (p = dump; (p = next_string_with(p, start, len)); p += len)
		h++;
	taken = xcalloc(h + 1, sizeof(*taken));
	for (p = dump; (p = next_string_with(p, start, len)); ) {
		size_t v = 0;

		p += len;
		/* Digits, and the colon: a value past h cannot be the answer. */
		while (*p >= '0' && *p <= '9' && v <= h)
			v = v * 10 + (size_t)(*p++ - '0');
		if (*p == ':' && v <= h)
			taken[v] = true;
	}
	for (k = 0; taken[k]; k++)
		;
	free(taken);
	return k;
}

/*
 * Numbers as the file wrote them, or as short as reads back the same:
 * jansson writes every real of a dump with one precision (17 digits by
 * default: 0.1 as 0.10000000000000001).  So each real of a copy becomes
 * a string marker that the dump of the original cannot contain (a
 * control character starts it, which jansson escapes as \u0001), and in
 * the dump of the copy each quoted marker is put back as its own number,
 * written by jansson too.
 */
static char *dump_exact(const json_t *json)
{
	char *plain = json_dumps(json, json_flags()), *text, *p, *m;
	char prefix[32], quoted[40];
	struct reals r = { 0 };
	struct strbuf out = { 0 };
	json_t *copy;
	size_t k;

	if (!plain)
		out_of_memory();
	k = unused_marker(plain);
	free(plain);
	snprintf(prefix, sizeof(prefix), "\001vuf%zu:", k);
	snprintf(quoted, sizeof(quoted), "\"\\u0001vuf%zu:", k);
	copy = json_deep_copy(json);
	mark_reals(copy, prefix, &r);
	text = json_dumps(copy, json_flags());
	json_decref(copy);
	if (!text)
		out_of_memory();
	for (p = text; (m = next_string_with(p, quoted, strlen(quoted))); ) {
		char *end, *num;
		unsigned long i = strtoul(m + strlen(quoted), &end, 10);

		*m = '\0';
		strbuf_add(&out, p);
		num = real_text(i < r.n ? r.v[i] : 0);
		strbuf_add(&out, num);
		free(num);
		p = end + 1;	/* past the closing quote */
	}
	strbuf_add(&out, p);
	free(text);
	free(r.v);
	return out.s;
}

void print_json(const json_t *json)
{
	char *text = has_reals(json) ? dump_exact(json) :
		json_dumps(json, json_flags());

	if (!text)
		out_of_memory();
	fputs(text, stdout);
	putchar('\n');
	free(text);
}

/*
 * Raw newlines in jansson's output are only its indentation: indent each
 * line by one more level, as an element of the array.
 */
void json_stream_add(struct json_stream *s, json_t *o)
{
	char *text = json_dumps(o, json_flags());
	const char *p, *nl;

	if (!text)
		out_of_memory();
	fputs(s->n ? ",\n  " : "[\n  ", stdout);
	for (p = text; (nl = strchr(p, '\n')); p = nl + 1) {
		fwrite(p, 1, (size_t)(nl - p) + 1, stdout);
		fputs("  ", stdout);
	}
	fputs(p, stdout);
	free(text);
	json_decref(o);
	s->n++;
}

void json_stream_end(struct json_stream *s)
{
	fputs(s->n ? "\n]\n" : "[]\n", stdout);
}

/*
 * Columns on a terminal, by wcwidth(3) in a UTF-8 locale whatever the
 * caller's (a wide CJK character takes two, a combining mark none); one
 * a character where no UTF-8 locale is to be had.  Cells are escaped:
 * valid UTF-8, no control characters.
 */
static size_t display_width(const char *str, locale_t *utf8p)
{
	const unsigned char *s = (const unsigned char *)str;
	locale_t old = (locale_t)0, utf8;
	size_t w = 0;

	while (*s && *s < 0x80)
		s++;
	if (!*s)
		return strlen(str);
	/* Made only when needed: glibc's locale search is not cheap. */
	if (!*utf8p)
		*utf8p = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	utf8 = *utf8p;
	s = (const unsigned char *)str;
	if (utf8)
		old = uselocale(utf8);
	while (*s) {
		size_t n = utf8_len(s);
		wchar_t c = n > 1 ? (wchar_t)(s[0] & (0x7f >> n)) : (wchar_t)s[0];
		int cw;

		if (n == 0)
			n = 1;
		for (size_t i = 1; i < n; i++)
			c = (wchar_t)((c << 6) | (s[i] & 0x3f));
		cw = utf8 ? wcwidth(c) : 1;
		w += cw < 0 ? 1 : (size_t)cw;
		s += n;
	}
	if (utf8)
		uselocale(old);
	return w;
}

void table_init(struct table *t, size_t n_cols)
{
	memset(t, 0, sizeof(*t));
	t->n_cols = n_cols;
	t->width = xcalloc(n_cols, sizeof(*t->width));
}

/* Whether str is printable ASCII with no backslash: shown as it is. */
static bool plain_ascii(const char *str, size_t *len)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s >= 0x20 && *s < 0x7f && *s != '\\')
		s++;
	*len = (size_t)(s - (const unsigned char *)str);
	return *s == '\0';
}

/*
 * Cell c of a row as printed, "-" for none, and its width: escaped into
 * *owned only when it needs it, as most cells do not.
 */
static const char *cell(struct table *t, const char *const *cells, size_t c,
			char **owned, size_t *width)
{
	const char *s = cells[c] ? cells[c] : "-";

	*owned = NULL;
	if (plain_ascii(s, width))
		return s;
	*owned = escape_text(s);
	*width = display_width(*owned, &t->utf8);
	return *owned;
}

void table_measure(struct table *t, const char *const *cells)
{
	for (size_t c = 0; c < t->n_cols; c++) {
		char *owned;
		size_t w;

		cell(t, cells, c, &owned, &w);
		free(owned);
		if (w > t->width[c])
			t->width[c] = w;
	}
}

void table_row(struct table *t, const char *const *cells, FILE *f)
{
	size_t last = t->n_cols;

	/* No padding after the last cell that says something. */
	while (last > 1 && cells[last - 1] && cells[last - 1][0] == '\0')
		last--;
	for (size_t c = 0; c < last; c++) {
		char *owned;
		size_t w;
		const char *text = cell(t, cells, c, &owned, &w);

		fputs(text, f);
		free(owned);
		if (c + 1 == last)
			break;
		for (; w < t->width[c] + 2; w++)
			putc(' ', f);
	}
	putc('\n', f);
}

void table_free(struct table *t)
{
	if (t->utf8)
		freelocale(t->utf8);
	free(t->width);
	memset(t, 0, sizeof(*t));
}

int finish_stdout(void)
{
	/* fclose-style check: a full disk or a closed descriptor is an error. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		msg_error("write error on standard output: %s", strerror(errno ? errno : EIO));
		return EXIT_TROUBLE;
	}
	return EXIT_OK;
}
