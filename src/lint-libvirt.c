/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * validate's libvirt notes: where libvirt (libvirt.c's model of it)
 * would decide otherwise than the tool does on the same tree, and what
 * it would do, in words.  Every note is a warning.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "libvirt.h"
#include "lint-libvirt.h"
#include "report.h"
#include "util.h"

/* One comparison in progress. */
struct notes {
	const struct searchpath *sp;
	const struct resolution *ours;	/* settled */
	const struct libvirt_view *v;
	const struct libvirt_in_use *u;	/* the libvirt spoken for */
	struct diags *out;
};

static void __attribute__((format(printf, 4, 5)))
note(struct notes *m, enum rule rule, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(m->out, rule, DIAG_WARNING, path, 0, 0, fmt, ap);
	va_end(ap);
}

/* Our entry for the file at path, and the one that takes effect for name. */
static const struct entry *ours_at(const struct notes *m, const char *name,
				   const char *path, const struct entry **eff)
{
	size_t n;
	const struct entry *named = resolution_named(m->ours, name, &n);
	const struct entry *same = NULL;

	*eff = NULL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(named[i].path, path) == 0)
			same = &named[i];
		if (!*eff && entry_takes_effect(&named[i]))
			*eff = &named[i];
	}
	return same;
}

static void compare_failure(struct notes *m, const struct libvirt_file *f)
{
	const struct entry *eff, *same = ours_at(m, f->name, f->path, &eff);

	if (!f->name[0])
		note(m, RULE_LIBVIRT_FAILS, f->path, "%s would fail every vhost-user lookup: %s",
		     m->u->name, f->why);
	else if (same && same->status == STATUS_SKIPPED)
		note(m, RULE_LIBVIRT_FAILS, f->path, "not a candidate (%s), but %s reads it "
		     "and would fail every vhost-user lookup: it cannot stat it (%s)",
		     same->reason, m->u->name, f->why);
	else
		note(m, RULE_LIBVIRT_FAILS, f->path, "%s would fail every vhost-user lookup "
		     "on this entry: it cannot stat it (%s)", m->u->name, f->why);
}

/* A file that is no candidate to us, by its name. */
static void compare_skipped(struct notes *m, const struct libvirt_file *f,
			    const struct entry *same)
{
	if (f->state == LIBVIRT_FAILS)
		note(m, RULE_LIBVIRT_FAILS, f->path, "not a candidate (%s), but %s"
		     " reads it and would fail every vhost-user lookup: %s",
		     same->reason, m->u->name, f->why);
	else if (f->state == LIBVIRT_USED)
		note(m, RULE_LIBVIRT_USES, f->path, "not a candidate (%s), but %s"
		     " reads it and would offer it as a %s backend",
		     same->reason, m->u->name, f->type);
}

/* A file libvirt offers as a backend. */
static void compare_used(struct notes *m, const struct libvirt_file *f,
			 const struct entry *same, bool ours_invalid)
{
	if (ours_invalid && f->quirk)
		note(m, RULE_LIBVIRT_USES, f->path, "%s uses this file as a %s backend: %s",
		     m->u->name, f->type, f->quirk);
	else if (ours_invalid)
		note(m, RULE_LIBVIRT_USES, f->path, "%s does not reject this file: it does not "
		     "check 'binary'%s", m->u->name, strcmp(f->type, "gpu") == 0 ?
		     ", and passes over it as a gpu backend once its probe fails" :
		     "");
	else if (same && same->untrusted)
		note(m, RULE_LIBVIRT_USES, f->path, "%s does not check who owns or may write "
		     "this file, and would offer it as a %s backend", m->u->name,
		     f->type);
	else if (!same)
		note(m, RULE_LIBVIRT_USES, f->path, "the %s daemon of %s reads this "
		     "file, which the tool does not, and would offer it as a "
		     "%s backend", m->v->session ? "session" : "system", m->u->name,
		     f->type);
}

/*
 * What libvirt makes of file f, against ours: same is our entry for it
 * (NULL: we do not read it), eff ours for its name.
 */
