/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * paths [--json]: the directories searched, general to specific, one a
 * line; with -v each one's state on stderr, with --json as objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "output.h"
#include "resolve.h"
#include "util.h"

static struct {
	int json;
} opt;

static const struct poptOption options[] = {
	{ "json", '\0', POPT_ARG_NONE, &opt.json, 0,
	  "print objects with each directory's path and state", NULL },
	POPT_TABLEEND
};

/* A directory's state, and why for one that takes no part. */
struct dir_state {
	const char *state;	/* present, missing, unreadable, untrusted */
	const char *why;	/* unreadable, untrusted: the reason */
	bool present;
	bool direct;		/* present: its entries are opened directly */
};

/* How a present directory's entries are opened (SPEC §4 item 3), in words. */
static const char *route_text(bool direct)
{
	return direct ?
		"entries read directly (only the caller or root can write it)" :
		"entries looked at before they are read (another user can write it)";
}

static struct dir_state state_of(const struct resolution *res,
				 const struct searchpath *sp, size_t i)
{
	for (size_t k = 0; k < res->n_warnings; k++) {
		const struct dir_warning *w = &res->warnings[k];

		if (strcmp(w->dir, sp->dirs[i].path) == 0)
			return (struct dir_state){
				w->untrusted ? "untrusted" : "unreadable", w->why,
				false, false,
			};
	}
	if (res->missing[i])
		return (struct dir_state){ "missing", NULL, false, false };
	return (struct dir_state){ "present", NULL, true, res->dirs[i].direct };
}

static json_t *state_json(const char *path, const struct dir_state *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "path", json_text(path));
	json_object_set_new(o, "state", json_string(s->state));
	if (s->why)
		json_object_set_new(o, "reason", json_text(s->why));
	if (s->present)
		json_object_set_new(o, "route",
				    json_string(s->direct ? "direct" : "checked"));
	return o;
}

static int run(const struct command *cmd, char **args, size_t n_args)
{
	struct searchpath sp;
	struct resolution res;
	struct json_stream array = { 0 };

	(void)cmd, (void)args, (void)n_args;
	cli_searchpath(&sp);
	/* The directories are opened and read as every command reads them. */
	if (opt.json || globals.verbose)
		resolve(&sp, &(struct resolve_options){ 0 }, &res);
	for (size_t i = 0; i < sp.n; i++) {
		struct dir_state s;

		if (!opt.json && !globals.verbose) {
			print_value(sp.dirs[i].path);
			continue;
		}
		s = state_of(&res, &sp, i);
		if (opt.json) {
			json_stream_add(&array, state_json(sp.dirs[i].path, &s));
			continue;
		}
		print_value(sp.dirs[i].path);
		if (s.present)
			s.why = route_text(s.direct);
		struct esc_pool p = { 0 };

		msg_error("%s: %s%s%s", esc(&p, sp.dirs[i].path), s.state,
			  s.why ? ": " : "", s.why ? s.why : "");
		esc_pool_free(&p);
	}
	if (opt.json)
		json_stream_end(&array);
	if (opt.json || globals.verbose)
		resolution_free(&res);
	searchpath_free(&sp);
	return EXIT_OK;
}

const struct command paths_command = {
	.name = "paths",
	.run = run,
	.options = options,
	.synopsis = "[--json]",
	.summary = "Print the directories searched, general to specific",
};
