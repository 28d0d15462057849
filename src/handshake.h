/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Does a backend serve (SPEC §9)?  Start it as a probe is started, on a
 * socket in a private directory of its own with what its type needs,
 * speak vhost-user to it (vhost-user.c), end it and remove what was
 * made for it.  Nothing here prints.
 */
#ifndef VUF_HANDSHAKE_H
#define VUF_HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "probe.h"
#include "searchpath.h"
#include "vhost-user.h"

/* What to start, beyond the binary. */
struct handshake_request {
	const char *type;	/* the descriptor's type: its added arguments */
	char *const *args;	/* added as given (--arg, features' options) */
	size_t n_args;
};

struct handshake_result {
	bool ok;		/* the handshake completed */
	bool trouble;		/* the tool itself could not run it */
	char *reason;		/* why not ok, in words */
	struct vu_answer answer;	/* when ok */
	const char *containment;	/* how it was contained (-v) */
};

/*
 * Start binary (a descriptor's, in the root under --root; checked and
 * run as a probe is, with o's deadline and environment) and handshake
 * with it.  Always fills *res; returns res->ok.
 */
bool handshake_run(const struct searchpath *sp, const char *binary,
		   const struct handshake_request *q,
		   const struct probe_options *o,
		   struct handshake_result *res);

void handshake_result_free(struct handshake_result *res);

/*
 * validate --handshake: each active descriptor of the search path (of
 * the n files, when n > 0) handshaken as above; a failure is an error
 * on its file, an input backend is skipped with a warning.
 */
void handshake_lint(const struct searchpath *sp, char *const *files, size_t n,
		    const struct probe_options *o, struct diags *d);

/* How a --feature reaches the backend. */
enum handshake_option {
	HANDSHAKE_OPTION,	/* a flag of its own: virgl -> --virgl */
	HANDSHAKE_NEEDS_VALUE,	/* render-node, evdev-path, blk-file */
	HANDSHAKE_NO_OPTION,	/* nothing to pass */
};

/* The option that asks the backend for feature; *option set for HANDSHAKE_OPTION. */
enum handshake_option handshake_feature_option(const char *feature,
					       const char **option);

#endif