static void compare_one(struct notes *m, const struct libvirt_file *f,
			const struct entry *same, const struct entry *eff)
{
	bool ours_invalid = same && same == eff &&
			    same->status == STATUS_INVALID;

	/* Our link to /dev/null hides it from us: said with the link. */
	if (eff && eff != same && eff->devnull)
		return;
	if (same && same->status == STATUS_SKIPPED) {
		compare_skipped(m, f, same);
		return;
	}
	switch (f->state) {
	case LIBVIRT_FAILS:
		note(m, RULE_LIBVIRT_FAILS, f->path, "%s would fail every vhost-user lookup "
		     "on this file%s: %s", m->u->name, ours_invalid ?
		     " instead of skipping it" : "", f->why);
		break;
	case LIBVIRT_USED:
		compare_used(m, f, same, ours_invalid);
		break;
	case LIBVIRT_MASK:
		if (same && same->status == STATUS_INVALID)
			note(m, RULE_LIBVIRT_MASK, f->path, "%s takes this file for a mask: "
			     "its size is 0", m->u->name);
		break;
	case LIBVIRT_UNKNOWN:
		break;
	}
}

static void compare_file(struct notes *m, const struct libvirt_file *f)
{
	const struct entry *eff, *same = ours_at(m, f->name, f->path, &eff);

	compare_one(m, f, same, eff);
}

/* Our links to /dev/null: libvirt skips them and reads on. */
static void compare_devnull(struct notes *m)
{
	for (size_t i = 0; i < m->ours->n; i++) {
		const struct entry *e = &m->ours->entries[i];
		const struct libvirt_file *f;

		if (!e->devnull || !entry_takes_effect(e))
			continue;
		f = libvirt_find(m->v, e->name);
		if (f && f->state != LIBVIRT_MASK)
			note(m, RULE_LIBVIRT_MASK, e->path, "%s: %s does not take it as a "
			     "mask and would read %s instead%s; use an empty file",
			     mask_kind(e), m->u->name, f->path, f->state == LIBVIRT_FAILS ?
			     " (and fail every vhost-user lookup on it)" : "");
		else
			note(m, RULE_LIBVIRT_MASK, e->path, "%s: %s does not take it as a "
			     "mask; use an empty file", mask_kind(e), m->u->name);
	}
}

/* The user directory, which the system daemon never reads. */
static void compare_user_dir(struct notes *m)
{
	const struct search_dir *dir = searchpath_user_dir(m->sp);
	size_t n = 0;

	if (!dir)
		return;
	for (size_t i = 0; i < m->ours->n; i++)
		if (&m->sp->dirs[m->ours->entries[i].dir] == dir &&
		    m->ours->entries[i].name[0] != '.')
			n++;
	if (n)
		note(m, RULE_LIBVIRT_DIRS, dir->path, "%zu file%s in the user directory: the system "
		     "daemon of %s never reads it, so a privileged "
		     "libvirtd chooses without %s", n, n == 1 ? "" : "s", m->u->name,
		     n == 1 ? "it" : "them");
	if (m->v->session_dir && strcmp(m->v->session_dir, dir->path) != 0)
		note(m, RULE_LIBVIRT_DIRS, NULL, "the session daemon of %s reads %s, not %s: "
		     "it takes XDG_CONFIG_HOME and HOME as they are, empty or "
		     "relative (a relative one against its own working directory)",
		     m->u->name, m->v->session_dir, dir->path);
}

/* Probes libvirt would run that the tool does not. */
static void note_refused(struct notes *m, const struct libvirt_choice *c,
			 const char *type)
{
	for (size_t i = 0; i < c->n_tries; i++) {
		const struct libvirt_try *t = &c->tries[i];

		if (t->outcome == LIBVIRT_PROBE_REFUSED)
			note(m, RULE_LIBVIRT_CHOICE, t->file->path, "%s would run %s for its %s "
			     "probe (%s), which the tool does not do",
			     m->u->name, t->file->binary, type, t->reason);
	}
}

