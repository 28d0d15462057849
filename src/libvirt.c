/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model, read from libvirt 11.3's code:
 *
 * Lookup.  The directories are QEMU_DATADIR/vhost-user, then
 * SYSCONFDIR/qemu/vhost-user, then, for a session (unprivileged) daemon
 * only, $XDG_CONFIG_HOME/qemu/vhost-user, XDG_CONFIG_HOME taken as it is
 * whenever it is set (empty or relative too), else $HOME/.config, HOME
 * likewise as it is.  A directory that does not exist is empty; one that
 * cannot be opened or read fails the whole lookup.  Every entry but a
 * hidden one is stat'ed, links followed, whatever its name: one that
 * cannot be fails the whole lookup; one that is not a regular file is
 * skipped (a link to /dev/null too: it neither masks nor overrides).  The
 * most specific regular file of a name wins; one of size 0 is a mask; the
 * rest are sorted by name (strcmp).
 *
 * Reading.  Each file that takes effect is read (at most 1 MiB) as a C
 * string, so a raw NUL ends it, and parsed by json-c in strict mode with
 * its default depth: a duplicate key keeps its last value, \u0000 cuts a
 * string there, a value inside 32 or more arrays and objects fails.  It
 * must be an object whose "type" is a known type; "binary" is taken as
 * it is, unchecked.  One file that fails fails the whole lookup.
 *
 * Choosing.  gpu: each candidate in order is probed, feature or not, and
 * the first whose probe exits 0 with JSON that has a "features" array
 * wins (its type is not checked).  fs: the first candidate wins unless
 * its probe exits 0 with output that is not JSON; a binary that cannot
 * run is chosen, and the guest then fails to start.
 */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>

#include "backend.h"
#include "json-shape.h"
#include "libvirt.h"
#include "rootfs.h"
#include "schema.h"
#include "util.h"

/* json-c's default depth: a value inside this many containers fails. */
#define JSONC_MAX_NESTING 32

/* One directory libvirt reads. */
struct lv_dir {
	char *path;		/* as shown */
	struct rootfs_dir d;	/* how it is reached; d.fd -1 when absent */
};

enum lv_state {
	LV_USED,		/* a descriptor it offers */
	LV_MASK,		/* size 0 */
	LV_FAILS,		/* it fails every lookup on it */
	LV_UNKNOWN,		/* json-c may take what jansson rejects: no claim */
};

/* One entry libvirt keeps, or one it fails on. */
struct lv_file {
	char *name;
	char *path;
	size_t dir;
	enum lv_state state;
	char *why;		/* LV_FAILS: the cause */
	char *type;		/* LV_USED */
	char *binary;		/* LV_USED: NULL when absent or not a string */
	const char *quirk;	/* LV_USED: what json-c took that jansson rejects */
};

struct model {
	const struct searchpath *sp;
	const struct resolution *ours;
	const struct libvirt_options *o;
	struct diags *out;
	struct lv_dir *dirs;
	size_t n_dirs;
	bool session;		/* a session daemon, with a user directory */
	struct lv_file *files;	/* by name: what takes effect */
	size_t n_files;
	struct lv_file *failures;	/* entries it cannot stat */
	size_t n_failures;
};

static void __attribute__((format(printf, 3, 4)))
note(struct model *m, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(m->out, DIAG_WARNING, path, 0, 0, fmt, ap);
	va_end(ap);
}

/* ---- the lookup ------------------------------------------------------ */

static void add_dir(struct model *m, const char *path, const char *where,
		    const struct rootfs *fs)
{
	struct lv_dir *d;

	m->dirs = xreallocarray(m->dirs, m->n_dirs + 1, sizeof(*m->dirs));
	d = &m->dirs[m->n_dirs++];
	d->path = xstrdup(path);
	d->d = (struct rootfs_dir){ .fs = fs, .where = xstrdup(where), .fd = -1 };
}

/* The session daemon's user directory, as libvirt computes it. */
static char *session_dir(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct passwd *pw;

	if (xdg)
		return xasprintf("%s/qemu/vhost-user", xdg);
	if (!home && (pw = getpwuid(getuid())))
		home = pw->pw_dir;
	/* GLib falls back to "/" when it finds no home at all. */
	return xasprintf("%s/.config/qemu/vhost-user", home ? home : "/");
}

