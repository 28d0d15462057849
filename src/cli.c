/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli-hint.h"
#include "output.h"
#include "util.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

struct globals globals = {
	.timeout_ms = DEFAULT_TIMEOUT_MS,
	.rootfs = { .fd = -1 },
};

enum {
	OPT_ROOT = OPT_GLOBAL_BASE,
	OPT_DIR,
	OPT_SYSTEM,
	OPT_TIMEOUT,
	OPT_ENV,
	OPT_VERBOSE,
	OPT_QUIET,
	OPT_HELP,
	OPT_VERSION,
	OPT_LIBVIRT_VERSION,
};

/*
 * Values come back through poptGetNextOpt, so that each is owned once.
 * The help texts are those of --help; a line break in one is kept there
 * and is a space for completion.
 */
struct poptOption global_options[] = {
	{ "root", '\0', POPT_ARG_STRING, NULL, OPT_ROOT,
	  "search DIR" QEMU_DATADIR "/vhost-user and DIR" SYSCONFDIR
	  "/qemu/vhost-user,\ncheck and run binaries under DIR", "DIR" },
	{ "dir", '\0', POPT_ARG_ARGV, NULL, OPT_DIR,
	  "search DIR instead (repeatable, general to specific)", "DIR" },
	{ "system", '\0', POPT_ARG_NONE, NULL, OPT_SYSTEM,
	  "leave out the user's directory", NULL },
	{ "libvirt-version", '\0', POPT_ARG_STRING, NULL, OPT_LIBVIRT_VERSION,
	  "speak for this libvirt (default: the installed one)", "X.Y" },
	{ "timeout", '\0', POPT_ARG_STRING, NULL, OPT_TIMEOUT,
	  "deadline for a capability probe (default 5)", "SECONDS" },
	{ "env", '\0', POPT_ARG_ARGV, NULL, OPT_ENV,
	  "give a probed backend this variable (repeatable;\n"
	  "NAME alone passes on the caller's value)", "NAME[=VALUE]" },
	{ "verbose", 'v', POPT_ARG_NONE, NULL, OPT_VERBOSE,
	  "say why each candidate was rejected", NULL },
	{ "quiet", 'q', POPT_ARG_NONE, NULL, OPT_QUIET,
	  "print no warnings", NULL },
	{ "help", 'h', POPT_ARG_NONE, NULL, OPT_HELP,
	  "print help (after a command: the command's)", NULL },
	{ "version", 'V', POPT_ARG_NONE, NULL, OPT_VERSION,
	  "print the version", NULL },
	POPT_TABLEEND
};

/* "  -v, --verbose" or "      --root DIR": an option as --help names it. */
static void option_label(const struct poptOption *o, char *buf, size_t size)
{
	snprintf(buf, size, "  %c%c%s--%s%s%s", o->shortName ? '-' : ' ',
		 o->shortName ? o->shortName : ' ', o->shortName ? ", " : "  ",
		 o->longName, o->argDescrip ? " " : "",
		 o->argDescrip ? o->argDescrip : "");
}

/* The widest label of table (NULL: none), for the column of the help. */
static int label_width(const struct poptOption *table)
{
	char label[128];
	int width = 0;

	for (const struct poptOption *o = table; o && o->longName; o++) {
		option_label(o, label, sizeof(label));
		if ((int)strlen(label) > width)
			width = (int)strlen(label);
	}
	return width;
}

/*
 * The options of table, one a line, their help from column on (each
 * line of it, when it has several), as in every --help of ours.
 */
static void print_options(const struct poptOption *table, int column)
{
	char label[128];

	for (const struct poptOption *o = table; o->longName; o++) {
		const char *line = o->descrip ? o->descrip : "", *end;

		option_label(o, label, sizeof(label));
		printf("%-*s", column, label);
		while ((end = strchr(line, '\n'))) {
			printf("%.*s\n%*s", (int)(end - line), line, column, "");
			line = end + 1;
		}
		printf("%s\n", line);
	}
}

/* One column for every option on the page, two spaces after the widest. */
static int help_column(const struct poptOption *options)
{
	int own = label_width(options), global = label_width(global_options);

	return (own > global ? own : global) + 2;
}

static void print_global_options(int column)
{
	puts("Options (before or after the command):");
	print_options(global_options, column);
}