char *libvirt_try_text(const struct libvirt_try *t)
{
	switch (t->outcome) {
	case LIBVIRT_PROBE_FAILED:
		return xasprintf("its probe fails: %s", t->reason);
	case LIBVIRT_PROBE_NOT_JSON:
		return xstrdup("its answer is not JSON");
	case LIBVIRT_PROBE_NO_FEATURES:
		return xstrdup("its answer has no 'features'");
	case LIBVIRT_PROBE_LACKS:
		return xstrdup("its answer lacks a feature the domain needs");
	case LIBVIRT_PROBE_REFUSED:
		return xasprintf("the tool does not run its probe (%s)", t->reason);
	case LIBVIRT_PROBE_CHOSEN:
		break;
	}
	return NULL;
}

/* Why libvirt passed over the file at path, when its probe did; or NULL. */
static char *passed_over(const struct libvirt_choice *c, const char *path)
{
	for (size_t i = 0; path && i < c->n_tries; i++) {
		const struct libvirt_try *t = &c->tries[i];

		if (strcmp(t->file->path, path) == 0 &&
		    t->outcome != LIBVIRT_PROBE_REFUSED)
			return libvirt_try_text(t);
	}
	return NULL;
}

/* The chosen gpu backend reports render-node: is there one to give it? */
static void compare_render_node(struct notes *m, const struct libvirt_file *f)
{
	char *error, *node = libvirt_render_node(&error);

	if (!node)
		note(m, RULE_LIBVIRT_CHOICE, f->path, "%s would choose this gpu backend, which reports "
		     "render-node, and then fail to start the guest: this host "
		     "has no DRM render node (libvirt: %s)", m->u->name, error);
	free(node);
	free(error);
}

/* Unprobed, only fs is known: libvirt takes its first candidate. */
static void compare_fs_unprobed(struct notes *m, const struct libvirt_file *f,
				const char *mine)
{
	char *reason = NULL;
	bool starts = f->binary &&
		backend_check_as_is(m->sp, f->binary, &reason) ==
		BACKEND_CAN_START;

	if (!starts) {
		note(m, RULE_LIBVIRT_CHOICE, f->path, "%s would choose this fs backend although "
		     "its binary cannot start (%s), and the guest would then "
		     "fail to start; match chooses %s", m->u->name,
		     f->binary ? reason : "no 'binary'", mine ? mine : "none");
	} else {
		free(reason);
		if (backend_check(m->sp, f->binary, &reason) ==
		    BACKEND_NOT_TRUSTED)
			note(m, RULE_LIBVIRT_CHOICE, f->path, "%s would choose this fs backend "
			     "and start it, although root should not (%s); "
			     "match chooses %s", m->u->name, reason,
			     mine ? mine : "none");
	}
	free(reason);
}

