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
#include "json-pos.h"

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
	/*
	 * Where json's members are in the file: scanned when a finding
	 * needs a position, or for a descriptor loaded with positions.
	 */
	struct json_layout layout;
	bool scanned;
	const char *text;	/* the file's bytes, while it is parsed */
	size_t text_len;
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

/*
 * Read and check the file opened (read-only) as fd, whose fstat is st; fd
 * stays open.  With positions, where each member is stays known for the
 * checks made later (descriptor_member_pos); else only findings made
 * while it is read have them.
 */
struct descriptor *descriptor_load_st(int fd, const struct stat *st,
				      const char *path, bool positions);

/* A descriptor that could not be read: errno err is its one error. */
struct descriptor *descriptor_error(const char *path, int err);

/* Parse and check len bytes of buf as the contents of path, with positions. */
struct descriptor *descriptor_parse(const char *buf, size_t len,
				    const char *path);

static inline bool descriptor_is_valid(const struct descriptor *d)
{
	return d->diags.n_errors == 0;
}

/* Where member key of d's json is in the file, or NULL when unknown. */
const struct member_pos *descriptor_member_pos(const struct descriptor *d,
					       const char *key);

/*
 * Read one descriptor from fd, which need not be a regular file (a pipe,
 * stdin), to its end: checked as the contents of path.
 */
struct descriptor *descriptor_load_stream(int fd, const char *path);

/*
 * Let go of every member but the schema's (a file may carry a megabyte
 * of anything else); what d's fields borrow lives on.
 */
void descriptor_slim(struct descriptor *d);

void descriptor_free(struct descriptor *d);

#endif
