/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one table of vhost-user backend types and their known features,
 * and of a descriptor's members.  Validation, --help, error hints and
 * completion all read it.
 */
#ifndef VUF_SCHEMA_H
#define VUF_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

struct backend_type {
	const char *name;
	const char *const *features;	/* NULL-terminated, never NULL */
};

/* All known types, in the schema's order. */
extern const struct backend_type backend_types[];
extern const size_t n_backend_types;

/* A descriptor's members (QAPI VhostUserBackend), NULL-terminated. */
extern const char *const schema_members[];

/* Whether name is one of schema_members. */
bool schema_is_member(const char *name);

/* The type called name, or NULL when it is not a known type. */
const struct backend_type *schema_find_type(const char *name);

/* Whether feature is one of the known features of type. */
bool schema_has_feature(const struct backend_type *type, const char *feature);

/* The known type names joined by ", " into buf (for error hints). */
const char *schema_type_list(char *buf, size_t size);

#endif
