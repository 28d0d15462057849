/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * show NAME|PATH: one descriptor as JSON, by name through the search path
 * or a file directly.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "output.h"
#include "report.h"
#include "resolve.h"
#include "util.h"

enum { OPT_JSON = 1 };

static const struct poptOption options[] = {
	{ "json", '\0', POPT_ARG_NONE, NULL, OPT_JSON, NULL, NULL },
	POPT_TABLEEND
};

static int handle(int val, const char *arg, void *data)
{
	/* JSON is the only output of show: --json changes nothing. */
	(void)val, (void)arg, (void)data;
	return 0;
}

/* Print the entry's descriptor, or say why there is none; the status. */
static int show_entry(const struct entry *e)
{
	struct descriptor *full;
	int status;

	switch (e->status) {
	case STATUS_ACTIVE:
		/* The search kept only the schema's members: read it whole. */
		full = descriptor_load(e->path);
		if (!descriptor_is_valid(full)) {
			report_descriptor_errors(full);
			status = EXIT_NOTFOUND;
		} else {
			report_descriptor_warnings(full);
			print_json(full->json);
			status = EXIT_OK;
		}
		descriptor_free(full);
		return status;
	case STATUS_INVALID:
		report_descriptor_errors(e->desc);
		return EXIT_NOTFOUND;
	case STATUS_MASKED:
		if (e->by)
			msg_error("%s: masked by %s", e->path, e->by->path);
		else
			msg_error("%s: %s", e->path, e->devnull ?
				  "is a mask (a link to /dev/null)" :
				  "is a mask (an empty file)");
		return EXIT_NOTFOUND;
	default:
		msg_error("%s: %s", e->path, entry_reason(e));
		return EXIT_NOTFOUND;
	}
}

static int show_path(const char *path)
{
	struct entry e;
	int status;

	resolve_file(path, &e);
	status = show_entry(&e);
	entry_clear(&e);
	return status;
}

static int show_name(const char *arg)
{
	struct searchpath sp;
	struct resolution res;
	const struct entry *e;
	char *name = str_has_suffix(arg, ".json") ? xstrdup(arg) :
		xasprintf("%s.json", arg);
	int status = EXIT_NOTFOUND;

	cli_searchpath(&sp);
	resolve(&sp, 0, &res);
	report_resolution(&res, false);
	e = resolution_effective(&res, name);
	if (e) {
		if (globals.verbose) {
			msg_error("%s: from %s", name, e->path);
			/* The entries of a name are adjacent, effective first. */
			for (const struct entry *o = e + 1;
			     o < res.entries + res.n && strcmp(o->name, name) == 0;
			     o++)
				if (o->by == e)
					msg_error("%s: %s %s", name,
						  e->kind == KIND_MASK ?
						  "masks" : "overrides",
						  o->path);
		}
		if (e->status == STATUS_MASKED)
			msg_error("%s: masked by %s", name, e->path);
		else
			status = show_entry(e);
	} else {
		bool said = false;

		for (size_t i = 0; i < res.n; i++)
			if (strcmp(res.entries[i].name, name) == 0) {
				show_entry(&res.entries[i]);
				said = true;
			}
		if (!said)
			msg_error("%s: no such descriptor in the search path",
				  name);
	}
	resolution_free(&res);
	searchpath_free(&sp);
	free(name);
	return status;
}

int cmd_show(const struct command *cmd, int argc, const char **argv)
{
	char **args;
	size_t n_args;
	int status;

	status = cli_parse(cmd, argc, argv, options, handle, NULL, &args,
			   &n_args);
	if (status)
		return status == CLI_DONE ? EXIT_OK : status;
	if (n_args != 1)
		status = cli_usage_error(cmd, n_args ? "too many arguments" :
					 "missing NAME or PATH");
	else if (strchr(args[0], '/'))
		status = show_path(args[0]);
	else
		status = show_name(args[0]);
	cli_free_args(args);
	return status;
}
