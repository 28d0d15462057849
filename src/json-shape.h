/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The shape of a parsed JSON value, for checks and their messages: how
 * deep it nests, and what kind of value it is in words.
 */
#ifndef VUF_JSON_SHAPE_H
#define VUF_JSON_SHAPE_H

#include <jansson.h>

/* How many arrays and objects enclose the deepest value of j. */
int json_nesting(const json_t *j);

/* "an object", "a string", ... for messages about JSON kinds. */
const char *json_kind_name(const json_t *j);

#endif
