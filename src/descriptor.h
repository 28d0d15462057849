/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loading and checking one vhost-user descriptor file (SPEC §2).
 */
#ifndef VUF_DESCRIPTOR_H
#define VUF_DESCRIPTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include <sys/stat.h>

#include "diag.h"

/* Descriptors larger than this are invalid and are never read whole. */
#define DESCRIPTOR_MAX_SIZE (1024 * 1024)

struct descriptor {
	char *path;
	json_t *json;		/* the parsed object, NULL when unparsable */
	/* Borrowed from json; NULL when absent or of the wrong kind. */
	const char *type;
	const char *binary;
	const char *description;
	json_t *tags;		/* an array of strings, or NULL */
	json_t *features;	/* an array of strings, or NULL */
	int nesting;		/* arrays and objects around the deepest value */
	struct diags diags;	/* errors make the descriptor invalid */
};

/*
 * Read the regular file opened as fd, at most DESCRIPTOR_MAX_SIZE bytes:
 * 0 and an allocated *buf of *len bytes (and a NUL after them), or an
 * errno value (EFBIG: too large; EINVAL: not a regular file).
 */
int descriptor_read(int fd, char **buf, size_t *len);
/* The same, with the fstat of fd already made: st. */
int descriptor_read_st(int fd, const struct stat *st, char **buf,
		       size_t *len);

/* Read and check the file opened (read-only) as fd, whose fstat is st; fd stays open. */
struct descriptor *descriptor_load_st(int fd, const struct stat *st,
				      const char *path);

/* A descriptor that could not be read: errno err is its one error. */
struct descriptor *descriptor_error(const char *path, int err);

/* Parse and check len bytes of buf as the contents of path. */
struct descriptor *descriptor_parse(const char *buf, size_t len,
				    const char *path);

static inline bool descriptor_is_valid(const struct descriptor *d)
{
	return d->diags.n_errors == 0;
}

/*
 * Let go of every member but the schema's (a file may carry a megabyte
 * of anything else); what d's fields borrow lives on.
 */
void descriptor_slim(struct descriptor *d);

void descriptor_free(struct descriptor *d);

#endif