static void print_command_help(const struct command *cmd)
{
	int column = help_column(cmd->options);

	printf("Usage: %s [OPTION]... %s%s%s\n%s.\n\n", PROGRAM_NAME,
	       cmd->name, cmd->synopsis[0] ? " " : "", cmd->synopsis,
	       cmd->summary);
	if (cmd->options) {
		puts("Options:");
		print_options(cmd->options, column);
		putchar('\n');
	}
	print_global_options(column);
	printf("\nSee %s(1).\n", PROGRAM_NAME);
}

static void print_help(void)
{
	char list[256];

	printf("Usage: %s [OPTION]... COMMAND [ARG]...\n"
	       "Find vhost-user backends by QEMU's descriptor rules.\n\n"
	       "Commands:\n", PROGRAM_NAME);
	for (const struct command *const *c = commands; *c; c++)
		printf("  %s%s%s\n      %s\n", (*c)->name,
		       (*c)->synopsis[0] ? " " : "", (*c)->synopsis,
		       (*c)->summary);
	putchar('\n');
	print_global_options(help_column(NULL));
	printf("\nTypes: %s\n\n"
	       "Exit status: 0 found, 1 not found or invalid, 2 usage error or failure.\n"
	       "Run '%s COMMAND -h' for a command's options; see %s(1).\n",
	       schema_type_list(list, sizeof(list)), PROGRAM_NAME, PROGRAM_NAME);
}

const struct command *cli_find_command(const char *name)
{
	for (const struct command *const *c = commands; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

static void print_version(void)
{
	printf("%s %s\n", PROGRAM_NAME, VERSION);
}

int cli_usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;
	char *m;

	va_start(ap, fmt);
	m = xvasprintf(fmt, ap);
	va_end(ap);
	/* Only here: every value in m was quoted or escaped as it was put in. */
	msg_error("%s", m);
	free(m);
	if (cmd)
		fprintf(stderr, "Try '%s %s --help' for more information.\n",
			PROGRAM_NAME, cmd->name);
	else
		fprintf(stderr, "Try '%s --help' for more information.\n",
			PROGRAM_NAME);
	return EXIT_USAGE;
}

/*
 * Seconds as a decimal number (digits, and a point with digits after it
 * or before it; no sign, space, exponent or hex), > 0 and at most a day.
 */
static int parse_timeout(const char *arg, int *ms)
{
	static const char digits[] = "0123456789";
	size_t whole = strspn(arg, digits), frac = 0;
	char *end;
	double s;

	if (arg[whole] == '.')
		frac = strspn(arg + whole + 1, digits);
	if ((whole == 0 && frac == 0) ||
	    arg[whole + (arg[whole] == '.') + frac] != '\0')
		return -1;
	errno = 0;
	s = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(s) || s <= 0 || s > 86400)
		return -1;
	*ms = (int)ceil(s * 1000);
	return 0;
}

/* Whether s starts with an environment variable's name, then '=' or its end. */
static bool env_name(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			  "0123456789_");

	return n > 0 && !(s[0] >= '0' && s[0] <= '9') &&
	       (s[n] == '\0' || s[n] == '=');
}

/* --env NAME=VALUE, or NAME for the caller's value (none when unset). */
static int add_env(const struct command *cmd, char *arg)
{
	const char *value;
	char *var = arg;

	if (!env_name(arg)) {
		char *q = quote(arg);
		int rc = cli_usage_error(cmd, "--env %s: not NAME or NAME=VALUE", q);

		free(q);

		free(arg);
		return rc;
	}
	if (!strchr(arg, '=')) {
		value = getenv(arg);
		var = value ? xasprintf("%s=%s", arg, value) : NULL;
		free(arg);
		if (!var)
			return 0;
	}
	globals.env = xreallocarray(globals.env, globals.n_env + 2,
				    sizeof(*globals.env));
	globals.env[globals.n_env++] = var;
	globals.env[globals.n_env] = NULL;
	return 0;
}

