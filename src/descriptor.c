/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "descriptor.h"
#include "json-shape.h"
#include "output.h"
#include "schema.h"
#include "suggest.h"
#include "util.h"

static struct descriptor *descriptor_new(const char *path)
{
	struct descriptor *d = xcalloc(1, sizeof(*d));

	d->path = xstrdup(path);
	return d;
}

/* A descriptor that could not be read: one error, no contents. */
static struct descriptor * __attribute__((format(printf, 3, 4)))
descriptor_failed(const char *path, enum rule rule, const char *fmt, ...)
{
	struct descriptor *d = descriptor_new(path);
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(&d->diags, rule, DIAG_ERROR, d->path, 0, 0, fmt, ap);
	va_end(ap);
	return d;
}

/* A finding about d at p (0: unknown). */
static void __attribute__((format(printf, 5, 6)))
finding(struct descriptor *d, enum rule rule, enum diag_level level,
	struct text_pos p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(&d->diags, rule, level, d->path, p.line, p.column, fmt, ap);
	va_end(ap);
}

#define ERROR_AT(d, rule, p, ...) finding(d, rule, DIAG_ERROR, p, __VA_ARGS__)
#define WARNING_AT(d, rule, p, ...) \
	finding(d, rule, DIAG_WARNING, p, __VA_ARGS__)

/* The layout of d, scanned from its text the first time it is needed. */
static const struct json_layout *layout_of(struct descriptor *d)
{
	if (!d->scanned && d->text) {
		json_layout_scan(d->text, d->text_len, &d->layout);
		d->scanned = true;
	}
	return &d->layout;
}

const struct member_pos *descriptor_member_pos(const struct descriptor *d,
					       const char *key)
{
	const char *k;
	json_t *v;
	size_t i = 0;

	if (!d->json)
		return NULL;
	json_object_foreach(d->json, k, v) {
		if (strcmp(k, key) == 0)
			return i < d->layout.n ? &d->layout.members[i] : NULL;
		i++;
	}
	return NULL;
}

/* Where the value of member key is (unknown: 0). */
static struct text_pos value_pos(struct descriptor *d, const char *key)
{
	const struct member_pos *m;

	layout_of(d);
	m = descriptor_member_pos(d, key);
	return m ? m->value : (struct text_pos){ 0, 0 };
}

/* Where element i of the array of member key is. */
static struct text_pos item_pos(struct descriptor *d, const char *key,
				size_t i)
{
	const struct member_pos *m;

	layout_of(d);
	m = descriptor_member_pos(d, key);
	return m && i < m->n_items ? m->items[i] : (struct text_pos){ 0, 0 };
}

/* A required string member; NULL (and an error) when absent or not a string. */
static const char *required_string(struct descriptor *d, const char *key)
{
	json_t *v = json_object_get(d->json, key);
	char *q = quote(key);
	const char *s = NULL;

	if (!v)
		ERROR_AT(d, RULE_MISSING_MEMBER, layout_of(d)->start,
			 "missing required member %s", q);
	else if (!json_is_string(v))
		ERROR_AT(d, RULE_MEMBER_KIND, value_pos(d, key),
			 "member %s is %s, not a string", q, json_kind_name(v));
	else
		s = json_string_value(v);
	free(q);
	return s;
}

static void check_type(struct descriptor *d)
{
	const char *type = required_string(d, "type");
	const char *names[16];
	char list[256], *q, *hint;
	size_t n = 0;

	if (!type)
		return;
	if (schema_find_type(type)) {
		d->type = type;
		return;
	}
	for (size_t i = 0; i < n_backend_types && n < 16; i++)
		names[n++] = backend_types[i].name;
	q = quote(type);
	hint = did_you_mean(type, "", names, n);
	if (hint[0])
		ERROR_AT(d, RULE_UNKNOWN_TYPE, value_pos(d, "type"),
			 "unknown type %s%s", q, hint);
	else
		ERROR_AT(d, RULE_UNKNOWN_TYPE, value_pos(d, "type"),
			 "unknown type %s (known types: %s)", q,
			 schema_type_list(list, sizeof(list)));
	free(hint);
	free(q);
}

