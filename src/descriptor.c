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
#include "util.h"

static struct descriptor *descriptor_new(const char *path)
{
	struct descriptor *d = xcalloc(1, sizeof(*d));

	d->path = xstrdup(path);
	return d;
}

/* A descriptor that could not be read: one error, no contents. */
static struct descriptor * __attribute__((format(printf, 2, 3)))
descriptor_failed(const char *path, const char *fmt, ...)
{
	struct descriptor *d = descriptor_new(path);
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(&d->diags, DIAG_ERROR, d->path, 0, 0, fmt, ap);
	va_end(ap);
	return d;
}

/* A required string member; NULL (and an error) when absent or not a string. */
static const char *required_string(struct descriptor *d, const char *key)
{
	json_t *v = json_object_get(d->json, key);

	if (!v) {
		diags_add(&d->diags, DIAG_ERROR, d->path, 0, 0,
			  "missing required member \"%s\"", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		diags_add(&d->diags, DIAG_ERROR, d->path, 0, 0,
			  "member \"%s\" is %s, not a string", key,
			  json_kind_name(v));
		return NULL;
	}
	return json_string_value(v);
}

static void check_type(struct descriptor *d)
{
	const char *type = required_string(d, "type");
	char list[256];

	if (!type)
		return;
	if (!schema_find_type(type)) {
		diags_add(&d->diags, DIAG_ERROR, d->path, 0, 0,
			  "unknown type \"%s\" (known types: %s)", type,
			  schema_type_list(list, sizeof(list)));
		return;
	}
	d->type = type;
}

static void check_binary(struct descriptor *d)
{
	const char *binary = required_string(d, "binary");

	if (!binary)
		return;
	if (binary[0] == '\0') {
		diags_add(&d->diags, DIAG_ERROR, d->path, 0, 0,
			  "member \"binary\" is empty");
		return;
	}
	if (binary[0] != '/') {
		diags_add(&d->diags, DIAG_ERROR, d->path, 0, 0,
			  "member \"binary\" is not an absolute path: \"%s\"",
			  binary);
		return;
	}
	d->binary = binary;
}

static void check_description(struct descriptor *d)
{
	json_t *v = json_object_get(d->json, "description");

	if (!v)
		diags_add(&d->diags, DIAG_WARNING, d->path, 0, 0,
			  "missing member \"description\"");
	else if (!json_is_string(v))
		diags_add(&d->diags, DIAG_WARNING, d->path, 0, 0,
			  "member \"description\" is %s, not a string",
			  json_kind_name(v));
	else
		d->description = json_string_value(v);
}

/* An optional list of strings: the array, or NULL (and a warning) when it is not one. */
static json_t *string_list(struct descriptor *d, const char *key)
{
	json_t *v = json_object_get(d->json, key), *item;
	size_t i;

	if (!v)
		return NULL;
	if (!json_is_array(v)) {
		diags_add(&d->diags, DIAG_WARNING, d->path, 0, 0,
			  "member \"%s\" is %s, not a list of strings", key,
			  json_kind_name(v));
		return NULL;
	}
	json_array_foreach(v, i, item) {
		if (!json_is_string(item)) {
			diags_add(&d->diags, DIAG_WARNING, d->path, 0, 0,
				  "member \"%s\" has %s at index %zu, not a string",
				  key, json_kind_name(item), i);
			return NULL;
		}
	}
	return v;
}

/* What jansson found wrong with the file, as a finding. */
static void add_json_error(struct descriptor *d, const json_error_t *err)
{
	char *text;

	/* Its own wording names a jansson flag: say it for users. */
	if (json_error_code(err) == json_error_null_character) {
		diags_add(&d->diags, DIAG_ERROR, d->path, err->line, err->column,
			  "a string contains U+0000 (NUL), which is not allowed");
		return;
	}
	/* jansson quotes the file's text: escaped, as a value. */
	text = escape_text(err->text);
	diags_add(&d->diags, DIAG_ERROR, d->path, err->line, err->column,
		  "%s", text);
	free(text);
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
	size_t i;

	d->features = string_list(d, "features");
	if (!d->features || !t)
		return;
	json_array_foreach(d->features, i, f)
		if (!schema_has_feature(t, json_string_value(f)))
			diags_add(&d->diags, DIAG_WARNING, d->path, 0, 0,
				  "feature \"%s\" is not a known feature of type %s",
				  json_string_value(f), t->name);
}

static void check_unknown_members(struct descriptor *d)
{
	const char *key;
	json_t *v;

	json_object_foreach(d->json, key, v)
		if (!schema_is_member(key))
			diags_add(&d->diags, DIAG_WARNING, d->path, 0, 0,
				  "unknown member \"%s\"", key);
}

struct descriptor *descriptor_parse(const char *buf, size_t len,
				    const char *path)
{
	struct descriptor *d = descriptor_new(path);
	json_error_t err;
	const char *nul;
	json_t *j;

	if (len > DESCRIPTOR_MAX_SIZE) {
		diags_add(&d->diags, DIAG_ERROR, d->path, 0, 0,
			  "file is larger than %d bytes", DESCRIPTOR_MAX_SIZE);
		return d;
	}
	/* jansson would say "'[' or '{' expected near" an invisible mark. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		diags_add(&d->diags, DIAG_ERROR, d->path, 1, 1,
			  "byte-order mark at the start of the file (not allowed in JSON)");
		return d;
	}
	/* jansson would call a raw NUL byte the end of the input. */
	nul = memchr(buf, '\0', len);
	if (nul) {
		int line = 1, column = 1;

		for (const char *p = buf; p < nul; p++, column++)
			if (*p == '\n')
				line++, column = 0;
		diags_add(&d->diags, DIAG_ERROR, d->path, line, column,
			  "NUL byte in the file (not allowed in JSON)");
		return d;
	}
	/* jansson's defaults reject NUL, bad UTF-8 and trailing data. */
	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		add_json_error(d, &err);
		return d;
	}
	if (!json_is_object(j)) {
		diags_add(&d->diags, DIAG_ERROR, d->path, 0, 0,
			  "not a JSON object but %s", json_kind_name(j));
		json_decref(j);
		return d;
	}
	d->json = j;
	d->nesting = json_nesting(j);
	check_type(d);
	check_binary(d);
	check_description(d);
	d->tags = string_list(d, "tags");
	check_features(d);
	check_unknown_members(d);
	return d;
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

int descriptor_read_st(int fd, const struct stat *stp, char **buf,
		       size_t *len)
{
	const struct stat st = *stp;
	size_t cap;

	*buf = NULL;
	*len = 0;
	if (!S_ISREG(st.st_mode))
		return EINVAL;
	if (st.st_size > DESCRIPTOR_MAX_SIZE)
		return EFBIG;
	/*
	 * Read the size fstat() gave, asking one byte more: a file which
	 * has grown by then is read on to its end, up to one byte past the
	 * limit so that it is still caught, and never more than that.  A
	 * file read to exactly its size needs no read(2) to see its end
	 * (one system call a file: 3% of a 10,000-file search); a size of
	 * 0 is a pseudo-file's, which is read to its end.
	 */
	cap = (size_t)st.st_size + 1;
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
		if (st.st_size > 0 && *len == (size_t)st.st_size)
			break;
	}
	if (*len > DESCRIPTOR_MAX_SIZE)
		return EFBIG;
	/* Room is left: the read stopped short of cap, or at size + 1. */
	(*buf)[*len] = '\0';
	return 0;
}

