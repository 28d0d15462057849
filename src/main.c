/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vhost-user-find: find vhost-user backends by QEMU's descriptor rules.
 * The list of commands and dispatch; each command's row is in its
 * cmd-*.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "cli.h"
#include "cli-hint.h"
#include "commands.h"
#include "output.h"
#include "util.h"

const struct command *const commands[] = {
	&list_command,
	&match_command,
	&show_command,
	&caps_command,
	&handshake_command,
	&paths_command,
	&validate_command,
	&complete_command,
	NULL,
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
			exit(EXIT_TROUBLE);
	}
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	char **rest;
	size_t n;
	int status;

	ensure_std_fds();
	status = cli_parse_globals(argc, (const char **)argv, &n, &rest);
	if (status == 0 && n == 0) {
		status = cli_without_command();
	} else if (status == 0) {
		cmd = cli_find_command(rest[0]);
		status = cmd ? cli_run(cmd, n, rest) :
			hint_unknown_command(rest[0]);
	}
	cli_free_args(rest);
	cli_free_globals();
	if (finish_stdout() != EXIT_OK)
		status = EXIT_TROUBLE;
	return status;
}
