/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * handshake NAME|PATH | --type TYPE [--feature F]... [--arg ARG]...
 * [--json]: start one backend on a private socket and speak vhost-user
 * to it as a front-end would (SPEC §9); print what it offered.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "commands.h"
#include "handshake.h"
#include "libvirt.h"
#include "output.h"
#include "report.h"
#include "resolve.h"
#include "util.h"

/* Where the names of a kind of features start, and where lines end. */
#define LABEL_WIDTH 19
#define LINE_WIDTH 79

struct words {
	char **v;
	size_t n;
};

static struct {
	const struct backend_type *type;
	struct words features;
	struct words args;	/* --arg, after the features' options */
	int json;
} opt;

enum { OPT_TYPE = 1, OPT_FEATURE, OPT_ARG };

static const struct poptOption options[] = {
	{ "type", '\0', POPT_ARG_STRING, NULL, OPT_TYPE,
	  "the backend match would choose for TYPE", "TYPE" },
	{ "feature", '\0', POPT_ARG_ARGV, NULL, OPT_FEATURE,
	  "pass the feature's option and check it is offered (repeatable)",
	  "FEATURE" },
	{ "arg", '\0', POPT_ARG_ARGV, NULL, OPT_ARG,
	  "add ARG to the backend's arguments (repeatable)", "ARG" },
	{ "json", '\0', POPT_ARG_NONE, &opt.json, 0,
	  "print a JSON object", NULL },
	POPT_TABLEEND
};

static void add_word(struct words *w, const char *s)
{
	w->v = xreallocarray(w->v, w->n + 2, sizeof(*w->v));
	w->v[w->n++] = xstrdup(s);
	w->v[w->n] = NULL;
}