static void check_binary(struct descriptor *d)
{
	const char *binary = required_string(d, "binary");
	char *q;

	if (!binary)
		return;
	if (binary[0] == '\0') {
		ERROR_AT(d, RULE_RELATIVE_BINARY, value_pos(d, "binary"),
			 "member 'binary' is empty");
		return;
	}
	if (binary[0] != '/') {
		q = quote(binary);
		ERROR_AT(d, RULE_RELATIVE_BINARY, value_pos(d, "binary"),
			 "member 'binary' is not an absolute path: %s", q);
		free(q);
		return;
	}
	d->binary = binary;
}

static void check_description(struct descriptor *d)
{
	json_t *v = json_object_get(d->json, "description");

	if (!v)
		WARNING_AT(d, RULE_NO_DESCRIPTION, layout_of(d)->start,
			   "missing member 'description'");
	else if (!json_is_string(v))
		WARNING_AT(d, RULE_MEMBER_KIND, value_pos(d, "description"),
			   "member 'description' is %s, not a string",
			   json_kind_name(v));
	else
		d->description = json_string_value(v);
}

/* An optional list of strings: the array, or NULL (and a warning) when it is not one. */
static json_t *string_list(struct descriptor *d, const char *key)
{
	json_t *v = json_object_get(d->json, key), *item;
	char *q;
	size_t i;

	if (!v)
		return NULL;
	q = quote(key);
	if (!json_is_array(v)) {
		WARNING_AT(d, RULE_MEMBER_KIND, value_pos(d, key),
			   "member %s is %s, not a list of strings", q,
			   json_kind_name(v));
		v = NULL;
	}
	json_array_foreach(v, i, item) {
		if (!json_is_string(item)) {
			WARNING_AT(d, RULE_MEMBER_KIND, item_pos(d, key, i),
				   "member %s has %s at index %zu, not a string",
				   q, json_kind_name(item), i);
			v = NULL;
			break;
		}
	}
	free(q);
	return v;
}

/*
 * The features the backend says it has (upstream virtiofsd ships them).
 * Shown, never decided on: the probe decides.  A name the schema does
 * not know for the type is a warning.
 */
static void check_features(struct descriptor *d)
{
	const struct backend_type *t = d->type ? schema_find_type(d->type) :
		NULL;
	json_t *f;
	size_t i, n = 0;

	d->features = string_list(d, "features");
	if (!d->features || !t)
		return;
	while (t->features[n])
		n++;
	json_array_foreach(d->features, i, f) {
		const char *name = json_string_value(f);
		char *q, *hint;

		if (schema_has_feature(t, name))
			continue;
		q = quote(name);
		hint = did_you_mean(name, "", t->features, n);
		WARNING_AT(d, RULE_UNKNOWN_FEATURE, item_pos(d, "features", i),
			   "feature %s is not a known feature of type %s%s", q,
			   t->name, hint);
		free(hint);
		free(q);
	}
}

static void check_unknown_members(struct descriptor *d)
{
	size_t n = 0, i = 0;
	const char *key;
	json_t *v;

	while (schema_members[n])
		n++;
	json_object_foreach(d->json, key, v) {
		if (!schema_is_member(key)) {
			char *q = quote(key), *hint = did_you_mean(key, "",
						schema_members, n);

			WARNING_AT(d, RULE_UNKNOWN_MEMBER, i < layout_of(d)->n ?
				   d->layout.members[i].key :
				   (struct text_pos){ 0, 0 },
				   "unknown member %s%s", q, hint);
			free(hint);
			free(q);
		}
		i++;
	}
}

/*
 * A program where a descriptor is expected: its first bytes say so.  The
 * one wording for show, caps and validate alike.
 */
static bool check_program(struct descriptor *d, const char *buf, size_t len)
{
	const char *what;

	if (len >= 4 && memcmp(buf, "\x7f" "ELF", 4) == 0)
		what = "an ELF executable";
	else if (len >= 2 && memcmp(buf, "#!", 2) == 0)
		what = "a #! script";
	else
		return false;
	ERROR_AT(d, RULE_PROGRAM, ((struct text_pos){ 1, 1 }),
		 "a program (%s), not a descriptor: for its capabilities, "
		 "run 'caps --binary %s'", what, d->path);
	return true;
}

/*
 * jansson rejected the text at byte offset at: a '}' or ']' after a
 * comma (and only blanks) is a trailing comma, said at the comma.
 */
