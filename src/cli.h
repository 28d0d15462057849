/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every command shares: the shape of a command's row, the global
 * options (accepted before or after the command) and option parsing.
 */
#ifndef VUF_CLI_H
#define VUF_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <popt.h>

#include "libvirt-version.h"
#include "probe.h"
#include "schema.h"
#include "searchpath.h"

/*
 * A command's row, defined in its cmd-*.c beside its popt table.  The
 * values of the command's own options (val < OPT_GLOBAL_BASE) are given
 * to set_option as they are parsed; run gets the operands.
 */
struct command {
	const char *name;
	int (*run)(const struct command *cmd, char **args, size_t n_args);
	const struct poptOption *options;
	/* NULL when no option needs work; returns 0 or an exit status. */
	int (*set_option)(const struct command *cmd, int val, const char *arg);
	bool operands;		/* whether it takes operands at all */
	const char *synopsis;	/* the arguments, as in the man page */
	const char *summary;	/* one line for --help */
};

/* Every command, in the order of --help; NULL-terminated (main.c). */
extern const struct command *const commands[];

/* The command called name, or NULL. */
const struct command *cli_find_command(const char *name);

/* Global options, set by whichever parser sees them. */
struct globals {
	char *root;
	struct rootfs rootfs;	/* root opened once every option is seen */
	char **dirs;
	size_t n_dirs;
	bool system;
	bool verbose;
	int timeout_ms;		/* --timeout, in milliseconds */
	char **env;		/* --env, as NAME=VALUE; NULL-terminated */
	size_t n_env;
	bool help;
	bool version;
	/* --libvirt-version (or match --libvirt=): the libvirt spoken for. */
	struct libvirt_version libvirt_version;
	bool have_libvirt_version;
};

extern struct globals globals;

#define DEFAULT_TIMEOUT_MS 5000

/* popt values below this are the commands' own; at or above, global. */
#define OPT_GLOBAL_BASE 1000

/*
 * The tables are the one source of the options: --help, `complete
 * options` and through it the completions and the manual's test read
 * them.  An entry's descrip is its help; argDescrip names its value.  An
 * option that may be given more than once is POPT_ARG_ARGV (popt's own
 * word for one that accumulates); with arg NULL each value still comes
 * back alone through poptGetNextOpt, as for POPT_ARG_STRING.
 */
extern struct poptOption global_options[];

/*
 * Parse the options before the command; *command_argv then holds the
 * command's name and what follows (allocated: cli_free_args).  0, or the
 * exit status of a usage error.
 */
int cli_parse_globals(int argc, const char **argv, size_t *command_argc,
		      char ***command_argv);
void cli_free_args(char **args);

/* No command on the line: --help, --version, or a usage error. */
int cli_without_command(void);

/*
 * Parse a command's argv (argv[0] is its name) with its options and the
 * global ones, then run it: the exit status.  After -h or -V the command
 * does not run.
 */
int cli_run(const struct command *cmd, size_t argc, char **argv);

/* A usage error: the message and a hint to --help; returns EXIT_USAGE. */
int cli_usage_error(const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * --type NAME: set *type to the backend type called name, or make it a
 * usage error naming the known ones.  0, or EXIT_USAGE.
 */
int cli_set_type(const struct command *cmd, const char *name,
		 const struct backend_type **type);

/* The search path the global options and the environment give. */
void cli_searchpath(struct searchpath *sp);

/* How probes run, from the global options (--timeout, --env). */
struct probe_options cli_probe_options(void);

/*
 * Take arg as the libvirt version spoken for (option names it in
 * errors): 0, or the exit status of a usage error (not a version, older
 * than the oldest modelled, another version given already).
 */
int cli_set_libvirt_version(const struct command *cmd, const char *option,
			    const char *arg);

/* The libvirt the model speaks for: the one given, else the installed one. */
void cli_libvirt(const struct searchpath *sp, struct libvirt_in_use *u);

void cli_free_globals(void);

/*
 * --feature ARG, as match and handshake take it: one feature name, not
 * empty, no comma.  0, or the exit status of a usage error.
 */
int cli_check_feature(const struct command *cmd, const char *arg);

#endif
