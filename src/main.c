/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vhost-user-find: find vhost-user backends by QEMU's descriptor rules.
 * Global options, the command table and dispatch.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "output.h"
#include "util.h"

const struct command commands[] = {
	{ "list", cmd_list, "[--type TYPE] [--all] [--json]",
	  "List the active descriptors in priority order",
	  "      --type TYPE  only descriptors of this type\n"
	  "      --all        also overridden, masked, invalid and ignored entries\n"
	  "      --json       print a JSON array\n" },
	{ "match", cmd_match,
	  "--type TYPE [--feature FEATURE]... [--all] [--json] [--file]",
	  "Print the backend that wins for a type and features",
	  "      --type TYPE        the backend type (required)\n"
	  "      --feature FEATURE  require a feature (repeatable; probes backends)\n"
	  "      --all              every qualifying backend, in priority order\n"
	  "      --json             print a JSON object (an array with --all)\n"
	  "      --file             print the descriptor's path, not the binary\n" },
	{ "show", cmd_show, "NAME|PATH [--json]",
	  "Print one descriptor as JSON",
	  "      --json       print JSON (the default)\n" },
	{ "caps", cmd_caps, "NAME|PATH | --type TYPE | --binary BIN [--json]",
	  "Run one backend's capability probe and print its features",
	  "      --type TYPE   the first descriptor of TYPE with an executable binary\n"
	  "      --binary BIN  probe BIN itself (no descriptor, no type check)\n"
	  "      --json        print the checked capabilities object\n" },
	{ "paths", cmd_paths, "",
	  "Print the directories searched, general to specific", "" },
	{ "validate", cmd_validate, "[FILE]... [--probe] [--strict]",
	  "Check descriptors, or everything on the search path",
	  "      --probe      also run each backend's capability probe\n"
	  "      --strict     exit 1 on warnings too\n" },
	{ "complete", cmd_complete, "commands|types|features TYPE|names",
	  "Print values for shell completion, one a line", "" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/*
 * With 0, 1 or 2 closed, the first file we open would take its place.
 * Put /dev/null there, read-only, so that writes to a closed stdout
 * still fail and are reported.
 */
static void ensure_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", O_RDONLY) != fd)
			exit(EXIT_USAGE);
	}
}

static const struct command *find_command(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int main(int argc, char **argv)
{
	poptContext ctx;
	const char **rest;
	const struct command *cmd;
	int rc, status = EXIT_OK, n = 0;

	ensure_std_fds();
	/* Stop at the command: what follows is the command's to parse. */
	ctx = poptGetContext(PROGRAM_NAME, argc, (const char **)argv,
			     global_options, POPT_CONTEXT_POSIXMEHARDER);
	while ((rc = poptGetNextOpt(ctx)) > 0) {
		status = cli_handle_global(NULL, rc, poptGetOptArg(ctx));
		if (status)
			goto out;
	}
	if (rc < -1) {
		status = cli_usage_error(NULL, "%s: %s",
					 poptBadOption(ctx, POPT_BADOPTION_NOALIAS),
					 poptStrerror(rc));
		goto out;
	}
	rest = poptGetArgs(ctx);
	if (!rest || !rest[0]) {
		if (globals.help) {
			cli_print_help();
		} else if (globals.version) {
			cli_print_version();
		} else {
			status = cli_usage_error(NULL, "missing command");
		}
		goto out;
	}
	cmd = find_command(rest[0]);
	if (!cmd) {
		status = cli_usage_error(NULL, "unknown command '%s'", rest[0]);
		goto out;
	}
	while (rest[n])
		n++;
	status = cmd->run(cmd, n, rest);
out:
	poptFreeContext(ctx);
	cli_free_globals();
	if (finish_stdout() != EXIT_OK)
		status = EXIT_USAGE;
	return status;
}
