/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A backend's answer to --print-capabilities (SPEC §5): one JSON object
 * {"type": T, "features": [F, ...]}, checked.  Neither spawns nor waits:
 * probe.c runs the backend, backend.c puts the two together.
 */
#include <stdlib.h>
#include <string.h>

#include "capabilities.h"
#include "json-shape.h"
#include "output.h"
#include "util.h"

/* The "features" member: absent means none; else an array of strings. */
static bool parse_features(json_t *obj, struct capabilities *caps,
			   char **reason)
{
	json_t *features = json_object_get(obj, "features"), *f;
	size_t i;

	if (!features)
		return true;
	if (!json_is_array(features)) {
		*reason = xasprintf("\"features\" is %s, not an array",
				    json_kind_name(features));
		return false;
	}
	caps->features = xcalloc(json_array_size(features) + 1,
				 sizeof(*caps->features));
	json_array_foreach(features, i, f) {
		if (!json_is_string(f)) {
			*reason = xasprintf("\"features\"[%zu] is %s, not a string",
					    i, json_kind_name(f));
			return false;
		}
		caps->features[caps->n_features++] =
			xstrdup(json_string_value(f));
	}
	return true;
}

bool capabilities_parse(const char *buf, size_t len, const char *expected_type,
			struct capabilities *caps, char **reason)
{
	json_error_t error;
	json_t *obj, *type;

	memset(caps, 0, sizeof(*caps));
	*reason = NULL;
	if (len == 0) {
		*reason = xstrdup("printed nothing, not a JSON object");
		return false;
	}
	/* jansson's default strictness, plus duplicate keys as for descriptors. */
	obj = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &error);
	if (!obj) {
		char *text = escape_text(error.text);

		*reason = xasprintf("output is not one JSON object: %d:%d: %s",
				    error.line, error.column, text);
		free(text);
		return false;
	}
	caps->json = obj;
	if (!json_is_object(obj)) {
		*reason = xasprintf("output is %s, not a JSON object",
				    json_kind_name(obj));
		goto fail;
	}
	type = json_object_get(obj, "type");
	if (!type || !json_is_string(type)) {
		*reason = type ? xasprintf("\"type\" is %s, not a string",
					   json_kind_name(type)) :
			xstrdup("no 'type' member");
		goto fail;
	}
	caps->type = xstrdup(json_string_value(type));
	if (!parse_features(obj, caps, reason))
		goto fail;
	if (expected_type && strcmp(caps->type, expected_type) != 0) {
		*reason = xasprintf("reports type '%s', not '%s'", caps->type,
				    expected_type);
		goto fail;
	}
	return true;
fail:
	capabilities_free(caps);
	return false;
}

bool capabilities_has(const struct capabilities *caps, const char *feature)
{
	for (size_t i = 0; i < caps->n_features; i++)
		if (strcmp(caps->features[i], feature) == 0)
			return true;
	return false;
}

void capabilities_free(struct capabilities *caps)
{
	free(caps->type);
	for (size_t i = 0; i < caps->n_features; i++)
		free(caps->features[i]);
	free(caps->features);
	json_decref(caps->json);
	memset(caps, 0, sizeof(*caps));
}
