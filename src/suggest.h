/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "did you mean 'gpu'?": the nearest of a list of known words to a word
 * that is not one of them, for commands, options, types, features and
 * descriptor members alike.
 */
#ifndef VUF_SUGGEST_H
#define VUF_SUGGEST_H

#include <stddef.h>

/*
 * The word of choices[0..n) nearest to word, or NULL when none is near
 * enough to be a slip: equal but for case, or within an edit distance
 * (insertions, deletions, substitutions and swaps of two neighbours) of
 * 1, or of 2 for words of six characters or more.  On a tie the first
 * in choices wins.  NULL entries in choices are skipped.
 */
const char *suggest(const char *word, const char *const *choices, size_t n);

/*
 * The same as words for a message: " (did you mean 'WORD'?)", or ""
 * when nothing is near.  Allocated.
 */
char *suggest_hint(const char *word, const char *const *choices, size_t n);

#endif
