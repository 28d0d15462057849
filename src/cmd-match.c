/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * match --type TYPE [--feature F]... [--all] [--json] [--file]: the
 * backend a management layer should start.  Candidates are the active
 * descriptors of TYPE in priority order; backends are probed only when
 * features are asked for, lazily, and probing stops at the winner.
 */
#include <stdlib.h>
#include <string.h>

#include "capabilities.h"
#include "commands.h"
#include "output.h"
#include "report.h"
#include "resolve.h"
#include "util.h"

enum { OPT_TYPE = 1, OPT_FEATURE, OPT_ALL, OPT_JSON, OPT_FILE };

struct match_options {
	const struct command *cmd;
	const struct backend_type *type;
	char **features;
	size_t n_features, cap_features;
	bool all;
	bool json;
	bool file;
};

static const struct poptOption options[] = {
	{ "type", '\0', POPT_ARG_STRING, NULL, OPT_TYPE, NULL, "TYPE" },
	{ "feature", '\0', POPT_ARG_STRING, NULL, OPT_FEATURE, NULL, "FEATURE" },
	{ "all", '\0', POPT_ARG_NONE, NULL, OPT_ALL, NULL, NULL },
	{ "json", '\0', POPT_ARG_NONE, NULL, OPT_JSON, NULL, NULL },
	{ "file", '\0', POPT_ARG_NONE, NULL, OPT_FILE, NULL, NULL },
	POPT_TABLEEND
};

static int handle(int val, const char *arg, void *data)
{
	struct match_options *o = data;

	switch (val) {
	case OPT_TYPE:
		o->type = cli_type(o->cmd, arg);
		return o->type ? 0 : EXIT_USAGE;
	case OPT_FEATURE:
		if (arg[0] == '\0')
			return cli_usage_error(o->cmd, "--feature: empty feature name");
		/* Doubling: realloc by one is quadratic where it always moves. */
		if (o->n_features == o->cap_features) {
			o->cap_features = o->cap_features ? 2 * o->cap_features : 8;
			o->features = xreallocarray(o->features, o->cap_features,
						    sizeof(*o->features));
		}
		o->features[o->n_features++] = xstrdup(arg);
		break;
	case OPT_ALL:
		o->all = true;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_FILE:
		o->file = true;
		break;
	}
	return 0;
}

/* Forward compatible: a feature newer than our table is still matched. */
static void warn_unknown_features(const struct match_options *o)
{
	for (size_t i = 0; i < o->n_features; i++)
		if (!schema_has_feature(o->type, o->features[i]))
			msg_warning("feature '%s' is not a known %s feature; matching it anyway",
				    o->features[i], o->type->name);
}

/*
 * How many of a backend's features a rejection lists: a backend may
 * report a megabyte of them, and a message is for a human.
 */
#define MAX_LISTED_FEATURES 10

/*
 * A string built by appending, in one buffer that doubles as it grows:
 * lists of hundreds of thousands of items cost linear time.
 */
struct strbuf {
	char *s;
	size_t len, cap;
};

