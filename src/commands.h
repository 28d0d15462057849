/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VUF_COMMANDS_H
#define VUF_COMMANDS_H

#include "cli.h"

int cmd_list(const struct command *cmd, int argc, const char **argv);
int cmd_match(const struct command *cmd, int argc, const char **argv);
int cmd_show(const struct command *cmd, int argc, const char **argv);
int cmd_caps(const struct command *cmd, int argc, const char **argv);
int cmd_paths(const struct command *cmd, int argc, const char **argv);
int cmd_validate(const struct command *cmd, int argc, const char **argv);
int cmd_complete(const struct command *cmd, int argc, const char **argv);

#endif
