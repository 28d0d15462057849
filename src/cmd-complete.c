/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * complete WHAT: the values shell completion offers, one a line.
 * WHAT is commands, types, features TYPE or names.  The completion
 * scripts call this on every <Tab>, so it is quiet (no warnings), never
 * runs a backend, and answers "nothing" (exit 1) rather than an error
 * when what the user typed so far leads nowhere.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "output.h"
#include "resolve.h"
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

static const char *const whats[] = { "commands", "types", "features", "names" };

static bool known_what(const char *what)
{
	for (size_t i = 0; i < sizeof(whats) / sizeof(whats[0]); i++)
		if (strcmp(whats[i], what) == 0)
			return true;
	return false;
}

/* Usage errors are for scripts calling us wrongly, not for the user. */
static int check_args(const struct command *cmd, char **args, size_t n_args)
{
	size_t want;

	if (n_args == 0)
		return cli_usage_error(cmd, "missing WHAT (commands, types, features TYPE or names)");
	if (!known_what(args[0]))
		return cli_usage_error(cmd, "unknown WHAT '%s' (commands, types, features TYPE or names)",
				       args[0]);
	want = strcmp(args[0], "features") == 0 ? 2 : 1;
	if (n_args < want)
		return cli_usage_error(cmd, "features: missing TYPE");
	if (n_args > want)
		return cli_usage_error(cmd, "unexpected argument '%s'",
				       args[want]);
	return 0;
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
	.synopsis = "commands|types|features TYPE|names",
	.summary = "Print values for shell completion, one a line",
};