static void strbuf_add(struct strbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = xreallocarray(b->s, cap, 1);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

/* Append item to a ", "-separated list. */
static void strbuf_add_item(struct strbuf *b, const char *item)
{
	if (b->len)
		strbuf_add(b, ", ");
	strbuf_add(b, item);
}

/* The asked-for features caps lacks, joined by ", "; NULL when none. */
static char *missing_features(const struct match_options *o,
			      const struct capabilities *caps, size_t *n)
{
	struct strbuf list = { 0 };

	*n = 0;
	for (size_t i = 0; i < o->n_features; i++) {
		if (capabilities_has(caps, o->features[i]))
			continue;
		strbuf_add_item(&list, o->features[i]);
		(*n)++;
	}
	return list.s;
}

/* What caps reports, at most MAX_LISTED_FEATURES of it, in words. */
static char *feature_list(const struct capabilities *caps)
{
	struct strbuf list = { 0 };
	size_t shown = caps->n_features;

	if (shown == 0)
		return xstrdup("no features");
	if (shown > MAX_LISTED_FEATURES)
		shown = MAX_LISTED_FEATURES;
	for (size_t i = 0; i < shown; i++)
		strbuf_add_item(&list, caps->features[i]);
	if (shown < caps->n_features) {
		char *more = xasprintf(" and %zu more", caps->n_features - shown);

		strbuf_add(&list, more);
		free(more);
	}
	return list.s;
}

/*
 * Whether e qualifies.  On a probe, *caps holds the report (to free);
 * a rejection sets *reason.  *failed is set when the tool itself could
 * not run the backend.
 */
static bool qualifies(const struct match_options *o,
		      const struct searchpath *sp, const struct entry *e,
		      struct capabilities *caps, char **reason, bool *failed)
{
	char *host = searchpath_host_path(sp, e->desc->binary);
	struct probe_result r;
	char *missing;
	size_t n_missing;
	bool ok = false;

	memset(caps, 0, sizeof(*caps));
	if (o->n_features == 0) {
		ok = probe_check_binary(host, reason) == PROBE_OK;
		goto out;
	}
	if (probe_backend(host, o->type->name, globals.timeout_ms, &r) !=
	    PROBE_OK) {
		*failed = r.status == PROBE_SPAWN_FAILED;
		*reason = r.reason;
		r.reason = NULL;
		probe_result_free(&r);
		goto out;
	}
	*caps = r.caps;
	missing = missing_features(o, caps, &n_missing);
	if (missing) {
		char *has = feature_list(caps);

		*reason = xasprintf("lacks %s %s (reports %s)",
				    n_missing > 1 ? "features" : "feature",
				    missing, has);
		free(has);
		free(missing);
	} else {
		ok = true;
	}
out:
	free(host);
	return ok;
}

static json_t *winner_json(const struct entry *e,
			   const struct capabilities *caps, bool probed)
{
	const struct descriptor *d = e->desc;
	json_t *o = json_object();

	json_object_set_new(o, "name", json_text(e->name));
	json_object_set_new(o, "file", json_text(e->path));
	json_object_set_new(o, "type", json_string(d->type));
	json_object_set_new(o, "binary", json_string(d->binary));
	json_object_set_new(o, "description", d->description ?
			    json_string(d->description) : json_null());
	json_object_set_new(o, "tags", d->tags ? json_deep_copy(d->tags) :
			    json_array());
	if (probed) {
		json_t *features = json_array();

		for (size_t i = 0; i < caps->n_features; i++)
			json_array_append_new(features,
					      json_text(caps->features[i]));
		json_object_set_new(o, "features", features);
	}
	return o;
}

static void print_winner(const struct match_options *o, const struct entry *e,
			 const struct capabilities *caps, json_t *array)
{
	json_t *j;

	if (!o->json) {
		print_escaped(stdout, o->file ? e->path : e->desc->binary);
		putchar('\n');
		return;
	}
	j = winner_json(e, caps, o->n_features > 0);
	if (array) {
		json_array_append_new(array, j);
	} else {
		print_json(j);
		json_decref(j);
	}
}

/* The closing line when nothing qualified, so that the cause is clear. */
static void say_no_match(const struct match_options *o, size_t n_candidates)
{
	struct strbuf list = { 0 };

	if (n_candidates == 0) {
		msg_error("no active %s descriptor in the search path",
			  o->type->name);
		return;
	}
	for (size_t i = 0; i < o->n_features; i++)
		strbuf_add_item(&list, o->features[i]);
	if (list.s)
		msg_error("no %s backend with %s %s", o->type->name,
			  o->n_features > 1 ? "features" : "feature", list.s);
	else
		msg_error("no %s backend with an executable binary",
			  o->type->name);
	free(list.s);
}

static int run_match(const struct match_options *o)
{
	struct searchpath sp;
	struct resolution res;
	json_t *array = o->all && o->json ? json_array() : NULL;
	size_t n_candidates = 0, n_found = 0;
	bool failed = false;
	/* Rejections are said at once with -v, else only if nothing wins. */
	char **rejected = NULL;
	size_t n_rejected = 0;

	cli_searchpath(&sp);
	resolve(&sp, 0, &res);
	report_resolution(&res, true);
	warn_unknown_features(o);
	for (size_t i = 0; i < res.n; i++) {
		const struct entry *e = &res.entries[i];
		struct capabilities caps;
		char *reason = NULL;

		if (e->status != STATUS_ACTIVE || !e->effective ||
		    strcmp(e->desc->type, o->type->name) != 0)
			continue;
		n_candidates++;
		if (qualifies(o, &sp, e, &caps, &reason, &failed)) {
			if (globals.verbose)
				msg_error("%s: %s: selected", e->path,
					  e->desc->binary);
			print_winner(o, e, &caps, array);
			capabilities_free(&caps);
			n_found++;
			if (!o->all)
				break;
			continue;
		}
		capabilities_free(&caps);
		if (globals.verbose) {
			msg_error("%s: %s: %s", e->path, e->desc->binary,
				  reason);
			free(reason);
			continue;
		}
		rejected = xreallocarray(rejected, n_rejected + 1,
					 sizeof(*rejected));
		rejected[n_rejected++] = xasprintf("%s: %s: %s", e->path,
						   e->desc->binary, reason);
		free(reason);
	}
	for (size_t i = 0; i < n_rejected; i++) {
		if (n_found == 0)
			msg_error("%s", rejected[i]);
		free(rejected[i]);
	}
	free(rejected);
	if (n_found == 0)
		say_no_match(o, n_candidates);
	if (array) {
		print_json(array);
		json_decref(array);
	}
	resolution_free(&res);
	searchpath_free(&sp);
	if (n_found)
		return EXIT_OK;
	return failed ? EXIT_USAGE : EXIT_NOTFOUND;
}

int cmd_match(const struct command *cmd, int argc, const char **argv)
{
	struct match_options o = { .cmd = cmd };
	int status;

	status = cli_parse_no_operands(cmd, argc, argv, options, handle, &o);
	if (status) {
		status = status == CLI_DONE ? EXIT_OK : status;
	} else if (!o.type) {
		status = cli_usage_error(cmd, "missing --type TYPE");
	} else if (o.json && o.file) {
		status = cli_usage_error(cmd, "--json and --file exclude each other");
	} else {
		status = run_match(&o);
	}
	for (size_t i = 0; i < o.n_features; i++)
		free(o.features[i]);
	free(o.features);
	return status;
}
