/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * paths: the directories searched, general to specific, one a line.
 */
#include <stdio.h>

#include "commands.h"
#include "output.h"
#include "util.h"

static const struct poptOption options[] = { POPT_TABLEEND };

static int handle(int val, const char *arg, void *data)
{
	(void)val, (void)arg, (void)data;
	return 0;
}

int cmd_paths(const struct command *cmd, int argc, const char **argv)
{
	struct searchpath sp;
	char **args;
	size_t n_args;
	int status;

	status = cli_parse(cmd, argc, argv, options, handle, NULL, &args,
			   &n_args);
	if (status)
		return status == CLI_DONE ? EXIT_OK : status;
	if (n_args > 0) {
		status = cli_usage_error(cmd, "unexpected argument '%s'",
					 args[0]);
		cli_free_args(args);
		return status;
	}
	cli_free_args(args);
	cli_searchpath(&sp);
	for (size_t i = 0; i < sp.n; i++) {
		print_escaped(stdout, sp.dirs[i]);
		putchar('\n');
	}
	searchpath_free(&sp);
	return EXIT_OK;
}
