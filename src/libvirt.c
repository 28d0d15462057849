/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model, read from libvirt's code of 9.0.0 and 11.3.0; where the
 * releases differ, libvirt_rules says which (libvirt-version.c, with
 * the release of each change):
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
 * string, so a raw NUL ends it, and parsed: \u0000 cuts a string there.
 * By yajl (before 10.8.0) a duplicate key fails and nesting has no
 * limit; by json-c in strict mode with its default depth, a duplicate
 * key keeps its last value and a value inside 32 or more arrays and
 * objects fails.  It must be an object whose "type" is a known type;
 * "binary" is taken as it is, unchecked.  One file that fails fails the
 * whole lookup.
 *
 * Choosing.  gpu: each candidate in order is probed, feature or not, and
 * the first whose probe exits 0 with JSON that has a "features" array
 * wins (its type is not checked).  fs, where probed: the first candidate
 * wins unless its probe exits 0 with output that is not JSON; a binary
 * that cannot run is chosen, and the guest then fails to start.  fs,
 * where not probed: the first candidate.
 */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>

#include "backend.h"
#include "descriptor.h"
#include "json-shape.h"
#include "libvirt.h"
#include "rootfs.h"
#include "schema.h"
#include "util.h"

/* Where libvirt looks for a DRM render node (virHostGetDRMRenderNode). */
#define DRI_DIR "/dev/dri"

/* json-c's default depth: a value inside this many containers fails. */
#define JSONC_MAX_NESTING 32

/* One directory libvirt reads. */
struct lv_dir {
	char *shown;		/* how its entries' paths begin, as the resolution's */
	struct rootfs_dir d;	/* how it is reached; d.fd -1 when absent */
};

/* One lookup in progress. */
struct model {
	const struct searchpath *sp;
	const struct libvirt_rules *rules;
	const struct resolution *lend;
	struct libvirt_view *v;
	struct lv_dir *dirs;
	size_t n_dirs;
	size_t cap_files;
};

/* ---- the lookup ------------------------------------------------------ */

static void add_dir(struct model *m, const char *path, const char *where,
		    const struct rootfs *fs)
{
	struct lv_dir *d;

	m->dirs = xreallocarray(m->dirs, m->n_dirs + 1, sizeof(*m->dirs));
	d = &m->dirs[m->n_dirs++];
	d->shown = xstrdup(path);
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
	bool has_user = false;

	/* A caller that is not root talks to its own session daemon. */
	m->v->session = geteuid() != 0;
	for (size_t i = 0; i < sp->n; i++) {
		const struct search_dir *dir = &sp->dirs[i];

		if (dir->origin == DIR_USER) {
			has_user = true;
			continue;
		}
		add_dir(m, dir->path, dir->where, dir->in_root ? sp->fs : NULL);
	}
	if (m->v->session && has_user) {
		char *user = session_dir();

		add_dir(m, user, user, NULL);
		free(user);
	}
}

static struct libvirt_file *new_file(struct libvirt_file **v, size_t *n,
				     size_t *cap)
{
	struct libvirt_file *f;

	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	f = &(*v)[(*n)++];
	memset(f, 0, sizeof(*f));
	return f;
}

/* f's path, which ends in its name: that end is the name, not a copy. */
static void set_path(struct libvirt_file *f, const char *path, const char *name)
{
	f->path = path;
	f->name = path + strlen(path) - strlen(name);
}

void libvirt_file_clear(struct libvirt_file *f)
{
	if (!f->lent)
		free((char *)f->path);
	if (f->state == LIBVIRT_USED && !f->lent_binary)
		free((char *)f->binary);
	if (f->state == LIBVIRT_FAILS) {
		free(f->why);
		free(f->error);
	}
	memset(f, 0, sizeof(*f));
}

/* The tool's entry for the file at path, of name, if it read it. */
static const struct entry *lent(const struct model *m, const char *name,
				const char *path)
{
	size_t n;
	const struct entry *named;

	if (!m->lend)
		return NULL;
	named = resolution_named(m->lend, name, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(named[i].path, path) == 0)
			return &named[i];
	return NULL;
}

/*
 * A regular file of a name; the most specific one is kept (see
 * keep_last).  Its path is the tool's entry's, when it has one.
 */
static void keep(struct model *m, size_t dir, const char *name)
{
	struct libvirt_view *v = m->v;
	struct libvirt_file *f = new_file(&v->files, &v->n_files, &m->cap_files);
	char *path = path_join(m->dirs[dir].shown, name);
	const struct entry *e = lent(m, name, path);

	f->lent = e != NULL;
	if (e)
		free(path);
	set_path(f, e ? e->path : path, name);
	f->dir = dir;
}

