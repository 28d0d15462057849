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

/* JSON is the only output of show: --json is accepted and changes nothing. */
static const struct poptOption options[] = {
	{ "json", '\0', POPT_ARG_NONE, NULL, OPT_JSON, NULL, NULL },
	POPT_TABLEEND
};

/* Print the entry's descriptor, or say why there is none; the status. */
static int show_entry(const struct entry *e)
{
	struct descriptor *owned;
	const struct descriptor *full;
	int status = EXIT_NOTFOUND;

	if (e->status != STATUS_ACTIVE) {
		report_not_active(e);
		return status;
	}
	full = descriptor_whole(e->desc, &owned);
	if (descriptor_is_valid(full)) {
		report_descriptor_warnings(full);
		print_json(full->json);
		status = EXIT_OK;
	} else {
		report_descriptor_errors(full);
	}
	descriptor_free(owned);
	return status;
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
	int status = EXIT_NOTFOUND;

	cli_searchpath(&sp);
	resolve(&sp, 0, &res);
	report_resolution(&res, false);
	e = lookup_name(&res, arg, globals.verbose);
	if (e)
		status = show_entry(e);
	resolution_free(&res);
	searchpath_free(&sp);
	return status;
}

int cmd_show(const struct command *cmd, int argc, const char **argv)
{
	char **args;
	size_t n_args;
	int status;

	status = cli_parse(cmd, argc, argv, options, NULL, NULL, &args,
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
