/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rows of the commands, each defined in its cmd-*.c. */
#ifndef VUF_COMMANDS_H
#define VUF_COMMANDS_H

#include "cli.h"

extern const struct command list_command;
extern const struct command match_command;
extern const struct command show_command;
extern const struct command caps_command;
extern const struct command handshake_command;
extern const struct command paths_command;
extern const struct command validate_command;
extern const struct command complete_command;

#endif
