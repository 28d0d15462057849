/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

void out_of_memory(void)
{
	fputs(PROGRAM_NAME ": out of memory\n", stderr);
	exit(EXIT_TROUBLE);
}

static void *check(void *p)
{
	if (!p)
		out_of_memory();
	return p;
}

void *xmalloc(size_t size)
{
	return check(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return check(calloc(n ? n : 1, size ? size : 1));
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return check(NULL);
	return check(realloc(p, n * size > 0 ? n * size : 1));
}

char *xstrdup(const char *s)
{
	return check(strdup(s));
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *s;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return check(NULL);
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *path_join(const char *dir, const char *name)
{
	size_t len = strlen(dir);

	if (len > 0 && dir[len - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

/*
 * An absolute path with ".", ".." and repeated slashes taken out, as in
 * a root ("/.." is "/"), for telling where a chain of links ends.
 * Allocated.
 */
char *path_normalize(const char *path)
{
	char *out = xmalloc(strlen(path) + 2), *o = out;
	const char *p = path;

	*o = '\0';
	while (*p) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			;
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(out, '/');

			if (slash)
				*slash = '\0';
			o = out + strlen(out);
		} else {
			*o++ = '/';
			memcpy(o, p, n);
			o += n;
			*o = '\0';
		}
		p += n;
	}
	if (!out[0])
		strcpy(out, "/");
	return out;
}

bool str_has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

struct arena_block {
	struct arena_block *prev;
	char data[];
};

#define ARENA_BLOCK (64 * 1024)

/* Room for n bytes in the arena. */
static char *arena_alloc(struct arena *a, size_t n)
{
	char *p;

	if (n > a->left) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		struct arena_block *b = xmalloc(sizeof(*b) + size);

		b->prev = a->blocks;
		a->blocks = b;
		a->next = b->data;
		a->left = size;
	}
	p = a->next;
	a->next += n;
	a->left -= n;
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(arena_alloc(a, n), s, n);
}

char *arena_path(struct arena *a, const char *dir, const char *name)
{
	size_t ld = strlen(dir), ln = strlen(name);
	bool slash = ld == 0 || dir[ld - 1] != '/';
	char *p = arena_alloc(a, ld + slash + ln + 1);

	memcpy(p, dir, ld);
	if (slash)
		p[ld] = '/';
	memcpy(p + ld + slash, name, ln + 1);
	return p;
}

void arena_free(struct arena *a)
{
	while (a->blocks) {
		struct arena_block *prev = a->blocks->prev;

		free(a->blocks);
		a->blocks = prev;
	}
	memset(a, 0, sizeof(*a));
}

void strbuf_add(struct strbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = xreallocarray(b->s, cap, 1);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

void strbuf_add_item(struct strbuf *b, const char *item)
{
	if (b->len)
		strbuf_add(b, ", ");
	strbuf_add(b, item);
}

char *word_list(char *const *items, size_t n)
{
	struct strbuf list = { 0 };
	size_t shown = n > MAX_LISTED ? MAX_LISTED : n;

	for (size_t i = 0; i < shown; i++)
		strbuf_add_item(&list, items[i]);
	if (shown < n) {
		char *more = xasprintf(" and %zu more", n - shown);

		strbuf_add(&list, more);
		free(more);
	}
	return list.s ? list.s : xstrdup("");
}

const char *file_type_name(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	return "a file of unknown type";
}
