/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * match --type TYPE [--feature F]... [--probe] [--all] [--json] [--file]:
 * the backend a management layer should start.  Candidates are the
 * active descriptors of TYPE in priority order whose binary can start;
 * backends are probed only when features (or --probe) are asked for,
 * lazily, and probing stops at the winner.
 */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "libvirt.h"
#include "lint-libvirt.h"
#include "commands.h"
#include "output.h"
#include "report.h"
#include "resolve.h"
#include "suggest.h"
#include "util.h"

static struct {
	const struct backend_type *type;
	char **features;
	size_t n_features, cap_features;
	int probe;
	int all;
	int json;
	int file;
	bool libvirt;
} opt;

enum { OPT_TYPE = 1, OPT_FEATURE, OPT_LIBVIRT };

static const struct poptOption options[] = {
	{ "type", '\0', POPT_ARG_STRING, NULL, OPT_TYPE,
	  "the backend type (required)", "TYPE" },
	{ "feature", '\0', POPT_ARG_ARGV, NULL, OPT_FEATURE,
	  "require a feature (repeatable; probes backends)", "FEATURE" },
	{ "probe", '\0', POPT_ARG_NONE, &opt.probe, 0,
	  "probe each candidate, passing over failures", NULL },
	{ "all", '\0', POPT_ARG_NONE, &opt.all, 0,
	  "every qualifying backend, in priority order", NULL },
	{ "json", '\0', POPT_ARG_NONE, &opt.json, 0,
	  "print a JSON object (an array with --all)", NULL },
	{ "file", '\0', POPT_ARG_NONE, &opt.file, 0,
	  "print the descriptor's path, not the binary", NULL },
	{ "libvirt", '\0', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
	  OPT_LIBVIRT, "what that libvirt would start (default: the installed)",
	  "VERSION" },
	POPT_TABLEEND
};

static int set_option(const struct command *cmd, int val, const char *arg)
{
	int status;

	if (val == OPT_TYPE)
		return cli_set_type(cmd, arg, &opt.type);
	if (val == OPT_LIBVIRT) {
		opt.libvirt = true;
		return arg && arg[0] ?
			cli_set_libvirt_version(cmd, "--libvirt", arg) : 0;
	}
	if ((status = cli_check_feature(cmd, arg)))
		return status;
	/* Doubling: realloc by one is quadratic where it always moves. */
	if (opt.n_features == opt.cap_features) {
		opt.cap_features = opt.cap_features ? 2 * opt.cap_features : 8;
		opt.features = xreallocarray(opt.features, opt.cap_features,
					     sizeof(*opt.features));
	}
	opt.features[opt.n_features++] = xstrdup(arg);
	return 0;
}

/* "'virgll' (did you mean 'virgl'?)": an unknown feature, for a warning. */
static char *unknown_feature_text(const char *feature)
{
	size_t n = 0;
	char *q, *hint, *text;

	while (opt.type->features[n])
		n++;
	q = quote(feature);
	hint = did_you_mean(feature, "", opt.type->features, n);
	text = xasprintf("%s%s", q, hint);
	free(hint);
	free(q);
	return text;
}

/*
 * Forward compatible: a feature newer than our table is still matched.
 * One warning, however many there are.
 */
static void warn_unknown_features(void)
{
	char **unknown = xcalloc(opt.n_features + 1, sizeof(*unknown));
	size_t n = 0;

	for (size_t i = 0; i < opt.n_features; i++)
		if (!schema_has_feature(opt.type, opt.features[i]))
			unknown[n++] = unknown_feature_text(opt.features[i]);
	if (n == 1) {
		msg_warning("feature %s is not a known %s feature; matching it anyway",
			    unknown[0], opt.type->name);
	} else if (n > 1) {
		char *list = word_list(unknown, n);

		msg_warning("features %s are not known %s features; matching them anyway",
			    list, opt.type->name);
		free(list);
	}
	for (size_t i = 0; i < n; i++)
		free(unknown[i]);
	free(unknown);
}

/* The asked-for features caps lacks, in order; the array only is allocated. */
static char **missing_features(const struct capabilities *caps, size_t *n)
{
	char **missing = xcalloc(opt.n_features + 1, sizeof(*missing));

	*n = 0;
	for (size_t i = 0; i < opt.n_features; i++)
		if (!capabilities_has(caps, opt.features[i]))
			missing[(*n)++] = opt.features[i];
	return missing;
}