/* Whether a and b (each a path or NULL: none) name the same choice. */
static bool same_path(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/*
 * With --probe: libvirt's choice against match's (mine) and match
 * --probe's, said when it differs from either.
 */
static void compare_probed_choice(struct notes *m, const char *type,
				  const struct libvirt_choice *c,
				  const char *mine,
				  const struct lint_options *o)
{
	const char *theirs = c->chosen ? c->chosen->path : NULL;
	const struct entry *answering = first_answering(m->sp, m->ours, type,
							&o->run, NULL, 0,
							NULL, NULL);
	const char *probed = answering ? answering->path : NULL;
	bool also = !same_path(probed, mine);
	char *why;

	if (same_path(theirs, mine) && same_path(theirs, probed))
		return;
	why = passed_over(c, mine);
	note(m, RULE_LIBVIRT_CHOICE, NULL, "%s would choose %s for %s%s; match chooses %s%s%s%s%s%s",
	     m->u->name, theirs ? theirs : "none", type,
	     c->probed ? "" : ", unprobed", mine ? mine : "none",
	     why ? " (" : "", why ? why : "", why ? ")" : "",
	     also ? ", match --probe " : "", also ? (probed ? probed : "none") : "");
	free(why);
}

static void compare_choice(struct notes *m, const char *type,
			   const struct lint_options *o)
{
	const struct entry *ours = first_startable(m->sp, m->ours, type, NULL,
						   NULL);
	const char *mine = ours ? ours->path : NULL;
	struct libvirt_choice c;
	const struct libvirt_file *theirs;

	libvirt_choose(m->v, m->sp, m->u->rules, type, &(struct libvirt_ask){
		.probe = o->probe, .run = &o->run,
	}, &c);
	note_refused(m, &c, type);
	theirs = c.chosen;
	if (c.render_node && theirs)
		compare_render_node(m, theirs);
	if (c.refused && mine)
		note(m, RULE_LIBVIRT_CHOICE, NULL, "the session daemon of %s refuses %s before any "
		     "lookup ('%s'); match chooses %s", m->u->name, type,
		     c.error, mine);
	if (!c.refused && !c.unknown) {
		if (!c.probed && theirs && strcmp(type, "fs") == 0 &&
		    !same_path(theirs->path, mine))
			compare_fs_unprobed(m, theirs, mine);
		if (o->probe)
			compare_probed_choice(m, type, &c, mine, o);
	}
	libvirt_choice_free(&c);
}

void lint_libvirt(const struct searchpath *sp, const struct resolution *ours,
		  const struct lint_options *o, struct diags *out)
{
	struct libvirt_view v;
	struct notes m = { .sp = sp, .ours = ours, .v = &v, .u = o->libvirt,
			   .out = out };

	libvirt_lookup(sp, ours, o->libvirt->rules, &v);
	compare_user_dir(&m);
	for (size_t i = 0; i < v.n_failures; i++)
		compare_failure(&m, &v.failures[i]);
	for (size_t i = 0; i < v.n_files; i++)
		compare_file(&m, &v.files[i]);
	compare_devnull(&m);
	/* A lookup that fails chooses nothing: said above. */
	if (!libvirt_lookup_stop(&v)) {
		compare_choice(&m, "gpu", o);
		compare_choice(&m, "fs", o);
	}
	libvirt_view_free(&v);
}

void lint_libvirt_whose(const struct libvirt_in_use *u, struct diags *out)
{
	struct notes m = { .u = u, .out = out };
	const struct libvirt_version *r = &u->rules->since;

	if (u->source == LIBVIRT_NONE)
		note(&m, RULE_LIBVIRT_VERSION, NULL, "no libvirt found (libvirt.so.0.* in %s): the "
		     "libvirt notes speak for %s, the newest modelled",
		     libvirt_library_dirs(), u->name);
	else if (u->older)
		note(&m, RULE_LIBVIRT_VERSION, NULL, "%s is older than every release modelled: the "
		     "libvirt notes follow libvirt %d.%d, the oldest", u->name,
		     r->major, r->minor);
	else if (!libvirt_modelled_exactly(u))
		note(&m, RULE_LIBVIRT_VERSION, NULL, "%s is not modelled itself: the libvirt notes "
		     "follow libvirt %d.%d, the release modelled before it",
		     u->name, r->major, r->minor);
	if (u->no_qemu_driver)
		note(&m, RULE_LIBVIRT_VERSION, u->library, "%s is installed without its QEMU driver: "
		     "no daemon on this machine reads descriptors", u->name);
}

void lint_libvirt_file(const struct resolution *res, const struct entry *e,
		       const struct libvirt_in_use *u, struct diags *out)
{
	struct libvirt_view v = { 0 };
	struct notes m = { .v = &v, .u = u, .out = out };
	struct libvirt_file f;

	if (e->devnull && e->symlink) {
		note(&m, RULE_LIBVIRT_MASK, e->path, "%s does not take %s as a mask: it skips "
		     "it (an empty file is a mask to both)", u->name, mask_kind(e));
		return;
	}
	if (!libvirt_read_entry(res, e, u->rules, &f))
		return;
	compare_one(&m, &f, e, e);
	libvirt_file_clear(&f);
}