/* The file fails every lookup: why in our words, and libvirt's own error. */
static void fails(struct libvirt_file *f, char *why, char *error)
{
	f->state = LIBVIRT_FAILS;
	f->why = why;
	f->error = error;
}

/* An entry of directory dir ("": the directory) fails every lookup. */
static struct libvirt_file *fail_on(struct model *m, size_t dir,
				    const char *name)
{
	struct libvirt_view *v = m->v;
	struct libvirt_file *f;

	v->failures = xreallocarray(v->failures, v->n_failures + 1,
				    sizeof(*v->failures));
	f = &v->failures[v->n_failures++];
	memset(f, 0, sizeof(*f));
	set_path(f, name[0] ? path_join(m->dirs[dir].shown, name) :
		 xstrdup(m->dirs[dir].shown), name);
	f->dir = dir;
	return f;
}

/* libvirt's words: it cannot open the directory, or read it (reading). */
static void cannot_read_dir(struct model *m, size_t i, int err, bool reading)
{
	struct libvirt_file *f = fail_on(m, i, "");

	fails(f, xasprintf("it cannot read this directory (%s)", strerror(err)),
	      reading ? xasprintf("Unable to read directory '%s': %s", f->path,
				  strerror(err)) :
	      xasprintf("cannot open directory '%s': %s", f->path,
			strerror(err)));
}

/* Open directory i as libvirt would: NULL when absent or unreadable. */
static DIR *open_dir(struct model *m, size_t i)
{
	struct rootfs_dir *d = &m->dirs[i].d;
	DIR *dir;
	int fd;

	d->fd = rootfs_dir(d->fs, d->where);
	if (d->fd < 0) {
		if (errno != ENOENT)
			cannot_read_dir(m, i, errno, false);
		return NULL;
	}
	if (d->fs) {
		/* Named as the tool's resolution names it. */
		char *shown = rootfs_shown_path(d->fd, m->dirs[i].shown);

		free(m->dirs[i].shown);
		m->dirs[i].shown = shown;
	}
	fd = fcntl(d->fd, F_DUPFD_CLOEXEC, 3);
	dir = fd < 0 ? NULL : fdopendir(fd);
	if (!dir) {
		cannot_read_dir(m, i, errno, false);
		if (fd >= 0)
			close(fd);
	}
	return dir;
}