/*
 * The directories of the daemon modelled.  On a --dir or --root path,
 * the same ones (the caller's choice, or the staged system's).  On the
 * default one, the distro and admin directories, and for a caller that
 * is not root (and searches a user directory), the session daemon's own.
 */
static void model_dirs(struct model *m)
{
	const struct searchpath *sp = m->sp;

	for (size_t i = 0; i < sp->n; i++) {
		const struct search_dir *dir = &sp->dirs[i];

		if (dir->origin == DIR_USER) {
			m->session = geteuid() != 0;
			continue;
		}
		add_dir(m, dir->path, dir->where, dir->in_root ? sp->fs : NULL);
	}
	if (m->session) {
		char *user = session_dir();

		add_dir(m, user, user, NULL);
		free(user);
	}
}

static struct lv_file *find_file(struct model *m, const char *name)
{
	for (size_t i = 0; i < m->n_files; i++)
		if (strcmp(m->files[i].name, name) == 0)
			return &m->files[i];
	return NULL;
}

static struct lv_file *new_file(struct lv_file **v, size_t *n)
{
	struct lv_file *f;

	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	f = &(*v)[(*n)++];
	memset(f, 0, sizeof(*f));
	return f;
}

static void clear_file(struct lv_file *f)
{
	free(f->name);
	free(f->path);
	free(f->why);
	free(f->type);
	free(f->binary);
}

/* A later directory's regular file of a name replaces an earlier one's. */
static void keep(struct model *m, size_t dir, const char *name)
{
	struct lv_file *f = find_file(m, name);

	if (f)
		clear_file(f);
	else
		f = new_file(&m->files, &m->n_files);
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(name);
	f->path = path_join(m->dirs[dir].path, name);
	f->dir = dir;
}

static void fail_on(struct model *m, size_t dir, const char *name, char *why)
{
	struct lv_file *f = new_file(&m->failures, &m->n_failures);

	f->name = xstrdup(name);
	f->path = name[0] ? path_join(m->dirs[dir].path, name) :
		xstrdup(m->dirs[dir].path);
	f->dir = dir;
	f->state = LV_FAILS;
	f->why = why;
}

