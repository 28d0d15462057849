/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "cli-hint.h"
#include "output.h"
#include "schema.h"
#include "suggest.h"
#include "util.h"

/* Room for every long option of every command and the global ones. */
#define NAMES_MAX 256

int hint_unknown_command(const char *name)
{
	const char *names[32];
	size_t n = 0;
	char *hint, *q;
	int rc;

	for (const struct command *const *c = commands; *c && n < 32; c++)
		names[n++] = (*c)->name;
	hint = did_you_mean(name, "", names, n);
	q = quote(name);
	rc = cli_usage_error(NULL, "unknown command %s%s", q, hint);
	free(q);
	free(hint);
	return rc;
}

/* Whether table (NULL: none) has an option called name. */
static bool has_option(const struct poptOption *table, const char *name)
{
	for (const struct poptOption *o = table; o && o->longName; o++)
		if (strcmp(o->longName, name) == 0)
			return true;
	return false;
}

/* Append the long names of table (NULL: none) to names[*n..NAMES_MAX). */
static void add_names(const struct poptOption *table, const char **names,
		      size_t *n)
{
	for (const struct poptOption *o = table; o && o->longName && *n < NAMES_MAX; o++)
		names[(*n)++] = o->longName;
}

/* The commands that have option name, "list, match": NULL when none. */
static char *commands_with(const char *name)
{
	struct strbuf list = { 0 };

	for (const struct command *const *c = commands; *c; c++)
		if (has_option((*c)->options, name))
			strbuf_add_item(&list, (*c)->name);
	return list.s;
}

int hint_unknown_option(const struct command *cmd, const char *bad,
			const char *popt_text)
{
	const char *names[NAMES_MAX];
	size_t n = 0;
	char *name, *where = NULL, *hint;
	int rc;

	if (strncmp(bad, "--", 2) != 0) {
		where = escape_text(bad);
		rc = cli_usage_error(cmd, "%s: %s", where, popt_text);
		free(where);
		return rc;
	}
	name = xstrdup(bad + 2);
	name[strcspn(name, "=")] = '\0';
	if (!cmd)
		where = commands_with(name);
	if (where) {
		char *e = escape_text(name);

		rc = cli_usage_error(cmd, "--%s is an option of %s: put it after the command",
				     e, where);
		free(e);
		free(where);
		free(name);
		return rc;
	}
	add_names(cmd ? cmd->options : NULL, names, &n);
	add_names(global_options, names, &n);
	/* Before the command, any command's option may be the one meant. */
	for (const struct command *const *c = commands; !cmd && *c; c++)
		add_names((*c)->options, names, &n);
	hint = did_you_mean(name, "--", names, n);
	where = escape_text(bad);
	rc = cli_usage_error(cmd, "%s: %s%s", where, popt_text, hint);
	free(where);
	free(hint);
	free(name);
	return rc;
}

/* The type names, for suggest(); *n of them. */
static const char **type_names(size_t *n)
{
	const char **names = xcalloc(n_backend_types, sizeof(*names));

	for (*n = 0; *n < n_backend_types; (*n)++)
		names[*n] = backend_types[*n].name;
	return names;
}

char *hint_type(const char *name)
{
	size_t n;
	const char **names = type_names(&n);
	char *hint = did_you_mean(name, "", names, n);

	free(names);
	return hint;
}

/* "gpu" for "gpu" or "gpuu": the type arg is or is near; or NULL. */
static const char *type_meant(const char *arg)
{
	size_t n;
	const char **names = type_names(&n);
	const char *t = schema_find_type(arg) ? arg : suggest(arg, names, n);

	free(names);
	return t;
}

int hint_unexpected_operand(const struct command *cmd, const char *arg)
{
	const char *type = has_option(cmd->options, "type") ?
		type_meant(arg) : NULL;
	char *meant = type ? xasprintf("--type %s", type) : NULL;
	char *hint = meant ? did_you_mean_text(meant) : xstrdup("");
	char *q = quote(arg);
	int rc = cli_usage_error(cmd, "unexpected argument %s%s", q, hint);

	free(q);
	free(hint);
	free(meant);
	return rc;
}
