/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * validate [FILE...] [--probe] [--strict] [--json]: a linter for
 * packagers and CI (the rules are lint.c's).  Diagnostics go to stderr
 * in the compiler format "FILE:LINE:COLUMN: error: MSG", without the
 * program name, so that editors and CI annotators can jump to them; with
 * --json, to stdout as one array.
 */
#include <stdlib.h>

#include "commands.h"
#include "handshake.h"
#include "lint.h"
#include "output.h"
#include "report.h"
#include "util.h"

static struct {
	int probe;
	int handshake;
	int strict;
	int json;
} opt;

static const struct poptOption options[] = {
	{ "probe", '\0', POPT_ARG_NONE, &opt.probe, 0,
	  "also run each backend's capability probe", NULL },
	{ "handshake", '\0', POPT_ARG_NONE, &opt.handshake, 0,
	  "also handshake with each active backend (not input)", NULL },
	{ "strict", '\0', POPT_ARG_NONE, &opt.strict, 0,
	  "exit 1 on warnings too", NULL },
	{ "json", '\0', POPT_ARG_NONE, &opt.json, 0,
	  "print the findings as a JSON array on stdout", NULL },
	POPT_TABLEEND
};

/*
 * Warnings count under -q too, so that --strict means the same whether
 * or not they are shown; a run that fails says so even under -q, with
 * its counts, so that a CI log is never empty.  --json: every finding,
 * as data, on stdout.
 */
static void print_finding(const struct diag *g, void *array)
{
	char *m;

	if (opt.json) {
		json_stream_add(array, diag_json(g));
		return;
	}
	/*
	 * Under --strict, the warnings that fail the run are shown: under
	 * it any warning fails the run.
	 */
	if (g->level == DIAG_WARNING && output_quiet && !opt.strict)
		return;
	m = diag_text(g, true);
	msg_plain("%s", m);
	free(m);
}

/* After the findings, printed as they were made: the counts. */
static void print_findings(const struct lint_result *l, bool failed,
			   struct json_stream *array)
{
	if (opt.json)
		json_stream_end(array);
	if (output_quiet && !failed)
		return;
	msg_plain("%zu file%s checked, %zu error%s, %zu warning%s%s", l->files,
		  l->files == 1 ? "" : "s", l->diags.n_errors,
		  l->diags.n_errors == 1 ? "" : "s", l->diags.n_warnings,
		  l->diags.n_warnings == 1 ? "" : "s",
		  output_quiet && l->diags.n_warnings && !opt.json &&
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
	};
	struct searchpath sp;
	struct lint_result l;
	struct libvirt_in_use u;
	int status = EXIT_OK;

	(void)cmd;
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
	.operands = true,
	.synopsis = "[FILE]... [--probe] [--handshake] [--strict] [--json]",
	.summary = "Check descriptors, or everything on the search path",
};