/* What became of one candidate. */
struct verdict {
	bool chosen;
	bool trouble;		/* the tool could not run the backend */
	char *reason;		/* why not chosen */
	struct capabilities caps;	/* when probed and chosen */
};

/* Whether candidates are probed: for features, or with --probe. */
static bool probing(void)
{
	return opt.n_features > 0 || opt.probe;
}

/*
 * Judge one candidate: without features (or --probe), whether its
 * binary can start; with them, whether its probe succeeds and reports
 * every feature.  Runs the backend only in the second case.
 */
static void judge_candidate(const struct searchpath *sp, const struct entry *e,
			    struct verdict *v)
{
	struct backend_answer r;
	char **missing;
	size_t n_missing;

	memset(v, 0, sizeof(*v));
	if (!probing()) {
		v->chosen = backend_check(sp, e->binary, &r.reason) ==
			BACKEND_CAN_START;
		if (!v->chosen)
			v->reason = binary_reason_text(sp, e->binary, r.reason);
		free(r.reason);
		return;
	}
	struct probe_options po = cli_probe_options();

	if (!backend_probe(sp, e->binary, opt.type->name, &po, &r)) {
		v->trouble = r.trouble;
		/* Nothing ran: its binary could not be used. */
		v->reason = r.containment ? xstrdup(r.reason) :
			binary_reason_text(sp, e->binary, r.reason);
		backend_answer_free(&r);
		return;
	}
	missing = missing_features(&r.caps, &n_missing);
	if (n_missing) {
		char *lacks = word_list(missing, n_missing);
		char *has = r.caps.n_features ?
			word_list(r.caps.features, r.caps.n_features) :
			xstrdup("no features");

		v->reason = xasprintf("lacks %s %s (reports %s)",
				      n_missing > 1 ? "features" : "feature",
				      lacks, has);
		free(has);
		free(lacks);
		free(missing);
		backend_answer_free(&r);
		return;
	}
	free(missing);
	v->chosen = true;
	v->caps = r.caps;
	r.caps = (struct capabilities){ 0 };
	backend_answer_free(&r);
}

static void verdict_free(struct verdict *v)
{
	free(v->reason);
	capabilities_free(&v->caps);
}

static json_t *winner_json(const struct entry *e,
			   const struct capabilities *caps)
{
	json_t *o = entry_json(e);
	json_t *features;

	if (!probing())
		return o;
	features = json_array();
	for (size_t i = 0; i < caps->n_features; i++)
		json_array_append_new(features, json_text(caps->features[i]));
	json_object_set_new(o, "features", features);
	return o;
}

static void print_winner(const struct entry *e,
			 const struct capabilities *caps,
			 struct json_stream *array)
{
	json_t *j;

	if (!opt.json) {
		print_value(opt.file ? e->path : e->binary);
		return;
	}
	j = winner_json(e, caps);
	if (opt.all) {
		json_stream_add(array, j);
	} else {
		print_json(j);
		json_decref(j);
	}
}

/* Rejections are said at once with -v, else only if nothing wins. */
struct rejections {
	char **v;
	size_t n;
};

static void reject(struct rejections *r, const struct entry *e,
		   const char *reason)
{
	char *m = candidate_text(e, reason);

	if (globals.verbose) {
		msg_error("%s", m);
		free(m);
		return;
	}
	r->v = xreallocarray(r->v, r->n + 1, sizeof(*r->v));
	r->v[r->n++] = m;
}

static void rejections_finish(struct rejections *r, bool say)
{
	for (size_t i = 0; i < r->n; i++) {
		if (say)
			msg_error("%s", r->v[i]);
		free(r->v[i]);
	}
	free(r->v);
}

/* The candidates judged in order, until the winner (every one with --all). */
struct judging {
	size_t n_candidates, n_found;
	bool trouble;
	const struct entry *last;	/* the last one judged */
	struct rejections rejected;
	struct json_stream array;
};

