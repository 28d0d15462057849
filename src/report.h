/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How commands describe entries and descriptors: warnings on stderr,
 * "FILE:LINE:COLUMN: message" text, JSON objects.
 */
#ifndef VUF_REPORT_H
#define VUF_REPORT_H

#include <stdbool.h>
#include <jansson.h>

#include "descriptor.h"
#include "resolve.h"

/* "PATH:LINE:COLUMN: MSG", or "PATH: MSG" when no position is known. */
char *diag_format(const char *path, const struct diag *g);

/*
 * Warn (unless -q) about directories that could not be read and, when
 * entries is set, about effective entries that are invalid or ignored.
 */
void report_resolution(const struct resolution *res, bool entries);

/* Print a descriptor's warnings (not its errors) unless -q. */
void report_descriptor_warnings(const struct descriptor *d);

/* Print every error of an invalid descriptor. */
void report_descriptor_errors(const struct descriptor *d);

/* Say why e cannot be used: every error, the mask, or the reason. */
void report_not_active(const struct entry *e);

/*
 * Look name (".json" added when missing) up in res, as show and caps do:
 * the active entry that takes effect, or NULL after saying why there is
 * none (masked, invalid, ignored, or absent).  verbose: say where it
 * came from and what it overrides.
 */
const struct entry *lookup_name(const struct resolution *res,
				const char *arg, bool verbose);

/* What to say about an entry's status ("overridden by PATH", a reason...). */
char *entry_detail(const struct entry *e);

/* An entry as a JSON object (name, file, status, type, binary, ...). */
json_t *entry_json(const struct entry *e);

#endif
