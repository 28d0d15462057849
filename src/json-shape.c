/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "json-shape.h"

int json_nesting(const json_t *j)
{
	const char *key;
	json_t *v;
	size_t i;
	int deepest = 0, n;

	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, key, v)
			if ((n = 1 + json_nesting(v)) > deepest)
				deepest = n;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if ((n = 1 + json_nesting(v)) > deepest)
				deepest = n;
	}
	return deepest;
}

const char *json_kind_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:	return "an object";
	case JSON_ARRAY:	return "an array";
	case JSON_STRING:	return "a string";
	case JSON_INTEGER:
	case JSON_REAL:		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:	return "a boolean";
	case JSON_NULL:		return "null";
	}
	return "a value";
}