static void scan(struct model *m, size_t i)
{
	struct rootfs_dir *d = &m->dirs[i].d;
	DIR *dir = open_dir(m, i);
	struct dirent *de;

	if (!dir)
		return;
	while ((errno = 0, de = readdir(dir))) {
		struct rootfs_node node;

		/* Hidden names, "." and ".." among them, are never looked at. */
		if (de->d_name[0] == '.')
			continue;
		rootfs_classify(d, de->d_name, de->d_type, true, &node);
		if (node.error) {
			struct libvirt_file *f = fail_on(m, i, de->d_name);

			fails(f, rootfs_unresolved_reason(d, de->d_name,
							  node.symlink,
							  node.error),
			      xasprintf("Unable to access %s: %s", f->path,
					strerror(node.error)));
		} else if (S_ISREG(node.st.st_mode))
			keep(m, i, de->d_name);
	}
	if (errno)
		cannot_read_dir(m, i, errno, true);
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

/*
 * Whether yajl, as libvirt 9.x calls it, may accept what jansson
 * rejected with err: integers past int64 (libvirt keeps numbers as
 * text) and a key with \u0000 (cut there); lone surrogate escapes are
 * not known either way.  It rejects NaN, comments and bad UTF-8.
 */
static bool yajl_may_accept(const json_error_t *err)
{
	switch (json_error_code(err)) {
	case json_error_numeric_overflow:
	case json_error_null_byte_in_key:
		return true;
	default:
		return strstr(err->text, "invalid Unicode") != NULL;
	}
}

static void parse_failed(struct libvirt_file *f, char *why)
{
	fails(f, why, xasprintf("internal error: unable to parse json file '%s'",
				f->path));
}

/* json-c's depth limit fails the file (10.8.0 on). */
static void nested_too_deep(struct libvirt_file *f)
{
	parse_failed(f, xasprintf("a value is nested %d deep or more, past its JSON parser's limit",
				  JSONC_MAX_NESTING));
}

/* Parse a descriptor as libvirt does. */
static void parse(struct libvirt_file *f, const char *buf, size_t len,
		  const struct libvirt_rules *rules)
{
	size_t cut = strnlen(buf, len);
	json_error_t err;
	json_t *j, *type, *binary;

	/* yajl through libvirt refuses a duplicate key; json-c keeps the last. */
	j = json_loadb(buf, cut, JSON_ALLOW_NUL |
		       (rules->json_c ? 0 : JSON_REJECT_DUPLICATES), &err);
	if (!j && (rules->json_c ? jsonc_may_accept(&err, buf) :
		   yajl_may_accept(&err))) {
		f->state = LIBVIRT_UNKNOWN;
		return;
	}
	if (!j && json_error_code(&err) == json_error_duplicate_key) {
		parse_failed(f, xstrdup("its JSON parser (yajl) refuses a duplicate key"));
		return;
	}
	if (!j) {
		parse_failed(f, xstrdup("its JSON parser cannot parse it"));
		return;
	}
	type = json_object_get(j, "type");
	binary = json_object_get(j, "binary");
	if (rules->json_c && json_nesting(j) >= JSONC_MAX_NESTING)
		nested_too_deep(f);
	else if (!json_is_string(type) || !schema_find_type(json_string_value(type)))
		fails(f, xstrdup("it has no known 'type'"),
		      xasprintf("internal error: unknown vhost-user type: '%s'",
				json_is_string(type) ? json_string_value(type) :
				"(null)"));
	if (f->state != LIBVIRT_FAILS) {
		f->state = LIBVIRT_USED;
		/* A C string: \u0000 ends it. */
		f->type = schema_find_type(json_string_value(type))->name;
		f->binary = json_is_string(binary) ?
			xstrdup(json_string_value(binary)) : NULL;
		f->quirk = quirk_of(buf, len, cut);
	}
	json_decref(j);
}

/*
 * What libvirt makes of a descriptor the tool read and found valid (e,
 * its parse let go or not): the same type and binary (no duplicate key,
 * no NUL), unless nested deeper than json-c allows.  No second read.
 */
static bool from_entry(struct libvirt_file *f, const struct entry *e,
		       const struct libvirt_rules *rules)
{
	if (!e || !e->type)
		return false;
	if (rules->json_c && e->nesting >= JSONC_MAX_NESTING) {
		nested_too_deep(f);
		return true;
	}
	f->state = LIBVIRT_USED;
	f->type = e->type;
	f->binary = entry_binary(e);
	f->lent_binary = true;
	return true;
}

/* It cannot open or read the file: errno err. */
static void cannot_read(struct libvirt_file *f, int err)
{
	fails(f, err == EFBIG ? xstrdup("it is larger than 1 MiB") :
	      xasprintf("it cannot read it (%s)", strerror(err)),
	      err == EFBIG ?
	      xasprintf("Failed to read file '%s': %s", f->path, strerror(EOVERFLOW)) :
	      xasprintf("Failed to open file '%s': %s", f->path, strerror(err)));
}

/* Read what node opened; size 0 (by stat) is a mask. */
static void read_opened(struct libvirt_file *f, const struct rootfs_node *node,
			const struct libvirt_rules *rules)
{
	char *buf;
	size_t len;
	int err;

	if (node->fd < 0) {
		cannot_read(f, node->error ? node->error : EINVAL);
		return;
	}
	err = node->st.st_size == 0 ? 0 : descriptor_read(node->fd, &buf, &len);
	close(node->fd);
	if (node->st.st_size == 0) {
		f->state = LIBVIRT_MASK;
	} else if (err) {
		cannot_read(f, err);
	} else {
		parse(f, buf, len, rules);
		free(buf);
	}
}

/* Read what takes effect for a name. */
static void read_file(struct model *m, struct libvirt_file *f)
{
	struct rootfs_node node;

	if (f->lent && from_entry(f, lent(m, f->name, f->path), m->rules))
		return;
	rootfs_open_entry(&m->dirs[f->dir].d, f->name, &node);
	read_opened(f, &node, m->rules);
}

bool libvirt_read_entry(const struct resolution *res, const struct entry *e,
			const struct libvirt_rules *rules,
			struct libvirt_file *f)
{
	struct rootfs_node node;

	memset(f, 0, sizeof(*f));
	if (e->kind != KIND_DESCRIPTOR)
		return false;
	set_path(f, xstrdup(e->path), e->name);
	if (!from_entry(f, e, rules)) {
		rootfs_open_entry(&res->dirs[e->dir], e->name, &node);
		read_opened(f, &node, rules);
	}
	return true;
}

/* By name, and of a name the most specific directory's (the later one). */
static int compare_files(const void *a, const void *b)
{
	const struct libvirt_file *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->dir > y->dir) - (x->dir < y->dir);
}

