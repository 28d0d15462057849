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

/* JSON is the only output of show: --json is accepted and changes nothing. */
static const struct poptOption options[] = {
	{ "json", '\0', POPT_ARG_NONE, NULL, 0, "print JSON (the default)", NULL },
	POPT_TABLEEND
};

/* Print the active descriptor found, with every member of its file. */
static int show_found(const struct entry *e)
{
	const struct descriptor *full = e->desc;
	int status = EXIT_NOTFOUND;

	if (descriptor_is_valid(full)) {
		report_diags(&full->diags, DIAG_WARNING);
		print_json(full->json);
		status = EXIT_OK;
	} else {
		report_diags(&full->diags, DIAG_ERROR);
	}
	return status;
}

static int run(const struct command *cmd, char **args, size_t n_args)
{
	struct searchpath sp;
	struct lookup l;
	const struct entry *e;
	int status = EXIT_NOTFOUND;

	if (n_args != 1)
		return cli_usage_error(cmd, n_args ? "too many arguments" :
				       "missing NAME or PATH");
	cli_searchpath(&sp);
	if ((e = report_lookup_of(&sp, args[0], globals.verbose, &l)))
		status = show_found(e);
	lookup_free(&l);
	searchpath_free(&sp);
	return status;
}

const struct command show_command = {
	.name = "show",
	.run = run,
	.options = options,
	.operands = true,
	.synopsis = "NAME|PATH [--json]",
	.summary = "Print one descriptor as JSON",
};