static bool check_trailing_comma(struct descriptor *d, const char *buf,
				 size_t at)
{
	char close;
	size_t i;

	if (at == 0 || (buf[at - 1] != '}' && buf[at - 1] != ']'))
		return false;
	close = buf[at - 1];
	for (i = at - 1; i > 0 && strchr(" \t\r\n", buf[i - 1]); i--)
		;
	if (i == 0 || buf[i - 1] != ',')
		return false;
	ERROR_AT(d, RULE_TRAILING_COMMA, text_pos_at(buf, i - 1),
		 "trailing comma before '%c' (JSON allows none)", close);
	return true;
}

/* Parse buf: the object, or NULL (and an error). */
static json_t *parse(struct descriptor *d, const char *buf, size_t len)
{
	json_error_t err;
	const char *nul;
	json_t *j;

	/* jansson would say "'[' or '{' expected near" an invisible mark. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		ERROR_AT(d, RULE_SYNTAX, ((struct text_pos){ 1, 1 }),
			 "byte-order mark at the start of the file (not allowed in JSON)");
		return NULL;
	}
	if (check_program(d, buf, len))
		return NULL;
	/* jansson would call a raw NUL byte the end of the input. */
	nul = memchr(buf, '\0', len);
	if (nul) {
		ERROR_AT(d, RULE_SYNTAX, text_pos_at(buf, (size_t)(nul - buf)),
			 "NUL byte in the file (not allowed in JSON)");
		return NULL;
	}
	/* jansson's defaults reject NUL, bad UTF-8 and trailing data. */
	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (j)
		return j;
	/* Its own wording names a jansson flag: say it for users. */
	if (json_error_code(&err) == json_error_null_character)
		ERROR_AT(d, RULE_SYNTAX, ((struct text_pos){ err.line, err.column }),
			 "a string contains U+0000 (NUL), which is not allowed");
	else if (!check_trailing_comma(d, buf, (size_t)err.position)) {
		/* jansson quotes the file's text: escaped, as a value. */
		char *text = escape_text(err.text);

		ERROR_AT(d, RULE_SYNTAX, ((struct text_pos){ err.line, err.column }),
			 "%s", text);
		free(text);
	}
	return NULL;
}

/* Parse and check buf; with positions, its layout is kept. */
static struct descriptor *parse_text(const char *buf, size_t len,
				     const char *path, bool positions)
{
	struct descriptor *d = descriptor_new(path);
	json_t *j;

	if (len > DESCRIPTOR_MAX_SIZE) {
		ERROR_AT(d, RULE_TOO_LARGE, ((struct text_pos){ 0, 0 }),
			 "file is larger than %d bytes", DESCRIPTOR_MAX_SIZE);
		return d;
	}
	j = parse(d, buf, len);
	if (!j)
		return d;
	d->text = buf;
	d->text_len = len;
	if (!json_is_object(j)) {
		ERROR_AT(d, RULE_NOT_OBJECT, layout_of(d)->start,
			 "not a JSON object but %s", json_kind_name(j));
		json_decref(j);
		json_layout_free(&d->layout);
	} else {
		d->json = j;
		d->nesting = json_nesting(j);
		check_type(d);
		check_binary(d);
		check_description(d);
		d->tags = string_list(d, "tags");
		check_features(d);
		check_unknown_members(d);
		if (positions)
			layout_of(d);
	}
	d->text = NULL;
	return d;
}

struct descriptor *descriptor_parse(const char *buf, size_t len,
				    const char *path)
{
	return parse_text(buf, len, path, true);
}

int descriptor_read(int fd, char **buf, size_t *len)
{
	struct stat st;

	*buf = NULL;
	*len = 0;
	if (fstat(fd, &st) < 0)
		return errno;
	return descriptor_read_st(fd, &st, buf, len);
}

/* Read fd to its end, size bytes expected (0: unknown), as below. */
static int read_bytes(int fd, off_t size, char **buf, size_t *len);

int descriptor_read_st(int fd, const struct stat *stp, char **buf,
		       size_t *len)
{
	*buf = NULL;
	*len = 0;
	if (!S_ISREG(stp->st_mode))
		return EINVAL;
	if (stp->st_size > DESCRIPTOR_MAX_SIZE)
		return EFBIG;
	return read_bytes(fd, stp->st_size, buf, len);
}