/* Of each name only the last (most specific) is kept: a later directory's replaces. */
static void keep_last(struct libvirt_view *v)
{
	size_t k = 0;

	for (size_t i = 0; i < v->n_files; i++) {
		if (i + 1 < v->n_files &&
		    strcmp(v->files[i].name, v->files[i + 1].name) == 0) {
			libvirt_file_clear(&v->files[i]);
			continue;
		}
		v->files[k++] = v->files[i];
	}
	v->n_files = k;
}

void libvirt_lookup(const struct searchpath *sp, const struct resolution *lend,
		    const struct libvirt_rules *rules, struct libvirt_view *v)
{
	struct model m = { .sp = sp, .rules = rules, .lend = lend, .v = v };

	memset(v, 0, sizeof(*v));
	model_dirs(&m);
	for (size_t i = 0; i < m.n_dirs; i++)
		scan(&m, i);
	/* The session daemon's own directory, when the search path has one. */
	if (v->session && searchpath_user_dir(sp))
		v->session_dir = xstrdup(m.dirs[m.n_dirs - 1].shown);
	if (v->n_files > 1)
		qsort(v->files, v->n_files, sizeof(*v->files), compare_files);
	keep_last(v);
	/* readdir's order is the file system's: say them by name. */
	if (v->n_failures > 1)
		qsort(v->failures, v->n_failures, sizeof(*v->failures),
		      compare_files);
	for (size_t i = 0; i < v->n_files; i++)
		read_file(&m, &v->files[i]);
	for (size_t i = 0; i < m.n_dirs; i++) {
		free(m.dirs[i].shown);
		free((char *)m.dirs[i].d.where);
		if (m.dirs[i].d.fd >= 0)
			close(m.dirs[i].d.fd);
	}
	free(m.dirs);
}

const struct libvirt_file *libvirt_find(const struct libvirt_view *v,
					const char *name)
{
	size_t lo = 0, hi = v->n_files;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v->files[mid].name, name);

		if (c == 0)
			return &v->files[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct libvirt_file *libvirt_lookup_stop(const struct libvirt_view *v)
{
	if (v->n_failures)
		return &v->failures[0];
	for (size_t i = 0; i < v->n_files; i++)
		if (v->files[i].state == LIBVIRT_FAILS ||
		    v->files[i].state == LIBVIRT_UNKNOWN)
			return &v->files[i];
	return NULL;
}

/* ---- what it chooses --------------------------------------------------- */

/* Whether the features array f holds the string name. */
static bool has_feature(const json_t *f, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(f, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), name) == 0)
			return true;
	return false;
}

/*
 * What libvirt makes of a probe's answer: 0 no JSON, 1 JSON, 2 with
 * features, 3 with features but not every one needed.  *render_node:
 * the features hold "render-node".
 */
static int answer(const struct probe_result *run, char *const *need,
		  size_t n_need, bool *render_node)
{
	json_t *j = json_loadb(run->out, strnlen(run->out, run->len),
			       JSON_ALLOW_NUL, NULL);
	json_t *f = j ? json_object_get(j, "features") : NULL;
	int a = j ? 1 + json_is_array(f) : 0;

	for (size_t i = 0; a == 2 && i < n_need; i++)
		if (!has_feature(f, need[i]))
			a = 3;
	*render_node = a >= 2 && has_feature(f, "render-node");
	json_decref(j);
	return a;
}

static void add_try(struct libvirt_choice *c, const struct libvirt_file *f,
		    enum libvirt_probe outcome, char *reason)
{
	c->tries = xreallocarray(c->tries, c->n_tries + 1, sizeof(*c->tries));
	c->tries[c->n_tries++] = (struct libvirt_try){ f, outcome, reason };
}

