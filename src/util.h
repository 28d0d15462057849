/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VUF_UTIL_H
#define VUF_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PROGRAM_NAME "vhost-user-find"

/* Exit statuses, the same for every command (SPEC §6). */
enum {
	EXIT_OK = 0,
	EXIT_NOTFOUND = 1,	/* not found, no match, invalid */
	EXIT_USAGE = 2,		/* the command line is wrong */
	EXIT_TROUBLE = 2,	/* the tool failed: memory, spawn, write */
};

/* Allocation that cannot fail: on exhaustion the tool stops with EXIT_TROUBLE. */
_Noreturn void out_of_memory(void);
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* dir + "/" + name, without doubling a slash dir already ends with. */
char *path_join(const char *dir, const char *name);

bool str_has_suffix(const char *s, const char *suffix);

/*
 * The absolute path with ".", ".." and repeated slashes taken out, as in
 * a root ("/.." is "/").  Textual: links are not followed.  Allocated.
 */
char *path_normalize(const char *path);

/*
 * A string built by appending, in one buffer that doubles as it grows:
 * lists of hundreds of thousands of items cost linear time.  Zeroed to
 * start; s is NULL until something is added; free(s) when done.
 */
struct strbuf {
	char *s;
	size_t len, cap;
};

void strbuf_add(struct strbuf *b, const char *s);
/* Append item to a ", "-separated list. */
void strbuf_add_item(struct strbuf *b, const char *item);

/*
 * Strings that live as long as their arena, carved from large blocks: no
 * allocation, and no allocator overhead, per string.  Zeroed to start.
 */
struct arena {
	struct arena_block *blocks;
	char *next;		/* free space in the current block */
	size_t left;
};

/* A copy of s in the arena. */
char *arena_strdup(struct arena *a, const char *s);
/* dir + "/" + name in the arena, without doubling a slash dir ends with. */
char *arena_path(struct arena *a, const char *dir, const char *name);
void arena_free(struct arena *a);

/*
 * How many items a list in a message names: a backend may report a
 * megabyte of features and a user may ask for thousands, and a message is
 * for a human.
 */
#define MAX_LISTED 10

/* "a, b, c": the n items, at most MAX_LISTED, then " and N more".  Allocated. */
char *word_list(char *const *items, size_t n);

/* "a directory", "a FIFO", ...: the file type of mode, for messages. */
const char *file_type_name(mode_t mode);

#endif
