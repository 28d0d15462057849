/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * paths: the directories searched, general to specific, one a line.
 */
#include <stdio.h>

#include "commands.h"
#include "output.h"
#include "util.h"

static int run(const struct command *cmd, char **args, size_t n_args)
{
	struct searchpath sp;

	(void)cmd, (void)args, (void)n_args;
	cli_searchpath(&sp);
	for (size_t i = 0; i < sp.n; i++)
		print_value(sp.dirs[i].path);
	searchpath_free(&sp);
	return EXIT_OK;
}

const struct command paths_command = {
	.name = "paths",
	.run = run,
	.synopsis = "",
	.summary = "Print the directories searched, general to specific",
};
