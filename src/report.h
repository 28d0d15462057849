/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one way findings, positions and entries are told: the position
 * format "FILE:LINE:COLUMN" (leaving out what is unknown) in text and
 * JSON, warnings about a resolution, why an entry or a lookup cannot be
 * used, and an entry as a JSON object.
 */
#ifndef VUF_REPORT_H
#define VUF_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "diag.h"
#include "resolve.h"

/*
 * "FILE:LINE:COLUMN", "FILE:LINE" or "FILE" as far as the position is
 * known (0 is unknown); without the file ("LINE:COLUMN") when file is
 * NULL.  NULL when nothing is known.  Allocated.
 */
char *position_text(const char *file, int line, int column);

/* Add "line" and "column" to o, each only where known. */
void position_json(json_t *o, int line, int column);

/*
 * "FILE:LINE:COLUMN: MSG", or with the level and rule id ("FILE:LINE:
 * error: [VUF102] MSG") as validate and compilers say it.  Allocated.
 */
char *diag_text(const struct diag *g, bool with_level);

/* A finding as a JSON object: file, line, column, rule, severity, message. */
json_t *diag_json(const struct diag *g);

/*
 * A finding as a GitHub Actions workflow command: "::error
 * file=F,line=L,col=C::[VUF102] MSG" ("::warning" for a warning; what is
 * unknown left out), the message escaped and then %, CR and LF
 * %-encoded, and in the file also ':' and ','.  Allocated.
 */
char *diag_github(const struct diag *g);

/* Print each finding of that level (errors as errors, warnings unless -q). */
void report_diags(const struct diags *d, enum diag_level level);

/*
 * Warn (unless -q) about directories that could not be read, and, name
 * by name as each is settled, about effective entries that are invalid
 * or ignored.
 */
void report_resolution(struct resolution *res);
/* The two halves, for a resolution printed as it is settled. */
void report_dir_warnings(const struct resolution *res);
void report_entry_problems(const struct entry *named, size_t n);

/*
 * What kind of mask e (a KIND_MASK entry) is, the one wording of it:
 * "an empty file", "a link to /dev/null", "the /dev/null device".
 */
const char *mask_kind(const struct entry *e);

/* A candidate and what became of it: "PATH: BINARY: REASON".  Allocated. */
char *candidate_text(const struct entry *e, const char *reason);

/*
 * Why binary cannot be used, and under --root where it was looked for:
 * "REASON (looked for ROOT/BINARY)", the path as inside the root.
 * Allocated.
 */
char *binary_reason_text(const struct searchpath *sp, const char *binary,
			 const char *reason);

/*
 * -v, the policy view (SPEC §6): the entries of type in res (settled,
 * read with load_all) after `after` and before `before` (NULL: from the
 * start, to the end) that are no candidates, each with its fate (masked
 * by, overridden by); and with after_winner, the candidates there as
 * not considered.
 */
void report_policy_between(const struct resolution *res, const char *type,
			   const struct entry *after,
			   const struct entry *before, bool after_winner);

/*
 * -v: the winner and why it won: "PATH: BINARY: selected (first by name;
 * overrides PATH)"; first says no candidate came before it.
 */
void report_winner(const struct resolution *res, const struct entry *e,
		   bool first);

/* Say why e cannot be used: every error, the mask, or the reason. */
void report_not_active(const struct entry *e);

/*
 * Say what a lookup found: with verbose, where an active or masked entry
 * came from and what it overrides; and why anything but an active entry
 * cannot be used.
 */
void report_lookup(const struct lookup *l, bool verbose);

/*
 * NAME|PATH as show, caps and handshake take it: look it up (l, to be
 * freed with lookup_free), warn about unreadable directories, and say
 * what report_lookup says.  The active entry, or NULL.
 */
const struct entry *report_lookup_of(const struct searchpath *sp,
				     const char *arg, bool verbose,
				     struct lookup *l);

/*
 * The closing line when no candidate of type qualified (match, caps
 * --type): none at all (naming the directories searched), none with the features asked for, none whose
 * probe succeeded (probed), or none that can start.
 */
void report_no_match(const struct searchpath *sp, const char *type,
		     size_t n_candidates, bool probed,
		     char *const *features, size_t n_features);

/* "no descriptor in the search path (DIR, DIR)": validate's and list's words.  Allocated. */
char *no_descriptor_text(const struct searchpath *sp);

/* What to say about an entry's status ("overridden by PATH", a reason...). */
char *entry_detail(const struct entry *e);

/* An entry as a JSON object: name, file, status, type, binary, ... */
json_t *entry_json(const struct entry *e);

#endif
