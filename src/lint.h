/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * validate's rules (SPEC §6): every check of a descriptor file, or of
 * everything on a search path, as findings.  Nothing here prints.
 */
#ifndef VUF_LINT_H
#define VUF_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "libvirt-version.h"
#include "probe.h"
#include "searchpath.h"

struct lint_options {
	bool probe;		/* run each backend's capability probe */
	struct probe_options run;	/* how */
	const struct libvirt_in_use *libvirt;	/* whose notes */
	/* Set: each finding goes there as it is made, none is kept. */
	diag_sink *sink;
	void *sink_data;
	/* Rules whose findings are never made (--ignore). */
	const bool *ignore;
};

struct lint_result {
	struct diags diags;	/* in the order found */
	size_t files;		/* files checked */
};

/*
 * Check each of the n operands named on the command line, host paths
 * all: a file, a directory (as a one-directory search path), or "-"
 * (one descriptor on stdin, shown as <stdin>, with no name to check).
 */
void lint_files(const struct searchpath *sp, char *const *files, size_t n,
		const struct lint_options *o, struct lint_result *out);

/* Check everything on the search path. */
void lint_searchpath(const struct searchpath *sp,
		     const struct lint_options *o, struct lint_result *out);

void lint_free(struct lint_result *l);

#endif
