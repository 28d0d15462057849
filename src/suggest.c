/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "suggest.h"
#include "util.h"

/* Words longer than this are never a slip of a known one. */
#define WORD_MAX 64

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * The optimal string alignment distance of a and b (Damerau-Levenshtein
 * without repeated edits of one substring), ignoring ASCII case.  Three
 * rows of at most WORD_MAX + 1 cells.
 */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t rows[3][WORD_MAX + 1];
	size_t *pp = rows[0], *p = rows[1], *c = rows[2];

	for (size_t j = 0; j <= lb; j++)
		p[j] = j;
	for (size_t i = 1; i <= la; i++) {
		c[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned char x = lower(a[i - 1]), y = lower(b[j - 1]);
			size_t best = p[j - 1] + (x != y);

			if (p[j] + 1 < best)
				best = p[j] + 1;
			if (c[j - 1] + 1 < best)
				best = c[j - 1] + 1;
			if (i > 1 && j > 1 && x == lower(b[j - 2]) &&
			    lower(a[i - 2]) == y && pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			c[j] = best;
		}
		size_t *t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb];
}

const char *suggest(const char *word, const char *const *choices, size_t n)
{
	size_t lw = strlen(word), best_d = (size_t)-1;
	const char *best = NULL;

	if (lw == 0 || lw > WORD_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *c = choices[i];
		size_t lc, d, limit;

		if (!c || strcmp(c, word) == 0)
			continue;
		lc = strlen(c);
		if (lc > WORD_MAX)
			continue;
		d = distance(word, lw, c, lc);
		limit = lc >= 6 ? 2 : 1;
		if (d <= limit && d < best_d) {
			best_d = d;
			best = c;
		}
	}
	return best;
}

char *suggest_hint(const char *word, const char *const *choices, size_t n)
{
	const char *near = suggest(word, choices, n);
	char *q, *s;

	if (!near)
		return xstrdup("");
	q = quote(near);
	s = xasprintf(" (did you mean %s?)", q);
	free(q);
	return s;
}
