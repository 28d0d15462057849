/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What libvirt 11 would do on the same tree: a model of its vhost-user
 * lookup (src/qemu/qemu_interop_config.c), of how it reads a descriptor
 * (qemu_vhost_user.c, with json-c's rules as it calls the parser), and
 * of how it chooses a gpu and an fs backend, written from its code.
 * validate's libvirt notes all come from here.  Nothing here prints.
 */
#ifndef VUF_LIBVIRT_H
#define VUF_LIBVIRT_H

#include <stdbool.h>

#include "diag.h"
#include "probe.h"
#include "resolve.h"
#include "searchpath.h"

/* The releases the model was read from, as the notes name them. */
#define LIBVIRT "libvirt 11"

struct libvirt_options {
	bool probe;			/* model its gpu and fs choices too */
	const struct probe_options *run;
};

/*
 * Add to out a warning for every place where libvirt 11 would decide
 * otherwise than the tool does on sp (ours is the tool's resolution of
 * sp, with RESOLVE_LOAD_ALL | RESOLVE_KEEP_SKIPPED), saying what libvirt
 * does.  The daemon modelled is the one the caller talks to: the system
 * daemon for root, else the user's session daemon.
 */
void libvirt_compare(const struct searchpath *sp,
		     const struct resolution *ours,
		     const struct libvirt_options *o, struct diags *out);

/* The same for one file named on the command line: e, the one entry of res. */
void libvirt_compare_file(const struct resolution *res, const struct entry *e,
			  struct diags *out);

#endif
