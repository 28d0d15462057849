/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * caps NAME|PATH | --type TYPE | --binary BIN [--json]: run one backend's
 * capability probe and print its features, or the checked report.
 */
#include <stdlib.h>
#include <string.h>

#include "capabilities.h"
#include "commands.h"
#include "output.h"
#include "report.h"
#include "resolve.h"
#include "util.h"

enum { OPT_TYPE = 1, OPT_BINARY, OPT_JSON };

struct caps_options {
	const struct command *cmd;
	const struct backend_type *type;
	char *binary;
	bool json;
};

static const struct poptOption options[] = {
	{ "type", '\0', POPT_ARG_STRING, NULL, OPT_TYPE, NULL, "TYPE" },
	{ "binary", '\0', POPT_ARG_STRING, NULL, OPT_BINARY, NULL, "BIN" },
	{ "json", '\0', POPT_ARG_NONE, NULL, OPT_JSON, NULL, NULL },
	POPT_TABLEEND
};

static int handle(int val, const char *arg, void *data)
{
	struct caps_options *o = data;

	switch (val) {
	case OPT_TYPE:
		o->type = cli_type(o->cmd, arg);
		return o->type ? 0 : EXIT_USAGE;
	case OPT_BINARY:
		if (arg[0] == '\0')
			return cli_usage_error(o->cmd, "--binary: empty path");
		free(o->binary);
		o->binary = xstrdup(arg);
		break;
	case OPT_JSON:
		o->json = true;
		break;
	}
	return 0;
}

/*
 * Probe exec_path and print the answer.  who names the backend in
 * messages; expected_type may be NULL (--binary: no type to agree with).
 */
static int probe_and_print(const struct caps_options *o, const char *who,
			   const char *exec_path, const char *expected_type)
{
	struct probe_result r;
	int status = EXIT_OK;

	switch (probe_backend(exec_path, expected_type, globals.timeout_ms,
			      &r)) {
	case PROBE_OK:
		break;
	case PROBE_SPAWN_FAILED:
		msg_error("%s: %s", who, r.reason);
		status = EXIT_USAGE;
		goto out;
	default:
		msg_error("%s: %s", who, r.reason);
		status = EXIT_NOTFOUND;
		goto out;
	}
	if (o->json) {
		print_json(r.caps.json);
		goto out;
	}
	for (size_t i = 0; i < r.caps.n_features; i++) {
		print_escaped(stdout, r.caps.features[i]);
		putchar('\n');
	}
out:
	probe_result_free(&r);
	return status;
}

/* An active descriptor's backend, run under --root when one is given. */
static int probe_entry(const struct caps_options *o,
		       const struct searchpath *sp, const struct entry *e)
{
	char *host = searchpath_host_path(sp, e->desc->binary);
	char *who = xasprintf("%s: %s", e->path, e->desc->binary);
	int status;

	if (globals.verbose)
		msg_error("%s: running %s --print-capabilities", e->path, host);
	status = probe_and_print(o, who, host, e->desc->type);
	free(who);
	free(host);
	return status;
}

/* Why an entry that took effect is not a backend to probe. */
static int caps_path(const struct caps_options *o,
		     const struct searchpath *sp, const char *path)
{
	struct entry e;
	int status = EXIT_NOTFOUND;

	resolve_file(path, &e);
	if (e.status == STATUS_ACTIVE)
		status = probe_entry(o, sp, &e);
	else
		report_not_active(&e);
	entry_clear(&e);
	return status;
}

static int caps_name(const struct caps_options *o,
		     const struct searchpath *sp, const char *arg)
{
	struct resolution res;
	const struct entry *e;
	int status = EXIT_NOTFOUND;

	resolve(sp, 0, &res);
	report_resolution(&res, false);
	e = lookup_name(&res, arg, false);
	if (e)
		status = probe_entry(o, sp, e);
	resolution_free(&res);
	return status;
}

/* The first active descriptor of the type whose binary can be run. */
static int caps_type(const struct caps_options *o,
		     const struct searchpath *sp)
{
	struct resolution res;
	int status = EXIT_NOTFOUND;
	size_t n_candidates = 0;

	resolve(sp, 0, &res);
	report_resolution(&res, true);
	for (size_t i = 0; i < res.n; i++) {
		const struct entry *e = &res.entries[i];
		char *host, *reason;

		if (e->status != STATUS_ACTIVE || !e->effective ||
		    strcmp(e->desc->type, o->type->name) != 0)
			continue;
		n_candidates++;
		host = searchpath_host_path(sp, e->desc->binary);
		if (probe_check_binary(host, &reason) == PROBE_OK) {
			free(host);
			status = probe_entry(o, sp, e);
			goto out;
		}
		msg_error("%s: %s: %s", e->path, e->desc->binary, reason);
		free(reason);
		free(host);
	}
	if (n_candidates == 0)
		msg_error("no active %s descriptor in the search path",
			  o->type->name);
	else
		msg_error("no %s backend with an executable binary",
			  o->type->name);
out:
	resolution_free(&res);
	return status;
}

static int run_caps(const struct caps_options *o, const char *arg)
{
	struct searchpath sp;
	int status;

	if (o->binary) {
		if (globals.verbose)
			msg_error("running %s --print-capabilities", o->binary);
		return probe_and_print(o, o->binary, o->binary, NULL);
	}
	cli_searchpath(&sp);
	if (o->type)
		status = caps_type(o, &sp);
	else if (strchr(arg, '/'))
		status = caps_path(o, &sp, arg);
	else
		status = caps_name(o, &sp, arg);
	searchpath_free(&sp);
	return status;
}

int cmd_caps(const struct command *cmd, int argc, const char **argv)
{
	struct caps_options o = { .cmd = cmd };
	char **args;
	size_t n_args;
	int status, n_ways;

	status = cli_parse(cmd, argc, argv, options, handle, &o, &args,
			   &n_args);
	if (status) {
		status = status == CLI_DONE ? EXIT_OK : status;
		goto out;
	}
	n_ways = (n_args > 0) + (o.type != NULL) + (o.binary != NULL);
	if (n_args > 1)
		status = cli_usage_error(cmd, "too many arguments");
	else if (n_ways == 0)
		status = cli_usage_error(cmd, "missing NAME, PATH, --type or --binary");
	else if (n_ways > 1)
		status = cli_usage_error(cmd, "give one of NAME|PATH, --type and --binary");
	else
		status = run_caps(&o, n_args ? args[0] : NULL);
out:
	cli_free_args(args);
	free(o.binary);
	return status;
}
