/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * complete WHAT: the values shell completion offers, one a line.
 * WHAT is commands, types, features TYPE, options [COMMAND], names or
 * rules.
 * The completion scripts call this on every <Tab>, so it is quiet (no
 * warnings), never runs a backend, and answers "nothing" (exit 1) rather
 * than an error when what the user typed so far leads nowhere.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "output.h"
#include "resolve.h"
#include "rules.h"
#include "util.h"

/* One value on its own line; the count of values printed so far grows. */
static void put_value(const char *value, size_t *n)
{
	print_value(value);
	(*n)++;
}

static size_t complete_commands(void)
{
	size_t n = 0;

	for (const struct command *const *c = commands; *c; c++)
		put_value((*c)->name, &n);
	return n;
}

static size_t complete_types(void)
{
	size_t n = 0;

	for (size_t i = 0; i < n_backend_types; i++)
		put_value(backend_types[i].name, &n);
	return n;
}

static size_t complete_features(const char *type_name)
{
	const struct backend_type *t = schema_find_type(type_name);
	size_t n = 0;

	if (!t)
		return 0;
	for (const char *const *f = t->features; *f; f++)
		put_value(*f, &n);
	return n;
}

/*
 * One option a line, as the popt table has it: its names as typed
 * ("-v --verbose"), the last one with "=ARG" when it takes a value and
 * "..." after that when it may be repeated; a tab; its help, on one line.
 */
static void put_option(const struct poptOption *o, size_t *n)
{
	unsigned type = o->argInfo & POPT_ARG_MASK;

	if (o->shortName)
		printf("-%c ", o->shortName);
	printf("--%s", o->longName);
	if (type != POPT_ARG_NONE)
		printf("=%s%s", o->argDescrip ? o->argDescrip : "VALUE",
		       type == POPT_ARG_ARGV ? "..." : "");
	putchar('\t');
	for (const char *c = o->descrip; c && *c; c++)
		putchar(*c == '\n' ? ' ' : *c);
	putchar('\n');
	(*n)++;
}

/* A command's own options, or with none the global ones. */
static size_t complete_options(const char *command)
{
	const struct poptOption *table = global_options;
	size_t n = 0;

	if (command) {
		const struct command *cmd = cli_find_command(command);

		table = cmd ? cmd->options : NULL;
	}
	for (const struct poptOption *o = table; o && o->longName; o++)
		put_option(o, &n);
	return n;
}

/* validate's rule ids, each with a tab and its one line of description. */
static size_t complete_rules(void)
{
	size_t n = 0;

	for (int r = RULE_NONE + 1; r < RULE_COUNT; r++, n++)
		printf("%s\t%s\n", rule_table[r].id, rule_table[r].description);
	return n;
}

/*
 * The basenames of the active descriptors, in priority order; a name a
 * shell cannot take back from one line as it is (a control character,
 * bytes that are not UTF-8) is left out.
 */
static size_t complete_names(void)
{
	struct searchpath sp;
	struct resolution res;
	size_t n = 0;

	cli_searchpath(&sp);
	resolve(&sp, &(struct resolve_options){ 0 }, &res);
	for (size_t i = 0, k; (k = resolution_settle(&res, i)); i += k)
		for (const struct entry *e = &res.entries[i];
		     e < &res.entries[i + k]; e++)
			if (e->status == STATUS_ACTIVE && is_plain_text(e->name))
				put_value(e->name, &n);
	resolution_free(&res);
	searchpath_free(&sp);
	return n;
}

#define WHATS "commands, types, features TYPE, options [COMMAND], names or rules"

/* Each WHAT, with how many arguments it takes after it. */
static const struct what {
	const char *name;
	size_t min, max;
} whats[] = {
	{ "commands", 0, 0 },
	{ "types", 0, 0 },
	{ "features", 1, 1 },
	{ "options", 0, 1 },
	{ "names", 0, 0 },
	{ "rules", 0, 0 },
};

static const struct what *find_what(const char *name)
{
	for (size_t i = 0; i < sizeof(whats) / sizeof(whats[0]); i++)
		if (strcmp(whats[i].name, name) == 0)
			return &whats[i];
	return NULL;
}

/* Usage errors are for scripts calling us wrongly, not for the user. */
static int check_args(const struct command *cmd, char **args, size_t n_args)
{
	const struct what *w;

	if (n_args == 0)
		return cli_usage_error(cmd, "missing WHAT (" WHATS ")");
	struct esc_pool p = { 0 };
	int rc = 0;

	w = find_what(args[0]);
	if (!w)
		rc = cli_usage_error(cmd, "unknown WHAT %s (" WHATS ")",
				     quoted(&p, args[0]));
	else if (n_args - 1 < w->min)
		rc = cli_usage_error(cmd, "features: missing TYPE");
	else if (n_args - 1 > w->max)
		rc = cli_usage_error(cmd, "unexpected argument %s",
				     quoted(&p, args[w->max + 1]));
	esc_pool_free(&p);
	return rc;
}

static int run(const struct command *cmd, char **args, size_t n_args)
{
	size_t n;
	int status = check_args(cmd, args, n_args);

	if (status)
		return status;
	if (strcmp(args[0], "commands") == 0)
		n = complete_commands();
	else if (strcmp(args[0], "types") == 0)
		n = complete_types();
	else if (strcmp(args[0], "features") == 0)
		n = complete_features(args[1]);
	else if (strcmp(args[0], "options") == 0)
		n = complete_options(n_args > 1 ? args[1] : NULL);
	else if (strcmp(args[0], "rules") == 0)
		n = complete_rules();
	else
		n = complete_names();
	return n ? EXIT_OK : EXIT_NOTFOUND;
}

/*
 * Completion output must never be mixed with warnings: the scripts pass
 * 2>/dev/null, and complete_names resolves quietly.
 */
const struct command complete_command = {
	.name = "complete",
	.run = run,
	.operands = true,
	.synopsis = "commands|types|features TYPE|options [COMMAND]|names|rules",
	.summary = "Print values for shell completion, one a line",
};
