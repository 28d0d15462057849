/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Usage errors that say what was meant: a command, option or type near
 * a known one, an option of a command given before the command, a type
 * given as an operand.
 */
#ifndef VUF_CLI_HINT_H
#define VUF_CLI_HINT_H

#include "cli.h"

/* "unknown command 'lsit' (did you mean 'list'?)": EXIT_USAGE. */
int hint_unknown_command(const char *name);

/*
 * popt's "unknown option" for bad (as poptBadOption gives it), after
 * cmd or before any command (cmd NULL): with the nearest option of
 * those that apply, or, before the command, which commands have it.
 * EXIT_USAGE.
 */
int hint_unknown_option(const struct command *cmd, const char *bad,
			const char *popt_text);

/* An operand cmd does not take: "use --type gpu" when it is a type. */
int hint_unexpected_operand(const struct command *cmd, const char *arg);

/* " (did you mean 'gpu'?)" for an unknown type name, or "".  Allocated. */
char *hint_type(const char *name);

#endif
