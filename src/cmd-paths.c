/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * paths: the directories searched, general to specific, one a line.
 */
#include <stdio.h>

#include "commands.h"
#include "output.h"
#include "util.h"

static const struct poptOption options[] = { POPT_TABLEEND };

int cmd_paths(const struct command *cmd, int argc, const char **argv)
{
	struct searchpath sp;
	int status;

	status = cli_parse_no_operands(cmd, argc, argv, options, NULL, NULL);
	if (status)
		return status == CLI_DONE ? EXIT_OK : status;
	cli_searchpath(&sp);
	for (size_t i = 0; i < sp.n; i++) {
		print_escaped(stdout, sp.dirs[i]);
		putchar('\n');
	}
	searchpath_free(&sp);
	return EXIT_OK;
}