int cli_set_libvirt_version(const struct command *cmd, const char *option,
			    const char *arg)
{
	struct libvirt_version v;
	struct esc_pool p = { 0 };
	int rc = 0;

	if (libvirt_version_parse(arg, &v) < 0)
		rc = cli_usage_error(cmd, "%s %s: not a version X.Y or X.Y.Z",
				     option, quoted(&p, arg));
	else if (!libvirt_choose_version(NULL, &v, &(struct libvirt_in_use){ 0 }))
		rc = cli_usage_error(cmd, "%s %s: older than the oldest libvirt modelled (%s)",
				     option, quoted(&p, arg), libvirt_oldest_modelled());
	else if (globals.have_libvirt_version &&
		 (v.major != globals.libvirt_version.major ||
		  v.minor != globals.libvirt_version.minor ||
		  v.micro != globals.libvirt_version.micro))
		rc = cli_usage_error(cmd, "%s %s: another libvirt version was given already",
				     option, quoted(&p, arg));
	esc_pool_free(&p);
	if (rc)
		return rc;
	globals.libvirt_version = v;
	globals.have_libvirt_version = true;
	return 0;
}

/* Apply one global option (val >= OPT_GLOBAL_BASE); takes arg. */
static int cli_handle_global(const struct command *cmd, int val, char *arg)
{
	switch (val) {
	case OPT_ROOT:
		free(globals.root);
		globals.root = arg;
		return 0;
	case OPT_DIR:
		if (arg[0] == '\0') {
			free(arg);
			return cli_usage_error(cmd, "--dir: empty directory name");
		}
		globals.dirs = xreallocarray(globals.dirs, globals.n_dirs + 1,
					     sizeof(*globals.dirs));
		globals.dirs[globals.n_dirs++] = arg;
		return 0;
	case OPT_TIMEOUT: {
		int rc = parse_timeout(arg, &globals.timeout_ms);

		if (rc < 0) {
			char *q = quote(arg);

			rc = cli_usage_error(cmd, "--timeout %s: not a number of seconds greater than 0 and at most 86400",
					     q);
			free(q);
		}
		free(arg);
		return rc;
	}
	case OPT_ENV:
		return add_env(cmd, arg);
	case OPT_LIBVIRT_VERSION: {
		int rc = cli_set_libvirt_version(cmd, "--libvirt-version", arg);

		free(arg);
		return rc;
	}
	case OPT_SYSTEM:
		globals.system = true;
		break;
	case OPT_VERBOSE:
		globals.verbose = true;
		break;
	case OPT_QUIET:
		output_quiet = true;
		break;
	case OPT_HELP:
		globals.help = true;
		break;
	case OPT_VERSION:
		globals.version = true;
		break;
	}
	free(arg);
	return 0;
}

/* Checks that need every option seen: --root is opened as the root. */
static int check_globals(const struct command *cmd)
{
	int err;

	if (!globals.root)
		return 0;
	if (globals.root[0] == '\0')
		return cli_usage_error(cmd, "--root: empty directory name");
	err = rootfs_open(&globals.rootfs, globals.root);
	if (err) {
		char *root = escape_text(globals.root);

		err = cli_usage_error(cmd, "--root %s: %s", root,
				      err == ENOTDIR ? "not a directory" :
				      strerror(err));
		free(root);
	}
	return err;
}

/*
 * popt stops at the first operand when POSIXLY_CORRECT or POSIX_ME_HARDER
 * is set; but options after operands are part of our interface (SPEC §6),
 * so the context is made without them, and they are put back for the
 * backends we may run.
 */
static poptContext get_context(int argc, const char **argv,
			       const struct poptOption *table)
{
	static const char *const vars[] = { "POSIXLY_CORRECT", "POSIX_ME_HARDER" };
	char *saved[2];
	poptContext ctx;

	for (size_t i = 0; i < 2; i++) {
		const char *v = getenv(vars[i]);

		saved[i] = v ? xstrdup(v) : NULL;
		unsetenv(vars[i]);
	}
	ctx = poptGetContext(PROGRAM_NAME, argc, argv, table, 0);
	for (size_t i = 0; i < 2; i++) {
		if (saved[i])
			setenv(vars[i], saved[i], 1);
		free(saved[i]);
	}
	return ctx;
}

/* The usage error popt reports for rc, a negative POPT_ERROR_*. */
static int popt_error(const struct command *cmd, poptContext ctx, int rc)
{
	if (rc == POPT_ERROR_BADOPT)
		return hint_unknown_option(cmd, poptBadOption(ctx, POPT_BADOPTION_NOALIAS),
					   poptStrerror(rc));
	char *bad = escape_text(poptBadOption(ctx, POPT_BADOPTION_NOALIAS));

	rc = cli_usage_error(cmd, "%s: %s", bad, poptStrerror(rc));
	free(bad);
	return rc;
}