/* Probe f as libvirt would, under the tool's rules; what became of it. */
static enum libvirt_probe probe_file(const struct libvirt_file *f,
				     const struct searchpath *sp, bool gpu,
				     const struct libvirt_ask *ask,
				     char **reason, bool *render_node)
{
	struct probe_result res = { 0 };
	int a = -1;	/* the probe did not exit 0 */
	enum libvirt_probe p;
	const struct probe_options *run = ask->run;

	*reason = NULL;
	*render_node = false;
	/* libvirt checks no owner: it would run what the tool will not. */
	if (f->binary && f->binary[0] == '/' &&
	    backend_probe_refused(sp, f->binary, run, reason))
		return LIBVIRT_PROBE_REFUSED;
	if (f->binary && f->binary[0] == '/' &&
	    backend_run(sp, f->binary, run, &res) == PROBE_OK)
		a = answer(&res, ask->need, ask->n_need, render_node);
	/* gpu: JSON with features; fs: anything but non-JSON on exit 0. */
	if (gpu ? a == 2 : a != 0)
		p = LIBVIRT_PROBE_CHOSEN;
	else if (a == 3)
		p = LIBVIRT_PROBE_LACKS;
	else if (a == 0)
		p = LIBVIRT_PROBE_NOT_JSON;
	else if (a == 1)
		p = LIBVIRT_PROBE_NO_FEATURES;
	else {
		p = LIBVIRT_PROBE_FAILED;
		*reason = xstrdup(res.reason ? res.reason :
				  "no absolute 'binary'");
	}
	probe_result_free(&res);
	return p;
}

void libvirt_choose(const struct libvirt_view *v, const struct searchpath *sp,
		    const struct libvirt_rules *rules, const char *type,
		    const struct libvirt_ask *ask, struct libvirt_choice *c)
{
	bool gpu = strcmp(type, "gpu") == 0, probe = ask->probe;

	memset(c, 0, sizeof(*c));
	if (!gpu && v->session && !rules->session_virtiofs) {
		c->error = "unsupported configuration: virtiofs is not yet "
			   "supported in session mode";
		c->refused = true;
		return;
	}
	if (!gpu && !rules->fs_probed)
		probe = false;
	for (size_t i = 0; i < v->n_files && !c->chosen && !c->unknown; i++) {
		const struct libvirt_file *f = &v->files[i];
		enum libvirt_probe p;
		char *reason;

		if (f->state != LIBVIRT_USED || strcmp(f->type, type) != 0)
			continue;
		if (!probe) {
			c->chosen = f;
			break;
		}
		c->probed = true;
		p = probe_file(f, sp, gpu, ask, &reason, &c->render_node);
		add_try(c, f, p, reason);
		/* A refused gpu probe decides unseen; fs takes it anyway. */
		if (p == LIBVIRT_PROBE_REFUSED)
			c->unknown = gpu;
		if (p == LIBVIRT_PROBE_CHOSEN || (p == LIBVIRT_PROBE_REFUSED && !gpu))
			c->chosen = f;
	}
	if (!c->chosen && !c->unknown)
		c->error = gpu ? "operation failed: Unable to find a satisfying vhost-user-gpu" :
			"operation failed: Unable to find a satisfying virtiofsd";
}

bool libvirt_is_executable(const struct searchpath *sp, const char *binary)
{
	/* A relative one, against the daemon's working directory, /. */
	char *path = binary[0] == '/' ? xstrdup(binary) :
		xasprintf("/%s", binary);
	int fd = rootfs_path(sp->root ? sp->fs : NULL, path);
	struct stat st;
	bool ok = fd >= 0 && fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode) &&
		  (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH));

	if (fd >= 0)
		close(fd);
	free(path);
	return ok;
}

char *libvirt_render_node(char **error)
{
	DIR *d = opendir(DRI_DIR);
	struct dirent *de;
	char *node = NULL;

	*error = NULL;
	if (!d) {
		*error = xasprintf("cannot open directory '%s': %s", DRI_DIR,
				   strerror(errno));
		return NULL;
	}
	/* readdir's order, as libvirt takes it. */
	while (!node && (de = readdir(d)))
		if (strncmp(de->d_name, "renderD", strlen("renderD")) == 0)
			node = path_join(DRI_DIR, de->d_name);
	closedir(d);
	if (!node)
		*error = xstrdup("internal error: No DRM render nodes available");
	return node;
}

void libvirt_choice_free(struct libvirt_choice *c)
{
	for (size_t i = 0; i < c->n_tries; i++)
		free(c->tries[i].reason);
	free(c->tries);
	memset(c, 0, sizeof(*c));
}

void libvirt_view_free(struct libvirt_view *v)
{
	for (size_t i = 0; i < v->n_files; i++)
		libvirt_file_clear(&v->files[i]);
	free(v->files);
	for (size_t i = 0; i < v->n_failures; i++)
		libvirt_file_clear(&v->failures[i]);
	free(v->failures);
	free(v->session_dir);
	memset(v, 0, sizeof(*v));
}