struct descriptor *descriptor_load_st(int fd, const struct stat *st,
				      const char *path)
{
	struct descriptor *d;
	char *buf;
	size_t len;
	int err = descriptor_read_st(fd, st, &buf, &len);

	if (err == EINVAL)
		return descriptor_failed(path, "is %s",
					 file_type_name(st->st_mode));
	if (err == EFBIG)
		return descriptor_failed(path, "file is larger than %d bytes",
					 DESCRIPTOR_MAX_SIZE);
	if (err)
		return descriptor_failed(path, "%s", strerror(err));
	d = descriptor_parse(buf, len, path);
	free(buf);
	return d;
}

struct descriptor *descriptor_error(const char *path, int err)
{
	return descriptor_failed(path, "%s", strerror(err));
}

void descriptor_slim(struct descriptor *d)
{
	json_t *small;
	size_t kept = 0;

	if (!d->json)
		return;
	for (const char *const *k = schema_members; *k; k++)
		kept += json_object_get(d->json, *k) != NULL;
	if (json_is_object(d->json) && kept == json_object_size(d->json))
		return;
	small = json_object();
	for (const char *const *k = schema_members; *k; k++) {
		json_t *v = json_object_get(d->json, *k);

		/* json_object_set takes a reference: the values live on. */
		if (v && json_object_set(small, *k, v) < 0)
			out_of_memory();
	}
	json_decref(d->json);
	d->json = small;
}

void descriptor_free(struct descriptor *d)
{
	if (!d)
		return;
	json_decref(d->json);
	diags_free(&d->diags);
	free(d->path);
	free(d);
}