static void scan(struct model *m, size_t i)
{
	struct rootfs_dir *d = &m->dirs[i].d;
	DIR *dir;
	struct dirent *de;
	int fd;

	d->fd = rootfs_dir(d->fs, d->where);
	if (d->fd < 0) {
		if (errno != ENOENT)
			fail_on(m, i, "", xasprintf("it cannot read this directory (%s)",
						    strerror(errno)));
		return;
	}
	if (d->fs) {
		/* Named as the tool's resolution names it. */
		char *shown = rootfs_shown_path(d->fd, m->dirs[i].path);

		free(m->dirs[i].path);
		m->dirs[i].path = shown;
	}
	fd = fcntl(d->fd, F_DUPFD_CLOEXEC, 3);
	dir = fd < 0 ? NULL : fdopendir(fd);
	if (!dir) {
		fail_on(m, i, "", xasprintf("it cannot read this directory (%s)",
					    strerror(errno)));
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((errno = 0, de = readdir(dir))) {
		struct rootfs_node node;

		/* Hidden names, "." and ".." among them, are never looked at. */
		if (de->d_name[0] == '.')
			continue;
		rootfs_classify(d, de->d_name, de->d_type, true, &node);
		if (node.error)
			fail_on(m, i, de->d_name,
				rootfs_unresolved_reason(d, de->d_name,
							 node.symlink,
							 node.error));
		else if (S_ISREG(node.st.st_mode))
			keep(m, i, de->d_name);
	}
	if (errno)
		fail_on(m, i, "", xasprintf("it cannot read this directory (%s)",
					    strerror(errno)));
	closedir(dir);
}

/* What json-c accepts that the tool rejects, in this file's words. */
static const char *quirk_of(const char *buf, size_t len, size_t cut)
{
	json_error_t err;
	json_t *strict;

	if (cut < len)
		return "it ignores everything from the NUL byte on";
	strict = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (strict) {
		json_decref(strict);
		return NULL;
	}
	if (json_error_code(&err) == json_error_duplicate_key)
		return "its JSON parser keeps the last value of a duplicate key";
	if (json_error_code(&err) == json_error_null_character)
		return "its JSON parser cuts a string at U+0000";
	return NULL;
}

/*
 * json-c checks only the shape of UTF-8: a lead byte below F8 and the
 * right number of continuation bytes (so overlong forms and surrogates
 * pass).
 */
static bool jsonc_utf8_shape(const unsigned char *s)
{
	while (*s) {
		int n = *s < 0x80 ? 0 : *s < 0xc0 ? -1 : *s < 0xe0 ? 1 :
			*s < 0xf0 ? 2 : *s < 0xf8 ? 3 : -1;

		if (n < 0)
			return false;
		s++;
		for (; n > 0; n--, s++)
			if ((*s & 0xc0) != 0x80)
				return false;
	}
	return true;
}

/*
 * Whether json-c may accept what jansson rejected with err: it takes
 * overlong and surrogate UTF-8 sequences, lone surrogate escapes (as
 * U+FFFD), NaN, Infinity and "1.", integers past int64 (before 0.18) and
 * a key with \u0000 (cut there).  Of those the model has no parse of its
 * own, so it claims nothing.
 */
static bool jsonc_may_accept(const json_error_t *err, const char *buf)
{
	switch (json_error_code(err)) {
	case json_error_invalid_utf8:
		return jsonc_utf8_shape((const unsigned char *)buf);
	case json_error_numeric_overflow:
	case json_error_null_byte_in_key:
		return true;
	default:
		break;
	}
	if (strstr(err->text, "invalid Unicode"))
		return true;
	if (strstr(buf, "NaN") || strstr(buf, "Infinity"))
		return true;
	for (const char *p = buf; (p = strchr(p, '.')); p++)
		if (p > buf && p[-1] >= '0' && p[-1] <= '9' &&
		    !(p[1] >= '0' && p[1] <= '9'))
			return true;
	return false;
}

/* Parse a descriptor as libvirt does. */
static void parse(struct lv_file *f, const char *buf, size_t len)
{
	size_t cut = strnlen(buf, len);
	json_error_t err;
	json_t *j, *type, *binary;

	/* No JSON_REJECT_DUPLICATES: like json-c, the last value wins. */
	j = json_loadb(buf, cut, JSON_ALLOW_NUL, &err);
	f->state = LV_FAILS;
	if (!j && jsonc_may_accept(&err, buf)) {
		f->state = LV_UNKNOWN;
		return;
	}
	if (!j) {
		f->why = xstrdup("its JSON parser cannot parse it");
		return;
	}
	type = json_object_get(j, "type");
	binary = json_object_get(j, "binary");
	if (json_nesting(j) >= JSONC_MAX_NESTING)
		f->why = xasprintf("a value is nested %d deep or more, past its JSON parser's limit",
				   JSONC_MAX_NESTING);
	else if (!json_is_string(type) || !schema_find_type(json_string_value(type)))
		f->why = xstrdup("it has no known \"type\"");
	if (!f->why) {
		f->state = LV_USED;
		/* A C string: \u0000 ends it. */
		f->type = xstrdup(json_string_value(type));
		f->binary = json_is_string(binary) ?
			xstrdup(json_string_value(binary)) : NULL;
		f->quirk = quirk_of(buf, len, cut);
	}
	json_decref(j);
}

/* Read what node opened; size 0 (by stat) is a mask. */
static void read_opened(struct lv_file *f, const struct rootfs_node *node);

/* Our entry for the file at path, and the one that takes effect for name. */
static const struct entry *ours_at(const struct model *m, const char *name,
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

/*
 * What libvirt makes of a descriptor the tool read and found valid: the
 * same type and binary (no duplicate key, no NUL), unless it is nested
 * deeper than json-c allows.  No second read of the file.
 */
static bool from_descriptor(struct lv_file *f, const struct descriptor *d)
{
	if (!d || !descriptor_is_valid(d))
		return false;
	if (d->nesting >= JSONC_MAX_NESTING) {
		f->state = LV_FAILS;
		f->why = xasprintf("a value is nested %d deep or more, past its JSON parser's limit",
				   JSONC_MAX_NESTING);
		return true;
	}
	f->state = LV_USED;
	f->type = xstrdup(d->type);
	f->binary = xstrdup(d->binary);
	return true;
}

static bool read_valid(const struct model *m, struct lv_file *f)
{
	const struct entry *eff, *same = ours_at(m, f->name, f->path, &eff);

	return from_descriptor(f, same ? same->desc : NULL);
}

/* Read what takes effect for a name. */
static void read_file(struct model *m, struct lv_file *f)
{
	struct rootfs_node node;

	if (read_valid(m, f))
		return;
	rootfs_open_entry(&m->dirs[f->dir].d, f->name, &node);
	read_opened(f, &node);
}

static void read_opened(struct lv_file *f, const struct rootfs_node *node)
{
	char *buf;
	size_t len;
	int err;

	if (node->fd < 0) {
		f->state = LV_FAILS;
		f->why = xasprintf("it cannot read it (%s)",
				   strerror(node->error ? node->error : EINVAL));
		return;
	}
	err = node->st.st_size == 0 ? 0 : descriptor_read(node->fd, &buf, &len);
	close(node->fd);
	if (node->st.st_size == 0) {
		f->state = LV_MASK;
	} else if (err) {
		f->state = LV_FAILS;
		f->why = err == EFBIG ? xstrdup("it is larger than 1 MiB") :
			xasprintf("it cannot read it (%s)", strerror(err));
	} else {
		parse(f, buf, len);
		free(buf);
	}
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(((const struct lv_file *)a)->name,
		      ((const struct lv_file *)b)->name);
}

static void lookup(struct model *m)
{
	model_dirs(m);
	for (size_t i = 0; i < m->n_dirs; i++)
		scan(m, i);
	if (m->n_files > 1)
		qsort(m->files, m->n_files, sizeof(*m->files), compare_names);
	/* readdir's order is the file system's: say them by name. */
	if (m->n_failures > 1)
		qsort(m->failures, m->n_failures, sizeof(*m->failures),
		      compare_names);
	for (size_t i = 0; i < m->n_files; i++)
		read_file(m, &m->files[i]);
}

/* ---- where it decides otherwise ---------------------------------------- */

static void compare_failure(struct model *m, const struct lv_file *f)
{
	const struct entry *eff, *same = ours_at(m, f->name, f->path, &eff);

	if (!f->name[0])
		note(m, f->path, LIBVIRT " would fail every vhost-user lookup: %s",
		     f->why);
	else if (same && same->status == STATUS_SKIPPED)
		note(m, f->path, "not a candidate (%s), but " LIBVIRT " reads it "
		     "and would fail every vhost-user lookup: it cannot stat it (%s)",
		     same->reason, f->why);
	else
		note(m, f->path, LIBVIRT " would fail every vhost-user lookup "
		     "on this entry: it cannot stat it (%s)", f->why);
}

/* What libvirt makes of file f, against ours: same is our entry for it, eff ours for its name. */
static void compare_one(struct model *m, const struct lv_file *f,
			const struct entry *same, const struct entry *eff)
{
	/* Our link to /dev/null hides it from us: said with the link. */
	if (eff && eff != same && eff->devnull)
		return;
	if (same && same->status == STATUS_SKIPPED) {
		if (f->state == LV_FAILS)
			note(m, f->path, "not a candidate (%s), but " LIBVIRT
			     " reads it and would fail every vhost-user lookup: %s",
			     same->reason, f->why);
		else if (f->state == LV_USED)
			note(m, f->path, "not a candidate (%s), but " LIBVIRT
			     " reads it and would offer it as a %s backend",
			     same->reason, f->type);
		return;
	}
	if (f->state == LV_FAILS && same && same == eff &&
	    same->status == STATUS_INVALID)
		note(m, f->path, LIBVIRT " would fail every vhost-user lookup "
		     "on this file instead of skipping it: %s", f->why);
	else if (f->state == LV_FAILS)
		note(m, f->path, LIBVIRT " would fail every vhost-user lookup "
		     "on this file: %s", f->why);
	else if (f->state == LV_USED && same && same == eff &&
		 same->status == STATUS_INVALID && f->quirk)
		note(m, f->path, LIBVIRT " uses this file as a %s backend: %s",
		     f->type, f->quirk);
	else if (f->state == LV_USED && same && same == eff &&
		 same->status == STATUS_INVALID)
		note(m, f->path, LIBVIRT " does not reject this file: it does not "
		     "check \"binary\"%s", strcmp(f->type, "gpu") == 0 ?
		     ", and passes over it as a gpu backend once its probe fails" :
		     "");
	else if (f->state == LV_USED && same && same->untrusted)
		note(m, f->path, LIBVIRT " does not check who owns or may write "
		     "this file, and would offer it as a %s backend", f->type);
	else if (f->state == LV_USED && !same)
		note(m, f->path, "the %s daemon of " LIBVIRT " reads this "
		     "file, which the tool does not, and would offer it as a "
		     "%s backend", m->session ? "session" : "system", f->type);
	else if (f->state == LV_MASK && same && same->status == STATUS_INVALID)
		note(m, f->path, LIBVIRT " takes this file for a mask: its size "
		     "is 0");
}

static void compare_file(struct model *m, const struct lv_file *f)
{
	const struct entry *eff, *same = ours_at(m, f->name, f->path, &eff);

	compare_one(m, f, same, eff);
}

/* Our links to /dev/null: libvirt skips them and reads on. */
static void compare_devnull(struct model *m)
{
	for (size_t i = 0; i < m->ours->n; i++) {
		const struct entry *e = &m->ours->entries[i];
		const struct lv_file *f;
		const char *what = e->symlink ? "a link to /dev/null" :
			"the /dev/null device";

		if (!e->devnull || !entry_takes_effect(e))
			continue;
		f = find_file(m, e->name);
		if (f && f->state != LV_MASK)
			note(m, e->path, "%s: " LIBVIRT " does not take it as a "
			     "mask and would read %s instead%s; use an empty file",
			     what, f->path, f->state == LV_FAILS ?
			     " (and fail every vhost-user lookup on it)" : "");
		else
			note(m, e->path, "%s: " LIBVIRT " does not take it as a "
			     "mask; use an empty file", what);
	}
}

/* The user directory, which the system daemon never reads. */
static void compare_user_dir(struct model *m)
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
		note(m, dir->path, "%zu file%s in the user directory: the system "
		     "daemon of " LIBVIRT " never reads it, so a privileged "
		     "libvirtd chooses without %s", n, n == 1 ? "" : "s",
		     n == 1 ? "it" : "them");
	if (m->session && strcmp(m->dirs[m->n_dirs - 1].path, dir->path) != 0)
		note(m, NULL, "the session daemon of " LIBVIRT " reads %s, not %s: "
		     "it takes XDG_CONFIG_HOME and HOME as they are, empty or "
		     "relative (a relative one against its own working directory)",
		     m->dirs[m->n_dirs - 1].path, dir->path);
}

/* ---- what it chooses --------------------------------------------------- */

/* What libvirt makes of a probe's answer: 0 no JSON, 1 JSON, 2 with features. */
static int answer(const struct probe_result *run)
{
	json_t *j = json_loadb(run->out, strnlen(run->out, run->len),
			       JSON_ALLOW_NUL, NULL);
	int a = j ? 1 + json_is_array(json_object_get(j, "features")) : 0;

	json_decref(j);
	return a;
}

/*
 * libvirt's choice of type among what its lookup gives: with probes,
 * exactly; without (fs only), the first candidate.  *why says why it
 * passed over skipped (match's choice), when it did.  *unknown: a
 * probe the tool will not run (the trust rules), whose answer decides.
 */
static const struct lv_file *libvirt_choice(struct model *m, const char *type,
					    const char *skipped, char **why,
					    bool *unknown)
{
	bool gpu = strcmp(type, "gpu") == 0;

	*why = NULL;
	*unknown = false;
	for (size_t i = 0; i < m->n_files; i++) {
		const struct lv_file *f = &m->files[i];
		struct probe_result run = { 0 };
		int a = -1;	/* the probe did not exit 0 */
		char *refused;

		if (f->state != LV_USED || strcmp(f->type, type) != 0)
			continue;
		if (!m->o->probe)
			return f;
		/* libvirt checks no owner: it would run what the tool will not. */
		if (f->binary && f->binary[0] == '/' &&
		    backend_probe_refused(m->sp, f->binary, m->o->run, &refused)) {
			note(m, f->path, LIBVIRT " would run %s for its %s probe "
			     "(%s), which the tool does not do", f->binary, type,
			     refused);
			free(refused);
			if (gpu) {
				*unknown = true;
				return NULL;
			}
			return f;
		}
		if (f->binary && f->binary[0] == '/' &&
		    backend_run(m->sp, f->binary, m->o->run, &run) == PROBE_OK)
			a = answer(&run);
		/* gpu: JSON with features; fs: anything but non-JSON on exit 0. */
		if (gpu ? a == 2 : a != 0) {
			probe_result_free(&run);
			return f;
		}
		if (skipped && strcmp(f->path, skipped) == 0)
			*why = a < 0 ? xasprintf("its probe fails: %s",
						 run.reason ? run.reason :
						 "no absolute \"binary\"") :
				a == 0 ? xstrdup("its answer is not JSON") :
				xstrdup("its answer has no \"features\"");
		probe_result_free(&run);
	}
	return NULL;
}

static void compare_choice(struct model *m, const char *type)
{
	const struct entry *ours = first_startable(m->sp, m->ours, type, NULL,
						   NULL);
	const char *mine = ours ? ours->path : NULL;
	char *why;
	bool unknown;
	const struct lv_file *theirs = libvirt_choice(m, type, mine, &why,
						      &unknown);

	if (unknown || (theirs && mine && strcmp(theirs->path, mine) == 0)) {
		free(why);
		return;
	}
	if (!m->o->probe && theirs) {
		char *reason;

		/* Unprobed, only fs is known: its first candidate. */
		if (strcmp(type, "fs") != 0) {
			;
		} else if (!theirs->binary ||
			   backend_check_as_is(m->sp, theirs->binary, &reason) !=
			   BACKEND_CAN_START) {
			note(m, theirs->path, LIBVIRT " would choose this fs "
			     "backend although its binary cannot start (%s), and "
			     "the guest would then fail to start; match chooses %s",
			     theirs->binary ? reason : "no \"binary\"",
			     mine ? mine : "none");
			if (theirs->binary)
				free(reason);
		} else if (backend_check(m->sp, theirs->binary, &reason) ==
			   BACKEND_NOT_TRUSTED) {
			note(m, theirs->path, LIBVIRT " would choose this fs "
			     "backend and start it, although root should not (%s); "
			     "match chooses %s", reason, mine ? mine : "none");
			free(reason);
		} else {
			free(reason);
		}
		free(why);
		return;
	}
	if (m->o->probe && (theirs || mine))
		note(m, NULL, LIBVIRT " would choose %s for %s; match chooses %s%s%s%s",
		     theirs ? theirs->path : "none", type, mine ? mine : "none",
		     why ? " (" : "", why ? why : "", why ? ")" : "");
	free(why);
}

/* ---- the whole ----------------------------------------------------------- */

static void model_free(struct model *m)
{
	for (size_t i = 0; i < m->n_dirs; i++) {
		free(m->dirs[i].path);
		free((char *)m->dirs[i].d.where);
		if (m->dirs[i].d.fd >= 0)
			close(m->dirs[i].d.fd);
	}
	free(m->dirs);
	for (size_t i = 0; i < m->n_files; i++)
		clear_file(&m->files[i]);
	free(m->files);
	for (size_t i = 0; i < m->n_failures; i++)
		clear_file(&m->failures[i]);
	free(m->failures);
}

void libvirt_compare_file(const struct resolution *res, const struct entry *e,
			  struct diags *out)
{
	struct model m = { .out = out };
	struct rootfs_node node;
	/* Borrowed: only why, type and binary are freed below. */
	struct lv_file f = { .name = (char *)e->name, .path = (char *)e->path };

	if (e->devnull && e->symlink) {
		note(&m, e->path, LIBVIRT " does not take a link to /dev/null "
		     "as a mask: it skips it (an empty file is a mask to both)");
		return;
	}
	if (e->kind != KIND_DESCRIPTOR)
		return;
	if (!from_descriptor(&f, e->desc)) {
		rootfs_open_entry(&res->dirs[e->dir], e->name, &node);
		read_opened(&f, &node);
	}
	compare_one(&m, &f, e, e);
	free(f.why);
	free(f.type);
	free(f.binary);
}

void libvirt_compare(const struct searchpath *sp,
		     const struct resolution *ours,
		     const struct libvirt_options *o, struct diags *out)
{
	struct model m = { .sp = sp, .ours = ours, .o = o, .out = out };

	lookup(&m);
	compare_user_dir(&m);
	for (size_t i = 0; i < m.n_failures; i++)
		compare_failure(&m, &m.failures[i]);
	for (size_t i = 0; i < m.n_files; i++)
		compare_file(&m, &m.files[i]);
	compare_devnull(&m);
	/* A lookup that fails chooses nothing: said above. */
	if (m.n_failures == 0) {
		bool failed = false;

		/* An unknown file may fail the lookup: no claim either. */
		for (size_t i = 0; i < m.n_files; i++)
			failed |= m.files[i].state == LV_FAILS ||
				  m.files[i].state == LV_UNKNOWN;
		if (!failed) {
			compare_choice(&m, "gpu");
			compare_choice(&m, "fs");
		}
	}
	model_free(&m);
}