static void judge_all(const struct searchpath *sp,
		      const struct resolution *res, struct judging *j)
{
	const char *type = opt.type->name;

	for (const struct entry *e = resolution_next_of_type(res, type, NULL);
	     e; e = resolution_next_of_type(res, type, e)) {
		struct verdict v;

		if (globals.verbose)
			report_policy_between(res, type, j->last, e, false);
		j->last = e;
		j->n_candidates++;
		judge_candidate(sp, e, &v);
		j->trouble |= v.trouble;
		if (v.chosen) {
			if (globals.verbose)
				report_winner(res, e, j->n_candidates == 1);
			print_winner(e, &v.caps, &j->array);
			j->n_found++;
		} else {
			reject(&j->rejected, e, v.reason);
		}
		verdict_free(&v);
		if (j->n_found && !opt.all)
			break;
	}
	if (globals.verbose)
		report_policy_between(res, type, j->last, NULL,
				      j->n_found && !opt.all);
}

static int find_winners(void)
{
	struct searchpath sp;
	struct resolution res;
	struct judging j = { 0 };

	cli_searchpath(&sp);
	/* --json prints description and tags: the descriptors are kept. */
	resolve(&sp, &(struct resolve_options){
		.keep = opt.json ? KEEP_MEMBERS : KEEP_TYPE_BINARY,
		.load_all = globals.verbose,	/* -v: what is hidden, too */
	}, &res);
	report_resolution(&res);
	warn_unknown_features();
	judge_all(&sp, &res, &j);
	rejections_finish(&j.rejected, j.n_found == 0);
	if (j.n_found == 0)
		report_no_match(&sp, opt.type->name, j.n_candidates, probing(),
				opt.features, opt.n_features);
	if (opt.json && opt.all)
		json_stream_end(&j.array);
	resolution_free(&res);
	searchpath_free(&sp);
	if (j.n_found)
		return EXIT_OK;
	return j.trouble ? EXIT_TROUBLE : EXIT_NOTFOUND;
}

/* --libvirt: libvirt's own choice, for gpu and fs (SPEC §10). */
static int libvirt_usage(const struct command *cmd)
{
	bool gpu = strcmp(opt.type->name, "gpu") == 0;

	if (!gpu && strcmp(opt.type->name, "fs") != 0)
		return cli_usage_error(cmd, "--libvirt: libvirt chooses vhost-user backends for gpu and fs only");
	if (opt.all || opt.probe)
		return cli_usage_error(cmd, "--libvirt and %s exclude each other",
				       opt.all ? "--all" : "--probe");
	for (size_t i = 0; i < opt.n_features; i++)
		if (!gpu || (strcmp(opt.features[i], "virgl") != 0 &&
			     strcmp(opt.features[i], "render-node") != 0)) {
			char *q = quote(opt.features[i]);
			int rc = cli_usage_error(cmd, "--libvirt: feature %s is no part of a domain libvirt knows%s",
						 q, gpu ?
						 " (virgl is a 3D domain, render-node one that names its render node)" :
						 "");

			free(q);
			return rc;
		}
	return 0;
}

/* libvirt would fail: why in our words (when about a file), and its error. */
static int libvirt_fails(const struct libvirt_in_use *u, const char *path,
			 const char *why, const char *error)
{
	struct esc_pool p = { 0 };

	if (path)
		msg_error("%s: %s", esc(&p, path), why);
	esc_pool_free(&p);
	msg_error("%s would fail, saying: %s", u->name, error);
	return EXIT_NOTFOUND;
}

static void print_libvirt_winner(const struct libvirt_in_use *u,
				 const struct libvirt_file *f)
{
	json_t *o;

	if (!opt.json) {
		print_value(opt.file ? f->path : f->binary);
		return;
	}
	o = json_object();
	json_object_set_new(o, "name", json_text(f->name));
	json_object_set_new(o, "file", json_text(f->path));
	json_object_set_new(o, "type", json_text(f->type));
	json_object_set_new(o, "binary", json_text(f->binary));
	json_object_set_new(o, "libvirt", json_text(u->name + strlen("libvirt ")));
	print_json(o);
	json_decref(o);
}

/* With -v, or when nothing is chosen: what became of each candidate probed. */
static void say_tries(const struct libvirt_choice *c)
{
	for (size_t i = 0; i < c->n_tries; i++) {
		char *why = libvirt_try_text(&c->tries[i]);

		struct esc_pool p = { 0 };

		if (why)
			msg_error("%s: %s: %s", esc(&p, c->tries[i].file->path),
				  c->tries[i].file->binary ?
				  esc(&p, c->tries[i].file->binary) : "no 'binary'",
				  why);
		esc_pool_free(&p);
		free(why);
	}
}