static int read_bytes(int fd, off_t size, char **buf, size_t *len)
{
	size_t cap;

	/*
	 * Read the size fstat() gave, asking one byte more: a file which
	 * has grown by then is read on to its end, up to one byte past the
	 * limit so that it is still caught, and never more than that.  A
	 * file read to exactly its size needs no read(2) to see its end
	 * (one system call a file: 3% of a 10,000-file search); a size of
	 * 0 is a pseudo-file's, which is read to its end.
	 */
	cap = (size_t)size + 1;
	*buf = xmalloc(cap);
	for (;;) {
		ssize_t n;

		if (*len == cap) {
			if (cap > DESCRIPTOR_MAX_SIZE)
				break;
			cap = cap * 2 > DESCRIPTOR_MAX_SIZE + 1 ?
				DESCRIPTOR_MAX_SIZE + 1 : cap * 2;
			*buf = xreallocarray(*buf, cap, 1);
		}
		n = read(fd, *buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(*buf);
			*buf = NULL;
			*len = 0;
			return e;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
		if (size > 0 && *len == (size_t)size)
			break;
	}
	if (*len > DESCRIPTOR_MAX_SIZE)
		return EFBIG;
	/* Room is left: the read stopped short of cap, or at size + 1. */
	(*buf)[*len] = '\0';
	return 0;
}

struct descriptor *descriptor_load_st(int fd, const struct stat *st,
				      const char *path, bool positions)
{
	struct descriptor *d;
	char *buf;
	size_t len;
	int err = descriptor_read_st(fd, st, &buf, &len);

	if (err == EINVAL)
		return descriptor_failed(path, RULE_UNREADABLE, "is %s",
					 file_type_name(st->st_mode));
	if (err == EFBIG)
		return descriptor_failed(path, RULE_TOO_LARGE,
					 "file is larger than %d bytes",
					 DESCRIPTOR_MAX_SIZE);
	if (err)
		return descriptor_failed(path, RULE_UNREADABLE, "%s",
					 strerror(err));
	d = parse_text(buf, len, path, positions);
	free(buf);
	return d;
}

struct descriptor *descriptor_load_stream(int fd, const char *path)
{
	struct descriptor *d;
	char *buf = NULL;
	size_t len = 0;
	int err = read_bytes(fd, 0, &buf, &len);

	if (err == EFBIG)
		d = descriptor_failed(path, RULE_TOO_LARGE,
				      "file is larger than %d bytes",
				      DESCRIPTOR_MAX_SIZE);
	else if (err)
		d = descriptor_failed(path, RULE_UNREADABLE, "%s",
				      strerror(err));
	else
		d = descriptor_parse(buf, len, path);
	free(buf);
	return d;
}

struct descriptor *descriptor_error(const char *path, int err)
{
	return descriptor_failed(path, RULE_UNREADABLE, "%s", strerror(err));
}

void descriptor_slim(struct descriptor *d)
{
	struct json_layout layout = { 0 };
	json_t *small;
	size_t kept = 0;

	if (!d->json)
		return;
	for (const char *const *k = schema_members; *k; k++)
		kept += json_object_get(d->json, *k) != NULL;
	if (json_is_object(d->json) && kept == json_object_size(d->json))
		return;
	small = json_object();
	layout.start = d->layout.start;
	layout.members = xcalloc(kept ? kept : 1, sizeof(*layout.members));
	for (const char *const *k = schema_members; *k; k++) {
		json_t *v = json_object_get(d->json, *k);
		const struct member_pos *m = descriptor_member_pos(d, *k);

		if (!v)
			continue;
		/* json_object_set takes a reference: the values live on. */
		if (json_object_set(small, *k, v) < 0)
			out_of_memory();
		/* In the order of small's members; the items move. */
		layout.members[layout.n++] = m ? *m : (struct member_pos){ 0 };
		if (m)
			((struct member_pos *)m)->items = NULL;
	}
	json_layout_free(&d->layout);
	d->layout = layout;
	json_decref(d->json);
	d->json = small;
}

void descriptor_free(struct descriptor *d)
{
	if (!d)
		return;
	json_decref(d->json);
	json_layout_free(&d->layout);
	diags_free(&d->diags);
	free(d->path);
	free(d);
}
