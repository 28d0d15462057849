/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * caps NAME|PATH | --type TYPE | --binary BIN [--json]: run one backend's
 * capability probe and print its features, or the checked report.
 */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "commands.h"
#include "output.h"
#include "report.h"
#include "resolve.h"
#include "util.h"

static struct {
	const struct backend_type *type;
	char *binary;
	int json;
} opt;

enum { OPT_TYPE = 1, OPT_BINARY };

static const struct poptOption options[] = {
	{ "type", '\0', POPT_ARG_STRING, NULL, OPT_TYPE,
	  "the first descriptor of TYPE with an executable binary", "TYPE" },
	{ "binary", '\0', POPT_ARG_STRING, NULL, OPT_BINARY,
	  "probe BIN itself (no descriptor, no type check)", "BIN" },
	{ "json", '\0', POPT_ARG_NONE, &opt.json, 0,
	  "print the checked capabilities object", NULL },
	POPT_TABLEEND
};

static int set_option(const struct command *cmd, int val, const char *arg)
{
	if (val == OPT_TYPE)
		return cli_set_type(cmd, arg, &opt.type);
	if (arg[0] == '\0')
		return cli_usage_error(cmd, "--binary: empty path");
	free(opt.binary);
	opt.binary = xstrdup(arg);
	return 0;
}

/* -v: what ran, and how it was contained (known once it has run). */
static void say_running(const char *where, const struct searchpath *sp,
			const char *binary, const char *containment)
{
	char *host = sp ? searchpath_host_path(sp, binary) : xstrdup(binary);
	struct esc_pool p = { 0 };

	msg_error("%s%srunning %s --print-capabilities%s%s",
		  where ? esc(&p, where) : "", where ? ": " : "", esc(&p, host),
		  containment ? " " : "", containment ? containment : "");
	esc_pool_free(&p);
	free(host);
}

/*
 * Probe binary and print the answer.  who names the backend in
 * messages (escaped), where (or NULL) its descriptor for -v; sp is NULL for
 * --binary (a path on this system), and type may be NULL (--binary: no
 * type to agree with).
 */
static int probe_and_print(const char *who, const char *where,
			   const struct searchpath *sp, const char *binary,
			   const char *type)
{
	struct probe_options po = cli_probe_options();
	struct backend_answer r;
	int status = EXIT_OK;
	bool ok = backend_probe(sp, binary, type, &po, &r);

	/* Only what ran: a refusal ran nothing. */
	if (globals.verbose && r.containment)
		say_running(where, sp, binary, r.containment);
	if (!ok) {
		msg_error("%s: %s", who, r.reason);
		status = r.trouble ? EXIT_TROUBLE : EXIT_NOTFOUND;
	} else if (opt.json) {
		print_json(r.caps.json);
	} else {
		for (size_t i = 0; i < r.caps.n_features; i++) {
			print_escaped(stdout, r.caps.features[i]);
			putchar('\n');
		}
	}
	backend_answer_free(&r);
	return status;
}

/* An active descriptor's backend, run under --root when one is given. */
static int probe_entry(const struct searchpath *sp, const struct entry *e)
{
	struct esc_pool p = { 0 };
	char *who = xasprintf("%s: %s", esc(&p, e->path), esc(&p, e->binary));
	int status;

	status = probe_and_print(who, e->path, sp, e->binary,
				 e->type);
	free(who);
	esc_pool_free(&p);
	return status;
}

/* NAME|PATH: the descriptor that takes effect, or the file. */
static int caps_named(const struct searchpath *sp, const char *arg)
{
	struct lookup l;
	const struct entry *e = report_lookup_of(sp, arg, false, &l);
	int status = EXIT_NOTFOUND;

	if (e)
		status = probe_entry(sp, e);
	lookup_free(&l);
	return status;
}

/* caps --type's walk of the candidates, for -v's policy view. */
struct walk {
	const struct searchpath *sp;
	const struct resolution *res;
	const struct entry *last;	/* the last candidate passed over */
	size_t n_passed;
};

/* A candidate whose binary cannot start: said at once. */
static void passed_over(const struct entry *e, const char *reason, void *data)
{
	struct walk *w = data;
	char *why = binary_reason_text(w->sp, e->binary, reason);
	char *m = candidate_text(e, why);

	if (globals.verbose)
		report_policy_between(w->res, opt.type->name, w->last, e, false);
	msg_error("%s", m);
	free(m);
	free(why);
	w->last = e;
	w->n_passed++;
}

/* The first active descriptor of the type whose binary can start. */
static int caps_type(const struct searchpath *sp)
{
	struct resolution res;
	const struct entry *e;
	int status = EXIT_NOTFOUND;
	struct walk w = { .sp = sp, .res = &res };

	resolve(sp, &(struct resolve_options){ .load_all = globals.verbose },
		&res);
	report_resolution(&res);
	e = first_startable(sp, &res, opt.type->name, passed_over, &w);
	if (globals.verbose) {
		report_policy_between(&res, opt.type->name, w.last, e, false);
		if (e)
			report_winner(&res, e, w.n_passed == 0);
		report_policy_between(&res, opt.type->name, e ? e : w.last,
				      NULL, e != NULL);
	}
	if (e)
		status = probe_entry(sp, e);
	else
		report_no_match(sp, opt.type->name, w.n_passed, false, NULL, 0);
	resolution_free(&res);
	return status;
}

static int probe_chosen(const char *arg)
{
	struct searchpath sp;
	int status;

	if (opt.binary) {
		char *who = escape_text(opt.binary);

		status = probe_and_print(who, NULL, NULL, opt.binary, NULL);
		free(who);
		return status;
	}
	cli_searchpath(&sp);
	status = opt.type ? caps_type(&sp) : caps_named(&sp, arg);
	searchpath_free(&sp);
	return status;
}

static int run(const struct command *cmd, char **args, size_t n_args)
{
	int n_ways = (n_args > 0) + (opt.type != NULL) + (opt.binary != NULL);
	int status;

	if (n_args > 1)
		status = cli_usage_error(cmd, "too many arguments");
	else if (n_ways == 0)
		status = cli_usage_error(cmd, "missing NAME, PATH, --type or --binary");
	else if (n_ways > 1)
		status = cli_usage_error(cmd, "give one of NAME|PATH, --type and --binary");
	else
		status = probe_chosen(n_args ? args[0] : NULL);
	free(opt.binary);
	return status;
}

const struct command caps_command = {
	.name = "caps",
	.run = run,
	.options = options,
	.set_option = set_option,
	.operands = true,
	.synopsis = "NAME|PATH | --type TYPE | --binary BIN [--json]",
	.summary = "Run one backend's capability probe and print its features",
};
