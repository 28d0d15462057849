/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which libvirt the model speaks for (SPEC §8): the one installed (read
 * from its library's file name, never by running anything; under --root
 * in the staged tree) or the one asked for, and the rules of the
 * modelled release that applies to it.  Nothing here prints.
 */
#ifndef VUF_LIBVIRT_VERSION_H
#define VUF_LIBVIRT_VERSION_H

#include <stdbool.h>

#include "searchpath.h"

struct libvirt_version {
	int major, minor, micro;
};

/* What a modelled release does, where releases differ. */
struct libvirt_rules {
	struct libvirt_version since;	/* the release modelled */
	bool json_c;		/* json-c parses descriptors, else yajl */
	bool fs_probed;		/* fs candidates are probed */
	bool session_virtiofs;	/* a session daemon may start virtiofsd */
};

/* How the version in use was found. */
enum libvirt_source {
	LIBVIRT_GIVEN,		/* --libvirt-version or match --libvirt= */
	LIBVIRT_FOUND,		/* from the installed library's name */
	LIBVIRT_NONE,		/* none found: the newest modelled */
};

struct libvirt_in_use {
	struct libvirt_version v;	/* the version spoken for */
	char name[40];		/* "libvirt 9.0", as the notes name it */
	const struct libvirt_rules *rules;
	enum libvirt_source source;
	char *library;		/* LIBVIRT_FOUND: the library's path, as shown */
	bool no_qemu_driver;	/* LIBVIRT_FOUND without the QEMU driver module */
	bool older;		/* LIBVIRT_FOUND older than every release modelled */
};

/*
 * Parse "X.Y" or "X.Y.Z" (digits only): 0, or -1 when s is no version.
 * A version older than the oldest modelled is refused by
 * libvirt_choose_version.
 */
int libvirt_version_parse(const char *s, struct libvirt_version *v);

/* The oldest release modelled, as "X.Y", for messages. */
const char *libvirt_oldest_modelled(void);

/*
 * The libvirt in use: given when not NULL (false when it is older than
 * every modelled release), else the one installed on sp's system (in
 * its root under --root), else the newest modelled.
 */
bool libvirt_choose_version(const struct searchpath *sp,
			    const struct libvirt_version *given,
			    struct libvirt_in_use *u);
void libvirt_in_use_free(struct libvirt_in_use *u);

/* Where the library is looked for, first found wins: "DIR, DIR, DIR". */
const char *libvirt_library_dirs(void);

/* Whether u's version is itself a modelled release (else an earlier one's rules apply). */
bool libvirt_modelled_exactly(const struct libvirt_in_use *u);

#endif
