/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * validate's libvirt notes (SPEC §6, §8): the model's answers
 * (libvirt.c) set against the tool's, in words.  Nothing here prints.
 */
#ifndef VUF_LINT_LIBVIRT_H
#define VUF_LINT_LIBVIRT_H

#include "diag.h"
#include "libvirt.h"
#include "lint.h"
#include "resolve.h"
#include "searchpath.h"

/*
 * Add to out a warning for every place where libvirt would decide
 * otherwise than the tool does on sp (ours: the tool's resolution of sp,
 * settled, with load_all, keep_skipped and the descriptors kept), saying
 * what libvirt does; with o->probe, also where its gpu and fs choices
 * differ from match's.
 */
void lint_libvirt(const struct searchpath *sp, const struct resolution *ours,
		  const struct lint_options *o, struct diags *out);

/* Why libvirt passed over a candidate it probed, in words; NULL when chosen. */
char *libvirt_try_text(const struct libvirt_try *t);

/*
 * When any note was made: which libvirt they speak for, where that is
 * not plain (none found, a release not modelled itself, no QEMU driver).
 */
void lint_libvirt_whose(const struct libvirt_in_use *u, struct diags *out);

/* The same for one file named on the command line: e, the one entry of res. */
void lint_libvirt_file(const struct resolution *res, const struct entry *e,
		       const struct libvirt_in_use *u, struct diags *out);

#endif