/* The operands popt left, copied out of its context: NULL-terminated. */
static char **operands(poptContext ctx, size_t *n)
{
	const char **rest = poptGetArgs(ctx);
	char **copy;

	*n = 0;
	while (rest && rest[*n])
		(*n)++;
	copy = xcalloc(*n + 1, sizeof(*copy));
	for (size_t i = 0; i < *n; i++)
		copy[i] = xstrdup(rest[i]);
	return copy;
}

void cli_free_args(char **args)
{
	if (!args)
		return;
	for (char **a = args; *a; a++)
		free(*a);
	free(args);
}

int cli_parse_globals(int argc, const char **argv, size_t *command_argc,
		      char ***command_argv)
{
	poptContext ctx;
	int rc = 0, status = 0;

	*command_argc = 0;
	*command_argv = NULL;
	/* Stop at the command: what follows is the command's to parse. */
	ctx = poptGetContext(PROGRAM_NAME, argc, argv, global_options,
			     POPT_CONTEXT_POSIXMEHARDER);
	while (status == 0 && (rc = poptGetNextOpt(ctx)) > 0)
		status = cli_handle_global(NULL, rc, poptGetOptArg(ctx));
	if (status == 0 && rc < -1)
		status = popt_error(NULL, ctx, rc);
	if (status == 0)
		*command_argv = operands(ctx, command_argc);
	poptFreeContext(ctx);
	return status;
}

int cli_without_command(void)
{
	if (globals.help)
		print_help();
	else if (globals.version)
		print_version();
	else
		return cli_usage_error(NULL, "missing command");
	return EXIT_OK;
}

/*
 * Whether -h is anywhere among the options: it wins over every other
 * error on the line (SPEC §6), so it is looked for before any option is
 * applied.  popt goes on past a bad option when asked again.
 */
static bool asks_for_help(size_t argc, char **argv,
			  const struct poptOption *table)
{
	poptContext ctx = get_context((int)argc, (const char **)argv, table);
	bool help = false;
	int rc;

	while ((rc = poptGetNextOpt(ctx)) != -1 && !help) {
		help = rc == OPT_HELP;
		if (rc > 0)
			free(poptGetOptArg(ctx));
	}
	poptFreeContext(ctx);
	return help;
}

/* The command's own options and the global ones, then the operands. */
/* Whether arg is "--NAME" for an option of table whose value is optional. */
/* The option of table that arg is, as a bare "--NAME"; or NULL. */
static const struct poptOption *bare_long(const struct poptOption *table,
					  const char *arg)
{
	if (!table || strncmp(arg, "--", 2) != 0)
		return NULL;
	for (const struct poptOption *o = table; o->longName; o++)
		if (strcmp(arg + 2, o->longName) == 0)
			return o;
	return NULL;
}

static bool bare_optional(const struct poptOption *table, const char *arg)
{
	const struct poptOption *o = bare_long(table, arg);

	return o && (o->argInfo & POPT_ARGFLAG_OPTIONAL);
}

/* Whether arg is "--NAME" for an option of table that needs a value. */
static bool bare_with_value(const struct poptOption *table, const char *arg)
{
	const struct poptOption *o = bare_long(table, arg);

	return o && (o->argInfo & POPT_ARG_MASK) != POPT_ARG_NONE &&
	       !(o->argInfo & POPT_ARGFLAG_OPTIONAL);
}

/*
 * An optional value is taken only after "=" (--libvirt=9.0): popt would
 * take the next word too, so a bare "--NAME" is given to it as "--NAME="
 * (an empty value: none).  A copy of argv, or argv itself when nothing
 * changes; the new words in *made, for cli_free_args.
 */
static char **optional_after_equals(const struct poptOption *table,
				    size_t argc, char **argv, char ***made)
{
	char **copy = NULL;
	size_t n = 0;

	*made = NULL;
	for (size_t i = 0; i < argc && strcmp(argv[i], "--") != 0; i++) {
		/* The next word is that option's value ("--feature --libvirt"). */
		if (bare_with_value(table, argv[i]) ||
		    bare_with_value(global_options, argv[i])) {
			i++;
			continue;
		}
		if (!bare_optional(table, argv[i]))
			continue;
		if (!copy) {
			copy = xcalloc(argc + 1, sizeof(*copy));
			memcpy(copy, argv, argc * sizeof(*copy));
			*made = xcalloc(argc + 1, sizeof(**made));
		}
		copy[i] = (*made)[n++] = xasprintf("%s=", argv[i]);
	}
	return copy ? copy : argv;
}

