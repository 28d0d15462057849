/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checking a backend's --print-capabilities answer (SPEC §5).  Nothing
 * here runs anything or prints.
 */
#ifndef VUF_CAPABILITIES_H
#define VUF_CAPABILITIES_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

struct capabilities {
	char *type;
	char **features;	/* in the order reported; unknown ones kept */
	size_t n_features;
	json_t *json;		/* the checked object, as printed */
};

/*
 * Check len bytes of a backend's output as a capabilities report that
 * agrees with expected_type (NULL: any type).  True and *caps filled, or
 * false and an allocated *reason.
 */
bool capabilities_parse(const char *buf, size_t len, const char *expected_type,
			struct capabilities *caps, char **reason);

bool capabilities_has(const struct capabilities *caps, const char *feature);

void capabilities_free(struct capabilities *caps);

#endif
