/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a backend's `BINARY --print-capabilities` safely and checking
 * its answer (SPEC §5).  Nothing here prints.
 */
#ifndef VUF_CAPABILITIES_H
#define VUF_CAPABILITIES_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* Output past this is a failure, and the backend is killed. */
#define PROBE_MAX_OUTPUT (1024 * 1024)

struct capabilities {
	char *type;
	char **features;	/* in the order reported; unknown ones kept */
	size_t n_features;
	json_t *json;		/* the checked object, as printed */
};

enum probe_status {
	PROBE_OK,
	PROBE_NOT_FOUND,	/* the binary does not exist */
	PROBE_NOT_EXECUTABLE,	/* exists, but cannot be executed */
	PROBE_SPAWN_FAILED,	/* fork/exec machinery failed */
	PROBE_TIMEOUT,		/* no exit before the deadline */
	PROBE_SIGNALED,		/* killed by a signal */
	PROBE_EXIT_STATUS,	/* exited non-zero */
	PROBE_TOO_LARGE,	/* printed more than PROBE_MAX_OUTPUT */
	PROBE_BAD_OUTPUT,	/* not exactly one JSON object */
	PROBE_BAD_MEMBER,	/* wrong kinds of members */
	PROBE_TYPE_MISMATCH,	/* reported a type other than expected */
};

struct probe_result {
	enum probe_status status;
	char *reason;		/* set when status != PROBE_OK, in words */
	struct capabilities caps;	/* set when status == PROBE_OK */
};

/*
 * Run exec_path --print-capabilities (argv[0] is exec_path) with a
 * deadline of timeout_ms, and check the answer.  expected_type (may be
 * NULL) is the descriptor's type the report must agree with.  Always
 * fills *result; returns result->status.
 */
enum probe_status probe_backend(const char *exec_path,
				const char *expected_type, int timeout_ms,
				struct probe_result *result);

/*
 * Check len bytes of a backend's output as a capabilities report.
 * Returns PROBE_OK and fills *caps, or another status and an allocated
 * *reason.  Separate from probing so that it can be fuzzed.
 */
enum probe_status capabilities_parse(const char *buf, size_t len,
				     const char *expected_type,
				     struct capabilities *caps, char **reason);

/*
 * Whether exec_path exists and this user may execute it, without running
 * it: PROBE_OK, or PROBE_NOT_FOUND / PROBE_NOT_EXECUTABLE and an
 * allocated *reason ("not found", ...).
 */
enum probe_status probe_check_binary(const char *exec_path, char **reason);

bool capabilities_has(const struct capabilities *caps, const char *feature);

void capabilities_free(struct capabilities *caps);
void probe_result_free(struct probe_result *result);

#endif
