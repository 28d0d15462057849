/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A backend a descriptor names: can it start, and what does it report
 * when run as BINARY --print-capabilities (SPEC §5).  Puts probe.c (the
 * run) and capabilities.c (the answer) together.  Nothing here prints.
 */
#ifndef VUF_BACKEND_H
#define VUF_BACKEND_H

#include <stdbool.h>

#include "capabilities.h"
#include "probe.h"
#include "searchpath.h"

/* What a backend's capability probe answered, checked. */
struct backend_answer {
	bool ok;		/* it answered, and the answer checked out */
	bool trouble;		/* the tool itself could not run it */
	char *reason;		/* why not ok, in words */
	struct capabilities caps;	/* when ok */
	const char *containment;	/* how the probe was contained (-v) */
};

enum backend_check {
	BACKEND_CAN_START,
	BACKEND_CANNOT_START,	/* missing, not executable, no interpreter */
	BACKEND_NOT_TRUSTED,	/* a privileged caller must not start it */
};

/*
 * Whether the binary a descriptor names (in the root under --root; sp
 * may be NULL for a path on this system) can start, without running it;
 * with an allocated *reason when not.
 */
enum backend_check backend_check(const struct searchpath *sp,
				 const char *binary, char **reason);

/* The same, as another reader would see it: without the trust rules. */
enum backend_check backend_check_as_is(const struct searchpath *sp,
				       const char *binary, char **reason);

/*
 * Whether the trust rules forbid probing binary with the environment of
 * o; *reason says why.
 */
bool backend_probe_refused(const struct searchpath *sp, const char *binary,
			   const struct probe_options *o, char **reason);

/*
 * Probe the binary (as for backend_can_start) with the deadline and
 * environment of o; the answer must report type (NULL: any).  Always
 * fills *answer; returns answer->ok.
 */
bool backend_probe(const struct searchpath *sp, const char *binary,
		   const char *type, const struct probe_options *o,
		   struct backend_answer *answer);

/*
 * Run the binary's probe (checked as for backend_probe) and give what it
 * printed, unchecked: for a model of another reader of the answer.
 * Always fills *run; returns run->status.
 */
enum probe_status backend_run(const struct searchpath *sp,
			      const char *binary,
			      const struct probe_options *o,
			      struct probe_result *run);

void backend_answer_free(struct backend_answer *answer);

/*
 * Open and check the binary as backend_probe does (the trust and run-as
 * rules with the environment of o), for a run with arguments of one's
 * own (handshake.c): prog says what runs and as whom.  With
 * BACKEND_CAN_START, backend_close(prog) afterwards.
 */
enum backend_check backend_open(const struct searchpath *sp,
				const char *binary,
				const struct probe_options *o,
				struct probe_program *prog, char **reason);
void backend_close(struct probe_program *prog);

struct resolution;
struct entry;

/* Told of a candidate passed over, and why. */
typedef void passed_over_fn(const struct entry *e, const char *reason,
			    void *data);

/*
 * match's choice without features, and caps --type's: the first active
 * descriptor of type in res (settled) whose binary can start.  Each one
 * passed over is told to passed(e, reason, data) when passed is given.
 */
const struct entry *first_startable(const struct searchpath *sp,
				    const struct resolution *res,
				    const char *type, passed_over_fn *passed,
				    void *data);

/*
 * match --probe's choice, and handshake --type's with features: the
 * first active descriptor of type in res whose probe (run as o says)
 * succeeds and reports every one of features.  Each one passed over is
 * told to passed(e, reason, data) when passed is given: with the
 * probe's reason when it failed, with NULL when it lacks a feature.
 */
const struct entry *first_answering(const struct searchpath *sp,
				    const struct resolution *res,
				    const char *type,
				    const struct probe_options *o,
				    char *const *features, size_t n_features,
				    passed_over_fn *passed, void *data);

#endif
