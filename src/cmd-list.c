/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * list [--type TYPE] [--all] [--json]: the active descriptors in priority
 * order; with --all every entry and what happened to it.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "output.h"
#include "report.h"
#include "resolve.h"
#include "util.h"

static struct {
	const struct backend_type *type;
	int all;
	int json;
} opt;

enum { OPT_TYPE = 1 };

static const struct poptOption options[] = {
	{ "type", '\0', POPT_ARG_STRING, NULL, OPT_TYPE, NULL, "TYPE" },
	{ "all", '\0', POPT_ARG_NONE, &opt.all, 0, NULL, NULL },
	{ "json", '\0', POPT_ARG_NONE, &opt.json, 0, NULL, NULL },
	POPT_TABLEEND
};

static int set_option(const struct command *cmd, int val, const char *arg)
{
	(void)val;
	return cli_set_type(cmd, arg, &opt.type);
}

static bool has_type(const struct entry *e, const struct backend_type *t)
{
	return e->desc && e->desc->type && strcmp(e->desc->type, t->name) == 0;
}

/*
 * With --all --type, a name is shown with all its entries when any of
 * them has the type: the mask or invalid file hiding a gpu descriptor
 * is part of the gpu story.
 */
static bool name_has_type(const struct resolution *res, const char *name,
			  const struct backend_type *t)
{
	size_t n;
	const struct entry *named = resolution_named(res, name, &n);

	for (size_t k = 0; k < n; k++)
		if (has_type(&named[k], t))
			return true;
	return false;
}

static bool selected(const struct resolution *res, const struct entry *e)
{
	if (!opt.all)
		return e->status == STATUS_ACTIVE &&
		       (!opt.type || has_type(e, opt.type));
	return !opt.type || name_has_type(res, e->name, opt.type);
}

static void add_row(struct table *table, const struct entry *e)
{
	const struct descriptor *d = e->desc;
	char *detail;

	if (!opt.all) {
		const char *row[] = { e->name, d->type, d->binary, e->path };

		table_add(table, row);
		return;
	}
	detail = entry_detail(e);
	table_add(table, (const char *[]){
		entry_status_name(e->status), e->name, d ? d->type : NULL,
		d ? d->binary : NULL, e->path, detail
	});
	free(detail);
}

static int run(const struct command *cmd, char **args, size_t n_args)
{
	struct searchpath sp;
	struct resolution res;
	struct table table;
	struct json_stream array = { 0 };
	size_t shown = 0;

	(void)cmd, (void)args, (void)n_args;
	cli_searchpath(&sp);
	resolve(&sp, opt.all ? RESOLVE_LOAD_ALL : 0, &res);
	/* --all shows entry problems on stdout; say only the rest. */
	report_resolution(&res, !opt.all);
	table_init(&table, opt.all ? 6 : 4);
	for (size_t i = 0; i < res.n; i++) {
		const struct entry *e = &res.entries[i];

		if (!selected(&res, e))
			continue;
		if (opt.json)
			json_stream_add(&array, entry_json(e));
		else
			add_row(&table, e);
		shown++;
	}
	if (opt.json)
		json_stream_end(&array);
	else
		table_print(&table, stdout);
	table_free(&table);
	resolution_free(&res);
	searchpath_free(&sp);
	return shown ? EXIT_OK : EXIT_NOTFOUND;
}

const struct command list_command = {
	.name = "list",
	.run = run,
	.options = options,
	.set_option = set_option,
	.synopsis = "[--type TYPE] [--all] [--json]",
	.summary = "List the active descriptors in priority order",
	.option_help =
	"      --type TYPE  only descriptors of this type\n"
	"      --all        also overridden, masked, invalid and ignored entries\n"
	"      --json       print a JSON array\n",
};