static int parse_command(const struct command *cmd, size_t argc,
			 char **argv, char ***args, size_t *n_args)
{
	static const struct poptOption none[] = { POPT_TABLEEND };
	struct poptOption table[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE,
		  (void *)(cmd->options ? cmd->options : none), 0, NULL, NULL },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, global_options, 0, NULL, NULL },
		POPT_TABLEEND
	};
	poptContext ctx;
	int rc = 0, status = 0;

	char **made, **words;

	if (asks_for_help(argc, argv, table)) {
		globals.help = true;
		return 0;
	}
	words = optional_after_equals(cmd->options, argc, argv, &made);
	ctx = get_context((int)argc, (const char **)words, table);

	while (status == 0 && (rc = poptGetNextOpt(ctx)) > 0) {
		char *arg = poptGetOptArg(ctx);

		if (rc >= OPT_GLOBAL_BASE) {
			status = cli_handle_global(cmd, rc, arg);
			continue;
		}
		if (cmd->set_option)
			status = cmd->set_option(cmd, rc, arg);
		free(arg);
	}
	if (status == 0 && rc < -1)
		status = popt_error(cmd, ctx, rc);
	if (status == 0)
		*args = operands(ctx, n_args);
	poptFreeContext(ctx);
	if (words != argv) {
		free(words);
		cli_free_args(made);
	}
	return status;
}

int cli_run(const struct command *cmd, size_t argc, char **argv)
{
	char **args = NULL;
	size_t n_args = 0;
	int status = parse_command(cmd, argc, argv, &args, &n_args);

	if (status == 0 && globals.help)
		print_command_help(cmd);
	else if (status == 0 && globals.version)
		print_version();
	else if (status == 0 && (status = check_globals(cmd)) == 0) {
		if (!cmd->operands && n_args > 0)
			status = hint_unexpected_operand(cmd, args[0]);
		else
			status = cmd->run(cmd, args, n_args);
	}
	cli_free_args(args);
	return status;
}

int cli_set_type(const struct command *cmd, const char *name,
		 const struct backend_type **type)
{
	char list[256], *hint, *q;
	int rc;

	*type = schema_find_type(name);
	if (*type)
		return 0;
	hint = hint_type(name);
	q = quote(name);
	rc = cli_usage_error(cmd, "unknown type %s%s (known types: %s)",
			     q, hint, schema_type_list(list, sizeof(list)));
	free(q);
	free(hint);
	return rc;
}

void cli_searchpath(struct searchpath *sp)
{
	struct searchpath_options o = {
		.root = globals.root,
		.fs = &globals.rootfs,
		.dirs = (const char *const *)globals.dirs,
		.n_dirs = globals.n_dirs,
		.system = globals.system,
	};

	searchpath_init(sp, &o);
}

void cli_libvirt(const struct searchpath *sp, struct libvirt_in_use *u)
{
	libvirt_choose_version(sp, globals.have_libvirt_version ?
			       &globals.libvirt_version : NULL, u);
}

struct probe_options cli_probe_options(void)
{
	return (struct probe_options){
		.timeout_ms = globals.timeout_ms,
		.env = globals.env,
	};
}

void cli_free_globals(void)
{
	rootfs_close(&globals.rootfs);
	for (size_t i = 0; i < globals.n_env; i++)
		free(globals.env[i]);
	free(globals.env);
	free(globals.root);
	for (size_t i = 0; i < globals.n_dirs; i++)
		free(globals.dirs[i]);
	free(globals.dirs);
	memset(&globals, 0, sizeof(globals));
}

int cli_check_feature(const struct command *cmd, const char *arg)
{
	if (arg[0] == '\0')
		return cli_usage_error(cmd, "--feature: empty feature name");
	if (strchr(arg, ',')) {
		struct esc_pool p = { 0 };
		char *first = xstrdup(arg);
		int rc;

		first[strcspn(first, ",")] = '\0';
		rc = cli_usage_error(cmd, "--feature %s: one feature each; repeat --feature for more (--feature %s --feature ...)",
				     quoted(&p, arg), esc(&p, first));
		free(first);
		esc_pool_free(&p);
		return rc;
	}
	return 0;
}
