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
	{ "type", '\0', POPT_ARG_STRING, NULL, OPT_TYPE,
	  "only descriptors of this type", "TYPE" },
	{ "all", '\0', POPT_ARG_NONE, &opt.all, 0,
	  "also overridden, masked, invalid and ignored entries", NULL },
	{ "json", '\0', POPT_ARG_NONE, &opt.json, 0,
	  "print a JSON array", NULL },
	POPT_TABLEEND
};

static int set_option(const struct command *cmd, int val, const char *arg)
{
	(void)val;
	return cli_set_type(cmd, arg, &opt.type);
}

static bool has_type(const struct entry *e, const struct backend_type *t)
{
	const char *type = entry_type(e);

	return type && strcmp(type, t->name) == 0;
}

/*
 * With --all --type, a name is shown with all its entries when any of
 * them has the type: the mask or invalid file hiding a gpu descriptor
 * is part of the gpu story.
 */
static bool name_has_type(const struct entry *named, size_t n,
			  const struct backend_type *t)
{
	for (size_t k = 0; k < n; k++)
		if (has_type(&named[k], t))
			return true;
	return false;
}

static bool selected(const struct entry *named, size_t n,
		     const struct entry *e)
{
	if (!opt.all)
		return e->status == STATUS_ACTIVE &&
		       (!opt.type || has_type(e, opt.type));
	return !opt.type || name_has_type(named, n, opt.type);
}

/* One row of the text table: measured, or printed. */
static void row(struct table *table, const struct entry *e, bool print)
{
	char *detail = opt.all ? entry_detail(e) : NULL;
	const char *all[] = {
		entry_status_name(e->status), e->name, entry_type(e),
		entry_binary(e), e->path, detail
	};
	const char *const *cells = opt.all ? all : all + 1;

	if (print)
		table_row(table, cells, stdout);
	else
		table_measure(table, cells);
	free(detail);
}

/*
 * The text table: every row measured as its name is settled (its
 * problems said then, without --all), then every row printed; nothing
 * of a row is held between the two.
 */
static size_t print_table(struct resolution *res)
{
	struct table table;
	size_t shown = 0;

	table_init(&table, opt.all ? 6 : 4);
	for (int print = 0; print <= 1; print++)
		for (size_t i = 0, n; (n = resolution_settle(res, i)); i += n) {
			const struct entry *named = &res->entries[i];

			if (!print && !opt.all)
				report_entry_problems(named, n);
			for (size_t k = 0; k < n; k++)
				if (selected(named, n, &named[k])) {
					row(&table, &named[k], print);
					shown += print;
				}
		}
	table_free(&table);
	return shown;
}

/*
 * JSON, printed as each name is settled, its descriptors let go at once:
 * memory holds names, not descriptors.
 */
static size_t print_json_array(struct resolution *res)
{
	struct json_stream array = { 0 };

	for (size_t i = 0, n; (n = resolution_settle(res, i)); i += n) {
		const struct entry *named = &res->entries[i];

		if (!opt.all)
			report_entry_problems(named, n);
		for (size_t k = 0; k < n; k++)
			if (selected(named, n, &named[k]))
				json_stream_add(&array, entry_json(&named[k]));
		resolution_release(res, i, n);
	}
	json_stream_end(&array);
	return array.n;
}

static int run(const struct command *cmd, char **args, size_t n_args)
{
	struct searchpath sp;
	struct resolution res;
	size_t shown;

	(void)cmd, (void)args, (void)n_args;
	cli_searchpath(&sp);
	/* --json prints description and tags: the descriptors are kept. */
	resolve(&sp, &(struct resolve_options){
		.load_all = opt.all,
		.keep = opt.json ? KEEP_MEMBERS : KEEP_TYPE_BINARY,
	}, &res);
	/* --all shows entry problems on stdout; say only the rest. */
	report_dir_warnings(&res);
	shown = opt.json ? print_json_array(&res) : print_table(&res);
	/* Nothing at all: a wrong --root or --dir must not look like success. */
	if (!opt.type && !resolution_has_descriptor(&res)) {
		char *none = no_descriptor_text(&sp);

		msg_warning("%s", none);
		free(none);
	}
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
};
