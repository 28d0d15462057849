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

enum { OPT_TYPE = 1, OPT_ALL, OPT_JSON };

struct list_options {
	const struct command *cmd;
	const struct backend_type *type;
	bool all;
	bool json;
};

static const struct poptOption options[] = {
	{ "type", '\0', POPT_ARG_STRING, NULL, OPT_TYPE, NULL, "TYPE" },
	{ "all", '\0', POPT_ARG_NONE, NULL, OPT_ALL, NULL, NULL },
	{ "json", '\0', POPT_ARG_NONE, NULL, OPT_JSON, NULL, NULL },
	POPT_TABLEEND
};

static int handle(int val, const char *arg, void *data)
{
	struct list_options *o = data;

	switch (val) {
	case OPT_TYPE:
		o->type = cli_type(o->cmd, arg);
		return o->type ? 0 : EXIT_USAGE;
	case OPT_ALL:
		o->all = true;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	}
	return 0;
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
static bool group_has_type(const struct resolution *res, size_t i,
			   const struct backend_type *t)
{
	size_t lo = i, hi = i;

	while (lo > 0 && strcmp(res->entries[lo - 1].name,
				res->entries[i].name) == 0)
		lo--;
	while (hi + 1 < res->n && strcmp(res->entries[hi + 1].name,
					 res->entries[i].name) == 0)
		hi++;
	for (size_t k = lo; k <= hi; k++)
		if (has_type(&res->entries[k], t))
			return true;
	return false;
}

static bool selected(const struct list_options *o,
		     const struct resolution *res, size_t i)
{
	const struct entry *e = &res->entries[i];

	if (!o->all)
		return e->status == STATUS_ACTIVE &&
		       (!o->type || has_type(e, o->type));
	return !o->type || group_has_type(res, i, o->type);
}

/*
 * One element of the --json array, printed exactly as print_json() of
 * the whole array would print it: the array of 10,000 entries is never
 * built as one JSON tree, which would double the peak memory.  Raw
 * newlines in jansson's output are only its indentation.
 */
static void print_json_element(json_t *o, size_t index)
{
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	const char *p, *nl;

	if (!s) {
		msg_error("out of memory");
		exit(EXIT_USAGE);
	}
	fputs(index ? ",\n  " : "[\n  ", stdout);
	for (p = s; (nl = strchr(p, '\n')); p = nl + 1) {
		fwrite(p, 1, (size_t)(nl - p) + 1, stdout);
		fputs("  ", stdout);
	}
	fputs(p, stdout);
	free(s);
	json_decref(o);
}

int cmd_list(const struct command *cmd, int argc, const char **argv)
{
	struct list_options o = { .cmd = cmd };
	struct searchpath sp;
	struct resolution res;
	struct table table;
	size_t shown = 0;
	int status;

	status = cli_parse_no_operands(cmd, argc, argv, options, handle, &o);
	if (status)
		return status == CLI_DONE ? EXIT_OK : status;

	cli_searchpath(&sp);
	resolve(&sp, o.all ? RESOLVE_LOAD_ALL : 0, &res);
	/* --all shows entry problems on stdout; say only the rest. */
	report_resolution(&res, !o.all);

	if (!o.json)
		table_init(&table, o.all ? 6 : 4);
	for (size_t i = 0; i < res.n; i++) {
		const struct entry *e = &res.entries[i];
		const struct descriptor *d = e->desc;

		if (!selected(&o, &res, i))
			continue;
		if (o.json) {
			print_json_element(entry_json(e), shown);
		} else if (o.all) {
			char *detail = entry_detail(e);
			const char *row[] = {
				entry_status_name(e->status), e->name,
				d ? d->type : NULL, d ? d->binary : NULL,
				e->path, detail
			};

			table_add(&table, row);
			free(detail);
		} else {
			const char *row[] = {
				e->name, d->type, d->binary, e->path
			};

			table_add(&table, row);
		}
		shown++;
	}
	if (o.json) {
		fputs(shown ? "\n]\n" : "[]\n", stdout);
	} else {
		table_print(&table, stdout);
		table_free(&table);
	}
	resolution_free(&res);
	searchpath_free(&sp);
	return shown ? EXIT_OK : EXIT_NOTFOUND;
}
