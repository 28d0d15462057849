/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where things are in JSON text jansson has accepted (jansson tells
 * positions only for its parse errors): one pass over the bytes,
 * tracking depth and strings, that notes where the top-level value
 * starts, where each top-level member's key and value start, and where
 * each element of a top-level member's array starts.  Lines and columns
 * count from 1, columns in Unicode characters as jansson counts them (a
 * tab is one).
 */
#ifndef VUF_JSON_POS_H
#define VUF_JSON_POS_H

#include <stddef.h>

struct text_pos {
	int line, column;	/* 0: unknown */
};

struct member_pos {
	struct text_pos key, value;
	struct text_pos *items;	/* an array value's elements, in order */
	size_t n_items, cap_items;
};

/* The members in text order: jansson's order of the parsed object too. */
struct json_layout {
	struct text_pos start;	/* the top-level value */
	struct member_pos *members;
	size_t n;
};

/* Scan the len bytes of buf (accepted by jansson) into out. */
void json_layout_scan(const char *buf, size_t len, struct json_layout *out);

/* Where in buf byte offset lies. */
struct text_pos text_pos_at(const char *buf, size_t offset);

void json_layout_free(struct json_layout *l);

#endif
