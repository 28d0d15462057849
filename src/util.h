/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VUF_UTIL_H
#define VUF_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define PROGRAM_NAME "vhost-user-find"

/* Exit statuses, the same for every command (SPEC §6). */
enum {
	EXIT_OK = 0,
	EXIT_NOTFOUND = 1,
	EXIT_USAGE = 2,
};

/* Allocation that cannot fail: on exhaustion the tool stops with status 2. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* dir + "/" + name, without doubling a slash dir already ends with. */
char *path_join(const char *dir, const char *name);

bool str_has_suffix(const char *s, const char *suffix);

#endif
