/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every command shares: the command table's shape, the global
 * options (accepted before or after the command) and option parsing.
 */
#ifndef VUF_CLI_H
#define VUF_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <popt.h>

#include "schema.h"
#include "searchpath.h"

struct command {
	const char *name;
	int (*run)(const struct command *cmd, int argc, const char **argv);
	const char *synopsis;	/* the arguments, as in the man page */
	const char *summary;	/* one line for --help */
	const char *options;	/* the command's own options, for COMMAND -h */
};

extern const struct command commands[];

/* Global options, set by whichever parser sees them. */
struct globals {
	char *root;
	char **dirs;
	size_t n_dirs;
	bool system;
	bool verbose;
	int timeout_ms;		/* --timeout, in milliseconds */
	bool help;
	bool version;
};

extern struct globals globals;

#define DEFAULT_TIMEOUT_MS 5000

/* popt values below this are the commands' own; at or above, global. */
#define OPT_GLOBAL_BASE 1000

extern struct poptOption global_options[];

/*
 * Called for each of a command's own options (val < OPT_GLOBAL_BASE);
 * NULL when none of them needs doing anything.
 */
typedef int (*option_handler)(int val, const char *arg, void *data);

/* A parse that printed help or the version: exit 0 without running. */
#define CLI_DONE (-1)

/*
 * Parse a command's argv (argv[0] is the command name) with its options
 * and the global ones.  On success, *args holds the operands (allocated,
 * NULL-terminated, free with cli_free_args) and 0 is returned; on a usage
 * error the message is printed and EXIT_USAGE returned; after -h or -V,
 * CLI_DONE.
 */
int cli_parse(const struct command *cmd, int argc, const char **argv,
	      const struct poptOption *options, option_handler handler,
	      void *data, char ***args, size_t *n_args);
void cli_free_args(char **args);

/* cli_parse for a command that takes no operands: one is a usage error. */
int cli_parse_no_operands(const struct command *cmd, int argc,
			  const char **argv, const struct poptOption *options,
			  option_handler handler, void *data);

/* Apply one global option (val >= OPT_GLOBAL_BASE); takes arg. */
int cli_handle_global(const struct command *cmd, int val, char *arg);

/* A usage error: the message and a hint to --help; returns EXIT_USAGE. */
int cli_usage_error(const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The backend type called name; NULL after a usage error naming the known ones. */
const struct backend_type *cli_type(const struct command *cmd,
				    const char *name);

/* The search path the global options and the environment give. */
void cli_searchpath(struct searchpath *sp);

void cli_print_command_help(const struct command *cmd);
void cli_print_help(void);
void cli_print_version(void);
void cli_free_globals(void);

#endif
