/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * validate [FILE|DIR|-...] [--probe] [--strict] [--ignore RULE]...
 * [--format FORMAT|--json]: a linter for packagers and CI (the rules are
 * lint.c's, their ids rules.c's).  Diagnostics go to stderr in the
 * compiler format "FILE:LINE:COLUMN: error: [VUF102] MSG", without the
 * program name, so that editors and CI annotators can jump to them; with
 * --json, to stdout as one array; with --format=github, to stdout as
 * GitHub Actions annotations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "handshake.h"
#include "lint.h"
#include "output.h"
#include "report.h"
#include "suggest.h"
#include "util.h"

enum format { FORMAT_GCC, FORMAT_JSON, FORMAT_GITHUB };

static const char *const format_names[] = { "gcc", "json", "github" };

static struct {
	int probe;
	int handshake;
	int strict;
	int json;
	bool format_given;
	enum format format;
	bool ignore[RULE_COUNT];
} opt;

enum { OPT_IGNORE = 1, OPT_FORMAT };

static const struct poptOption options[] = {
	{ "probe", '\0', POPT_ARG_NONE, &opt.probe, 0,
	  "also run each backend's capability probe", NULL },
	{ "handshake", '\0', POPT_ARG_NONE, &opt.handshake, 0,
	  "also handshake with each active backend (not input)", NULL },
	{ "strict", '\0', POPT_ARG_NONE, &opt.strict, 0,
	  "exit 1 on warnings too", NULL },
	{ "json", '\0', POPT_ARG_NONE, &opt.json, 0,
	  "print the findings as a JSON array on stdout (= --format=json)",
	  NULL },
	{ "format", '\0', POPT_ARG_STRING, NULL, OPT_FORMAT,
	  "gcc (the default), json or github", "FORMAT" },
	{ "ignore", '\0', POPT_ARG_ARGV, NULL, OPT_IGNORE,
	  "leave out the findings of a rule (repeatable)", "RULE" },
	POPT_TABLEEND
};

static int set_format(const struct command *cmd, const char *arg)
{
	size_t n = sizeof(format_names) / sizeof(format_names[0]);
	char *hint;
	int status;

	for (size_t i = 0; i < n; i++)
		if (strcmp(arg, format_names[i]) == 0) {
			opt.format = (enum format)i;
			opt.format_given = true;
			return 0;
		}
	hint = did_you_mean(arg, "", format_names, n);
	status = cli_usage_error(cmd, "--format '%s': not a format (gcc, json, "
				 "github)%s", arg, hint);
	free(hint);
	return status;
}

static int set_option(const struct command *cmd, int val, const char *arg)
{
	enum rule r;
	char *hint;
	int status;

	if (val == OPT_FORMAT)
		return set_format(cmd, arg);
	r = rule_find(arg);
	if (r != RULE_NONE) {
		opt.ignore[r] = true;
		return 0;
	}
	hint = rule_hint(arg);
	status = cli_usage_error(cmd, "--ignore '%s': not a rule id (VUF and "
				 "a number, as vhost-user-find(1) lists them)%s",
				 arg, hint);
	free(hint);
	return status;
}

/* One finding as a GitHub Actions workflow command, on stdout. */
static void print_github(const struct diag *g)
{
	char *line = diag_github(g);

	fputs(line, stdout);
	putchar('\n');
	free(line);
}

/*
 * Warnings count under -q too, so that --strict means the same whether
 * or not they are shown; a run that fails says so even under -q, with
 * its counts, so that a CI log is never empty.  --json: every finding,
 * as data, on stdout; --format=github: one annotation a finding.
 */
static void print_finding(const struct diag *g, void *array)
{
	char *m;

	if (opt.format == FORMAT_JSON) {
		json_stream_add(array, diag_json(g));
		return;
	}
	/*
	 * Under --strict, the warnings that fail the run are shown: under
	 * it any warning fails the run.
	 */
	if (g->level == DIAG_WARNING && output_quiet && !opt.strict)
		return;
	if (opt.format == FORMAT_GITHUB) {
		print_github(g);
		return;
	}
	m = diag_text(g, true);
	msg_plain("%s", m);
	free(m);
}

/* After the findings, printed as they were made: the counts. */
static void print_findings(const struct lint_result *l, bool failed,
			   struct json_stream *array)
{
	bool json = opt.format == FORMAT_JSON;

	if (json)
		json_stream_end(array);
	if (output_quiet && !failed)
		return;
	msg_plain("%zu file%s checked, %zu error%s, %zu warning%s%s", l->files,
		  l->files == 1 ? "" : "s", l->diags.n_errors,
		  l->diags.n_errors == 1 ? "" : "s", l->diags.n_warnings,
		  l->diags.n_warnings == 1 ? "" : "s",
		  output_quiet && l->diags.n_warnings && !json &&
		  !(opt.strict && failed) ? " (not shown: -q)" : "");
}

static int run(const struct command *cmd, char **args, size_t n_args)
{
	struct json_stream array = { 0 };
	struct lint_options o = {
		.probe = opt.probe,
		.run = cli_probe_options(),
		.sink = print_finding,
		.sink_data = &array,
		.ignore = opt.ignore,
	};
	struct searchpath sp;
	struct lint_result l;
	struct libvirt_in_use u;
	int status = EXIT_OK;

	if (opt.json && opt.format_given && opt.format != FORMAT_JSON)
		return cli_usage_error(cmd, "--json and --format=%s: give one "
				       "format", format_names[opt.format]);
	if (opt.json)
		opt.format = FORMAT_JSON;
	cli_searchpath(&sp);
	cli_libvirt(&sp, &u);
	o.libvirt = &u;
	if (n_args == 0)
		lint_searchpath(&sp, &o, &l);
	else
		lint_files(&sp, args, n_args, &o, &l);
	if (opt.handshake)
		handshake_lint(&sp, args, n_args, &o.run, &l.diags);
	if (l.diags.n_errors || (opt.strict && l.diags.n_warnings))
		status = EXIT_NOTFOUND;
	print_findings(&l, status != EXIT_OK, &array);
	lint_free(&l);
	libvirt_in_use_free(&u);
	searchpath_free(&sp);
	return status;
}

const struct command validate_command = {
	.name = "validate",
	.run = run,
	.options = options,
	.set_option = set_option,
	.operands = true,
	.synopsis = "[FILE|DIR|-]... [--probe] [--handshake] [--strict] "
		    "[--ignore RULE]... [--format FORMAT|--json]",
	.summary = "Check descriptors, or everything on the search path",
};