static void free_words(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

/* A feature is passed by its option; one that has none is an --arg. */
static int add_feature(const struct command *cmd, const char *arg)
{
	const char *option;
	int status = cli_check_feature(cmd, arg);

	if (status)
		return status;
	switch (handshake_feature_option(arg, &option)) {
	case HANDSHAKE_NEEDS_VALUE:
		return cli_usage_error(cmd, "--feature '%s' needs a value: give the backend's option with --arg (--arg --%s=VALUE)",
				       arg, arg);
	case HANDSHAKE_NO_OPTION:
		return cli_usage_error(cmd, "--feature '%s' has no option to pass: give the backend's own with --arg",
				       arg);
	case HANDSHAKE_OPTION:
		break;
	}
	add_word(&opt.features, arg);
	return 0;
}

static int set_option(const struct command *cmd, int val, const char *arg)
{
	if (val == OPT_TYPE)
		return cli_set_type(cmd, arg, &opt.type);
	if (val == OPT_FEATURE)
		return add_feature(cmd, arg);
	add_word(&opt.args, arg);
	return 0;
}

/* Whether --arg gives an input backend its --evdev-path=P. */
static bool has_evdev_path(void)
{
	for (size_t i = 0; i < opt.args.n; i++)
		if (strncmp(opt.args.v[i], "--evdev-path=", 13) == 0)
			return true;
	return false;
}

/* One kind of features: its label, its value, its names wrapped under it. */
static void print_kind(const char *label, uint64_t value, char **names)
{
	char *hex = xasprintf("0x%llx", (unsigned long long)value);
	size_t col = LABEL_WIDTH + strlen(hex);

	printf("%-*s%s", LABEL_WIDTH, label, hex);
	for (size_t i = 0; names[i]; i++) {
		if (col + 1 + strlen(names[i]) > LINE_WIDTH) {
			printf("\n%*s", LABEL_WIDTH - 1, "");
			col = LABEL_WIDTH - 1;
		}
		printf(" %s", names[i]);
		col += 1 + strlen(names[i]);
	}
	putchar('\n');
	free(hex);
}

static json_t *kind_json(uint64_t value, char **names)
{
	char *hex = xasprintf("0x%llx", (unsigned long long)value);
	json_t *list = json_array();
	json_t *o;

	for (size_t i = 0; names[i]; i++)
		json_array_append_new(list, json_string(names[i]));
	o = json_pack("{s:s,s:o}", "value", hex, "names", list);
	free(hex);
	return o;
}

static void print_answer(const struct entry *e, const struct vu_answer *a)
{
	char **virtio = vu_feature_names(VU_VIRTIO, e->type, a->features);
	char **protocol = vu_feature_names(VU_PROTOCOL, NULL, a->protocol);

	if (opt.json) {
		json_t *o = json_object();

		json_object_set_new(o, "name", json_text(e->name));
		json_object_set_new(o, "binary", json_text(e->binary));
		json_object_set_new(o, "virtio-features",
				    kind_json(a->features, virtio));
		if (a->has_protocol)
			json_object_set_new(o, "protocol-features",
					    kind_json(a->protocol, protocol));
		if (a->has_queues)
			json_object_set_new(o, "queues", json_integer((json_int_t)a->queues));
		if (a->has_slots)
			json_object_set_new(o, "memory-slots", json_integer((json_int_t)a->slots));
		print_json(o);
		json_decref(o);
	} else {
		printf("%-*s", LABEL_WIDTH, "name");
		print_escaped(stdout, e->name);
		printf("\n%-*s", LABEL_WIDTH, "binary");
		print_escaped(stdout, e->binary);
		putchar('\n');
		print_kind("virtio features", a->features, virtio);
		if (a->has_protocol)
			print_kind("protocol features", a->protocol, protocol);
		if (a->has_queues)
			printf("%-*s%llu\n", LABEL_WIDTH, "queues",
			       (unsigned long long)a->queues);
		if (a->has_slots)
			printf("%-*s%llu\n", LABEL_WIDTH, "memory slots",
			       (unsigned long long)a->slots);
	}
	vu_free_names(virtio);
	vu_free_names(protocol);
}

/*
 * Whether the host can do what feature asks of a gpu: virgl needs a DRM
 * render node.  Where it cannot, a warning says so, and its device bit
 * is not checked (vhost-user-gpu offers it all the same).
 */
static bool host_can(const struct entry *e, const char *feature)
{
	char *error, *node;

	if (strcmp(e->type, "gpu") != 0 || strcmp(feature, "virgl") != 0)
		return true;
	node = libvirt_render_node(&error);
	if (!node)
		msg_warning("%s: no DRM render node on this host (%s): virgl cannot render here, and %s is not required",
			    e->path, error, vu_device_bit_name(e->type, 0));
	free(node);
	free(error);
	return node != NULL;
}

/* The device bits the features asked for that were not offered, as a message. */
static char *missing_bits(const struct entry *e, const struct vu_answer *a)
{
	char *missing = NULL;

	for (size_t i = 0; i < opt.features.n; i++) {
		int bit = vu_device_bit(e->type, opt.features.v[i]);
		char *more;

		if (bit < 0 || !host_can(e, opt.features.v[i]) ||
		    a->features & UINT64_C(1) << bit)
			continue;
		more = xasprintf("%s%s%s (for --feature '%s')",
				 missing ? missing : "", missing ? ", " : "",
				 vu_device_bit_name(e->type, bit),
				 opt.features.v[i]);
		free(missing);
		missing = more;
	}
	return missing;
}

/* Handshake with e's backend and print what it offered. */
static int handshake_entry(const struct searchpath *sp, const struct entry *e)
{
	struct probe_options po = cli_probe_options();
	struct words args = { 0 };
	struct handshake_result r;
	struct handshake_request q = { .type = e->type };
	int status = EXIT_OK;
	char *missing;

	for (size_t i = 0; i < opt.features.n; i++) {
		const char *option;

		handshake_feature_option(opt.features.v[i], &option);
		add_word(&args, option);
	}
	for (size_t i = 0; i < opt.args.n; i++)
		add_word(&args, opt.args.v[i]);
	q.args = args.v;
	q.n_args = args.n;
	handshake_run(sp, e->binary, &q, &po, &r);
	if (globals.verbose && r.containment)
		msg_error("%s: %s: handshake run %s", e->path, e->binary,
			  r.containment);
	if (!r.ok) {
		msg_error("%s: %s: %s", e->path, e->binary, r.reason);
		status = r.trouble ? EXIT_TROUBLE : EXIT_NOTFOUND;
	} else if ((missing = missing_bits(e, &r.answer))) {
		msg_error("%s: %s: does not offer %s", e->path, e->binary, missing);
		free(missing);
		status = EXIT_NOTFOUND;
	} else {
		print_answer(e, &r.answer);
	}
	handshake_result_free(&r);
	free_words(&args);
	return status;
}

/* An input backend needs its device: only the caller can name one. */
static int checked_entry(const struct command *cmd,
			 const struct searchpath *sp, const struct entry *e)
{
	if (strcmp(e->type, "input") == 0 && !has_evdev_path())
		return cli_usage_error(cmd, "%s: an input backend needs its device: add --arg --evdev-path=/dev/input/eventN",
				       e->path);
	return handshake_entry(sp, e);
}

/* A candidate passed over: said at once, as caps --type does. */
/* Say why a candidate could not be used; one that lacks a feature is only counted. */
static void passed_over(const struct entry *e, const char *reason, void *n)
{
	if (reason) {
		char *m = candidate_text(e, reason);

		msg_error("%s", m);
		free(m);
	}
	++*(size_t *)n;
}

static int handshake_type(const struct command *cmd,
			  const struct searchpath *sp)
{
	struct resolution res;
	const struct entry *e;
	int status = EXIT_NOTFOUND;
	size_t n_passed = 0;

	if (strcmp(opt.type->name, "input") == 0 && !has_evdev_path())
		return cli_usage_error(cmd, "an input backend needs its device: add --arg --evdev-path=/dev/input/eventN");
	resolve(sp, &(struct resolve_options){ 0 }, &res);
	report_resolution(&res);
	if (opt.features.n) {
		struct probe_options po = cli_probe_options();

		e = first_answering(sp, &res, opt.type->name, &po,
				    opt.features.v, opt.features.n,
				    passed_over, &n_passed);
	} else {
		e = first_startable(sp, &res, opt.type->name, passed_over,
				    &n_passed);
	}
	if (e)
		status = checked_entry(cmd, sp, e);
	else
		report_no_match(sp, opt.type->name, n_passed, opt.features.n > 0,
				opt.features.v, opt.features.n);
	resolution_free(&res);
	return status;
}

static int handshake_named(const struct command *cmd,
			   const struct searchpath *sp, const char *arg)
{
	struct lookup l;
	const struct entry *e = report_lookup_of(sp, arg, false, &l);
	int status = EXIT_NOTFOUND;

	if (e)
		status = checked_entry(cmd, sp, e);
	lookup_free(&l);
	return status;
}

static int run(const struct command *cmd, char **args, size_t n_args)
{
	struct searchpath sp;
	int status;

	if (n_args > 1) {
		status = cli_usage_error(cmd, "too many arguments");
	} else if (n_args == 0 && !opt.type) {
		status = cli_usage_error(cmd, "missing NAME, PATH or --type");
	} else if (n_args && opt.type) {
		status = cli_usage_error(cmd, "give one of NAME|PATH and --type");
	} else {
		cli_searchpath(&sp);
		status = opt.type ? handshake_type(cmd, &sp) :
			handshake_named(cmd, &sp, args[0]);
		searchpath_free(&sp);
	}
	free_words(&opt.features);
	free_words(&opt.args);
	return status;
}

const struct command handshake_command = {
	.name = "handshake",
	.run = run,
	.options = options,
	.set_option = set_option,
	.operands = true,
	.synopsis = "NAME|PATH | --type TYPE [--feature FEATURE]... [--arg ARG]... [--json]",
	.summary = "Start one backend and check that it serves vhost-user",
};