/* libvirt chose an fs backend it then cannot start (qemuVirtioFSStart). */
static int fs_not_executable(const struct libvirt_in_use *u,
			     const struct libvirt_file *f)
{
	char *error = xasprintf("internal error: virtiofsd binary '%s' is not executable",
				f->binary);
	int status = libvirt_fails(u, f->path, "its binary cannot be executed",
				   error);

	free(error);
	return status;
}

/* What libvirt makes of its choice c: 0 and the winner printed, or 1. */
static int libvirt_outcome(const struct searchpath *sp,
			   const struct libvirt_in_use *u,
			   const struct libvirt_choice *c, bool explicit_node)
{
	const struct libvirt_file *f = c->chosen;
	char *error = NULL, *node = NULL;
	int status = EXIT_NOTFOUND;
	bool fs = strcmp(opt.type->name, "fs") == 0;
	struct esc_pool pool = { 0 };

	if (globals.verbose || (!f && !c->unknown))
		say_tries(c);
	if (c->unknown)
		msg_error("cannot tell what %s would choose: the tool does not run a probe it would run", u->name);
	else if (!f)
		status = libvirt_fails(u, NULL, NULL, c->error);
	else if (!f->binary)
		msg_error("%s: %s would choose it, but it has no 'binary'",
			  esc(&pool, f->path), u->name);
	else if (fs && !libvirt_is_executable(sp, f->binary))
		status = fs_not_executable(u, f);
	else if (c->render_node && !explicit_node &&
		 !(node = libvirt_render_node(&error)))
		status = libvirt_fails(u, f->path, "reports render-node, and this host has no DRM render node", error);
	else {
		print_libvirt_winner(u, f);
		status = EXIT_OK;
	}
	free(node);
	free(error);
	esc_pool_free(&pool);
	return status;
}

static int match_libvirt(void)
{
	struct searchpath sp;
	struct libvirt_in_use u;
	struct libvirt_view v;
	struct libvirt_choice c;
	struct probe_options po = cli_probe_options();
	const struct libvirt_file *stop;
	bool explicit_node = false;
	int status;

	for (size_t i = 0; i < opt.n_features; i++)
		explicit_node |= strcmp(opt.features[i], "render-node") == 0;
	cli_searchpath(&sp);
	cli_libvirt(&sp, &u);
	libvirt_lookup(&sp, NULL, u.rules, &v);
	stop = libvirt_lookup_stop(&v);
	if (stop && stop->state == LIBVIRT_UNKNOWN) {
		char *path = escape_text(stop->path);

		msg_error("%s: cannot tell whether %s parses it: its JSON parser may take what the tool rejects",
			  path, u.name);
		free(path);
		status = EXIT_NOTFOUND;
	} else if (stop) {
		status = libvirt_fails(&u, stop->path, stop->why, stop->error);
	} else {
		libvirt_choose(&v, &sp, u.rules, opt.type->name, &(struct libvirt_ask){
			.probe = true, .run = &po,
			.need = opt.features, .n_need = opt.n_features,
		}, &c);
		status = libvirt_outcome(&sp, &u, &c, explicit_node);
		libvirt_choice_free(&c);
	}
	libvirt_view_free(&v);
	libvirt_in_use_free(&u);
	searchpath_free(&sp);
	return status;
}

static int run(const struct command *cmd, char **args, size_t n_args)
{
	int status;

	(void)args, (void)n_args;
	if (!opt.type)
		status = cli_usage_error(cmd, "missing --type TYPE");
	else if (opt.json && opt.file)
		status = cli_usage_error(cmd, "--json and --file exclude each other");
	else if (opt.libvirt)
		status = libvirt_usage(cmd) ? EXIT_USAGE : match_libvirt();
	else
		status = find_winners();
	for (size_t i = 0; i < opt.n_features; i++)
		free(opt.features[i]);
	free(opt.features);
	return status;
}

const struct command match_command = {
	.name = "match",
	.run = run,
	.options = options,
	.set_option = set_option,
	.synopsis = "--type TYPE [--feature FEATURE]... [--probe] [--all] [--libvirt[=VERSION]] [--json] [--file]",
	.summary = "Print the backend that wins for a type and features",
};
