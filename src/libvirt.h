/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What libvirt (<= 11) would do on the same files, where it decides
 * otherwise than QEMU's rules (SPEC §4, "known divergences"): the model
 * validate's notes are drawn from.  Nothing here prints.
 */
#ifndef VUF_LIBVIRT_H
#define VUF_LIBVIRT_H

#include <stdbool.h>

#include "descriptor.h"
#include "resolve.h"

/* The releases this model was read from, as the notes name them. */
#define LIBVIRT "libvirt (<= 11)"

/* Whether libvirt reads a directory entry of this name: any but hidden. */
bool libvirt_reads_name(const char *name);

/* What libvirt makes of one file of a name. */
enum libvirt_verdict {
	LIBVIRT_SKIPS,		/* not read, or an empty file (a mask) */
	LIBVIRT_FAILS,		/* every vhost-user lookup fails on it */
	LIBVIRT_OFFERS,		/* a backend it would offer */
};

struct libvirt_file {
	enum libvirt_verdict verdict;
	char *why;		/* LIBVIRT_FAILS: the cause */
	char *type;		/* LIBVIRT_OFFERS: the backend's type */
};

/*
 * The n files of one name, most specific first, as libvirt reads them:
 * it stats each, and reads the first regular file of the name; one
 * verdict per entry into files.
 */
void libvirt_read_named(const struct resolution *res,
			const struct entry *named, size_t n,
			struct libvirt_file *files);
void libvirt_file_clear(struct libvirt_file *f);

/* Whether libvirt fails every lookup on this descriptor: it needs a type. */
bool libvirt_rejects(const struct descriptor *d);

/* Whether libvirt fails every lookup on an entry it cannot stat. */
bool libvirt_fails_on_entry(const struct entry *e);

/*
 * A link to /dev/null is no mask to libvirt: the file of that name it
 * would read instead among named (most specific first, named[0] the
 * mask), or NULL when it would read none.
 */
const struct entry *libvirt_reads_instead(const struct entry *named,
					  size_t n);

/* Whether libvirt's system daemon reads this directory: never the user's. */
bool libvirt_system_reads(const struct search_dir *dir);

#endif
