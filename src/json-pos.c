/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "json-pos.h"
#include "util.h"

/* What the next token starts, when its place is to be noted. */
enum want { WANT_NOTHING, WANT_START, WANT_KEY, WANT_VALUE, WANT_ITEM };

struct scanner {
	struct json_layout *out;
	size_t cap;
	int depth;
	bool top_object;	/* the top-level value is an object */
	bool in_items;		/* in the array of a top-level member */
	enum want want;
};

/* Count byte c into *p, as jansson does: a newline, or a character's first byte. */
static void advance(struct text_pos *p, unsigned char c)
{
	if (c == '\n') {
		p->line++;
		p->column = 0;
	} else if ((c & 0xc0) != 0x80) {
		p->column++;
	}
}

static void note(struct scanner *s, struct text_pos p)
{
	struct json_layout *l = s->out;
	struct member_pos *m = l->n ? &l->members[l->n - 1] : NULL;

	switch (s->want) {
	case WANT_START:
		l->start = p;
		break;
	case WANT_KEY:
		if (l->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 8;
			l->members = xreallocarray(l->members, s->cap,
						   sizeof(*l->members));
		}
		l->members[l->n++] = (struct member_pos){ .key = p };
		break;
	case WANT_VALUE:
		if (m)
			m->value = p;
		break;
	case WANT_ITEM:
		if (!m)
			break;
		/* Doubling: a list of a megabyte's elements is linear too. */
		if (m->n_items == m->cap_items) {
			m->cap_items = m->cap_items ? 2 * m->cap_items : 4;
			m->items = xreallocarray(m->items, m->cap_items,
						 sizeof(*m->items));
		}
		m->items[m->n_items++] = p;
		break;
	case WANT_NOTHING:
		break;
	}
	s->want = WANT_NOTHING;
}

/* A structural character (outside strings) at depth s->depth. */
static void structural(struct scanner *s, char c)
{
	switch (c) {
	case '{':
	case '[':
		s->depth++;
		if (s->depth == 1) {
			s->top_object = c == '{';
			s->want = s->top_object ? WANT_KEY : WANT_NOTHING;
		} else if (s->depth == 2 && s->top_object && c == '[') {
			s->in_items = true;
			s->want = WANT_ITEM;
		}
		break;
	case '}':
	case ']':
		if (s->depth == 2)
			s->in_items = false;
		s->depth--;
		break;
	case ':':
		if (s->depth == 1 && s->top_object)
			s->want = WANT_VALUE;
		break;
	case ',':
		if (s->depth == 1 && s->top_object)
			s->want = WANT_KEY;
		else if (s->depth == 2 && s->in_items)
			s->want = WANT_ITEM;
		break;
	}
}

void json_layout_scan(const char *buf, size_t len, struct json_layout *out)
{
	struct scanner s = { .out = out, .want = WANT_START };
	struct text_pos p = { 1, 0 };
	bool in_string = false, escaped = false;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		advance(&p, (unsigned char)c);
		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		/* An empty object or array has no key or element to note. */
		if (s.want != WANT_NOTHING && c != '}' && c != ']')
			note(&s, p);
		s.want = WANT_NOTHING;
		if (c == '"')
			in_string = true;
		else
			structural(&s, c);
	}
}

struct text_pos text_pos_at(const char *buf, size_t offset)
{
	struct text_pos p = { 1, 0 };

	for (size_t i = 0; i <= offset; i++)
		advance(&p, (unsigned char)buf[i]);
	return p;
}

void json_layout_free(struct json_layout *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->members[i].items);
	free(l->members);
	memset(l, 0, sizeof(*l));
}
