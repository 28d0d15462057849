// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the capabilities parser: whatever a backend
 * prints, the answer is a checked object or a failure with a reason,
 * never a crash, a leak or a hang.  It links no code that spawns.  The input's
 * length picks the type the report must agree with (none, gpu, fs or
 * input), so that the mismatch path is explored too without spending
 * an input byte that would spoil the seeds.  Built by `make fuzz`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/capabilities.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const expected_types[] = { NULL, "gpu", "fs", "input" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capabilities caps;
	const char *expected;
	char *reason = NULL;

	expected = expected_types[size % 4];
	memset(&caps, 0, sizeof(caps));
	if (capabilities_parse((const char *)data, size, expected, &caps,
			       &reason)) {
		if (reason || !caps.type || !caps.json ||
		    (caps.n_features && !caps.features))
			abort();
		if (expected && strcmp(caps.type, expected) != 0)
			abort();
		for (size_t i = 0; i < caps.n_features; i++)
			if (!caps.features[i] ||
			    !capabilities_has(&caps, caps.features[i]))
				abort();
		capabilities_free(&caps);
	} else if (!reason) {
		abort();
	}
	free(reason);
	return 0;
}
