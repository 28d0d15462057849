/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resolve.h"
#include "rootfs.h"
#include "schema.h"
#include "trust.h"
#include "util.h"

bool is_candidate_name(const char *name)
{
	return name[0] != '.' && str_has_suffix(name, ".json") &&
	       strlen(name) > strlen(".json");
}

const char *entry_status_name(enum entry_status status)
{
	switch (status) {
	case STATUS_PENDING:	return "pending";
	case STATUS_ACTIVE:	return "active";
	case STATUS_OVERRIDDEN:	return "overridden";
	case STATUS_MASKED:	return "masked";
	case STATUS_INVALID:	return "invalid";
	case STATUS_IGNORED:	return "ignored";
	case STATUS_SKIPPED:	return "skipped";
	}
	return "unknown";
}

const char *entry_reason(const struct entry *e)
{
	const struct diag *err;

	if (e->reason)
		return e->reason;
	if (e->desc && (err = diags_first_error(&e->desc->diags)))
		return err->msg;
	return NULL;
}

/* One scan of the search path in progress. */
struct scan {
	const struct searchpath *sp;
	struct resolution *res;
	size_t cap;
};

/* A directory that takes no part: it cannot be read, or root cannot trust it. */
static void add_warning(struct resolution *res, const char *dir,
			const char *why, bool untrusted)
{
	struct dir_warning *w;

	res->warnings = xreallocarray(res->warnings, res->n_warnings + 1,
				      sizeof(*res->warnings));
	w = &res->warnings[res->n_warnings++];
	w->dir = xstrdup(dir);
	w->why = xstrdup(why);
	w->untrusted = untrusted;
	w->msg = untrusted ?
		xasprintf("not trusted: %s; its descriptors take no part", why) :
		xasprintf("cannot read directory: %s", why);
	w->text = xasprintf("%s: %s", dir, w->msg);
}

static struct entry *add_entry(struct scan *r, size_t index,
			       const char *name)
{
	struct resolution *res = r->res;
	struct entry *e;

	if (res->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		res->entries = xreallocarray(res->entries, r->cap,
					     sizeof(*res->entries));
	}
	e = &res->entries[res->n++];
	memset(e, 0, sizeof(*e));
	e->path = arena_path(&res->strings, res->shown[index], name);
	e->name = e->path + strlen(e->path) - strlen(name);
	e->dir = index;
	return e;
}

static bool is_devnull(const struct settle_rules *r, const struct stat *st)
{
	return r->have_devnull && S_ISCHR(st->st_mode) &&
	       st->st_rdev == r->devnull;
}

/* An entry that takes no part in override, and why. */
static void set_other(struct entry *e, char *reason)
{
	descriptor_free(e->desc);
	e->desc = NULL;
	e->kind = KIND_OTHER;
	free(e->reason);
	e->reason = reason;
}

/*
 * What e is, from the stat of what it resolves to (opened as fd, or -1
 * when it was not: the trust rules then look at the mode bits alone, and
 * again on the opened file when it is read).
 */
static void set_kind(const struct settle_rules *r, struct entry *e, int fd,
		     const struct stat *st)
{
	char *why;

	if (is_devnull(r, st)) {
		e->kind = KIND_MASK;
		e->devnull = true;
	} else if (r->trust && (why = trust_doubt(fd, st, e->path))) {
		set_other(e, xasprintf("not trusted: %s", why));
		free(why);
		e->untrusted = true;
	} else if (S_ISREG(st->st_mode)) {
		/* Empty or not, reading tells (see read_opened). */
		e->kind = KIND_DESCRIPTOR;
	} else {
		set_other(e, xasprintf("is %s", file_type_name(st->st_mode)));
	}
}

/* e, entry name of d, cannot be resolved. */
static void set_unresolved(const struct rootfs_dir *d, const char *name,
			   struct entry *e, int err)
{
	e->error = err;
	set_other(e, rootfs_unresolved_reason(d, name, e->symlink, err));
}

/*
 * Classify one candidate by what it resolves to; nothing is opened to
 * read.  A regular file by readdir's word is a descriptor until it is
 * read (it may turn out to be empty: a mask).
 */
static void classify(const struct resolution *res, struct entry *e,
		     unsigned char d_type)
{
	struct rootfs_node node;

	rootfs_classify(&res->dirs[e->dir], e->name, d_type, res->rules.trust,
			&node);
	e->symlink = node.symlink;
	if (node.error)
		set_unresolved(&res->dirs[e->dir], e->name, e, node.error);
	else if (node.known)
		set_kind(&res->rules, e, -1, &node.st);
	else
		e->kind = KIND_DESCRIPTOR;
}

/*
 * A regular file opened for reading: a descriptor, or a mask when it is
 * empty.  A pseudo-file (/proc/cpuinfo) says size 0 too: only finding
 * nothing to read makes a mask.
 */
static void read_opened(struct resolution *res, struct entry *e, int fd,
			const struct stat *st)
{
	char c;

	if (st->st_size == 0 && pread(fd, &c, 1, 0) == 0) {
		e->kind = KIND_MASK;
		return;
	}
	e->desc = descriptor_load_st(fd, st, e->path,
				     res->rules.o.keep != KEEP_TYPE_BINARY);
	/*
	 * What is needed of it is kept small, and the rest let go at once:
	 * of a valid one its type and binary (KEEP_TYPE_BINARY); of one kept
	 * (invalid, or as keep says) its schema members, unless KEEP_WHOLE.
	 * A kept one's binary is not copied: it lives as long as the
	 * descriptor (slimming keeps the value), and list --json, which lets
	 * each go once printed, then holds no binary at all.
	 */
	if (descriptor_is_valid(e->desc)) {
		/* The schema's own spelling, so it outlives the parsed file. */
		e->type = schema_find_type(e->desc->type)->name;
		e->binary = e->desc->binary;
		e->nesting = e->desc->nesting > UCHAR_MAX ? UCHAR_MAX :
			(unsigned char)e->desc->nesting;
		if (res->rules.o.keep == KEEP_TYPE_BINARY) {
			e->binary = e->binary ?
				arena_strdup(&res->strings, e->binary) : NULL;
			descriptor_free(e->desc);
			e->desc = NULL;
			return;
		}
	}
	if (res->rules.o.keep != KEEP_WHOLE)
		descriptor_slim(e->desc);
}

/*
 * Read a descriptor that is to be loaded.  False when what stands there
 * now takes no part after all (it was swapped for something else, or
 * the trust rules refuse the opened file): the name is decided again.
 */
static bool load_entry(struct resolution *res, struct entry *e)
{
	struct rootfs_node node;

	if (e->kind != KIND_DESCRIPTOR || e->desc || e->type)
		return e->kind != KIND_OTHER;
	rootfs_open_listed(&res->dirs[e->dir], e->name, e->d_type, &node);
	e->symlink |= node.symlink;
	if (node.fd < 0 && node.error && !node.known) {
		/* It cannot even be stat'ed: no part in override after all. */
		set_unresolved(&res->dirs[e->dir], e->name, e, node.error);
		return false;
	}
	if (node.fd < 0 && node.error) {
		/* A file it may not read: invalid, and still overriding by name. */
		if (S_ISREG(node.st.st_mode) && node.st.st_size == 0)
			e->kind = KIND_MASK;
		else
			e->desc = descriptor_error(e->path, node.error);
		return true;
	}
	set_kind(&res->rules, e, node.fd, &node.st);
	if (e->kind == KIND_DESCRIPTOR)
		read_opened(res, e, node.fd, &node.st);
	if (node.fd >= 0)
		close(node.fd);
	return e->kind != KIND_OTHER;
}

static void scan_dir(struct scan *r, size_t index)
{
	const struct rootfs_dir *rd = &r->res->dirs[index];
	const char *dir = r->sp->dirs[index].path;
	int fd = fcntl(rd->fd, F_DUPFD_CLOEXEC, 3);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;

	if (!d) {
		add_warning(r->res, dir, strerror(errno), false);
		if (fd >= 0)
			close(fd);
		return;
	}
	for (;;) {
		struct entry *e;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				add_warning(r->res, dir, strerror(errno), false);
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (!is_candidate_name(de->d_name)) {
			if (!r->res->rules.o.keep_skipped)
				continue;
			e = add_entry(r, index, de->d_name);
			e->kind = KIND_OTHER;
			e->status = STATUS_SKIPPED;
			e->reason = xstrdup(de->d_name[0] == '.' ?
					    "hidden name" :
					    "name does not end in '.json'");
			continue;
		}
		e = add_entry(r, index, de->d_name);
		e->d_type = de->d_type;
		classify(r->res, e, de->d_type);
	}
	closedir(d);
}

static int compare_entries(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	/* Most specific directory first. */
	return (x->dir < y->dir) - (x->dir > y->dir);
}

/*
 * Open each directory of the search path.  One that is missing is
 * silently empty; one that cannot be read, or that root cannot trust, is
 * a warning.  A directory that a more specific one is (by device and
 * inode) is left out: its files would only override themselves.
 */
static void open_dirs(struct scan *r)
{
	const struct searchpath *sp = r->sp;
	struct resolution *res = r->res;
	struct stat *st = xcalloc(sp->n, sizeof(*st));
	const struct settle_rules *rules = &res->rules;

	res->dirs = xcalloc(sp->n, sizeof(*res->dirs));
	res->missing = xcalloc(sp->n, sizeof(*res->missing));
	res->shown = xcalloc(sp->n, sizeof(*res->shown));
	res->n_dirs = sp->n;
	for (size_t i = 0; i < sp->n; i++) {
		struct rootfs_dir *d = &res->dirs[i];
		char *why;

		d->fs = sp->dirs[i].in_root ? sp->fs : NULL;
		d->where = sp->dirs[i].where;
		d->fd = rootfs_dir(d->fs, d->where);
		if (d->fd < 0) {
			res->missing[i] = errno == ENOENT;
			if (!res->missing[i])
				add_warning(res, sp->dirs[i].path,
					    strerror(errno), false);
			res->shown[i] = xstrdup(sp->dirs[i].path);
			continue;
		}
		res->shown[i] = d->fs ? rootfs_shown_path(d->fd, sp->dirs[i].path) :
			xstrdup(sp->dirs[i].path);
		if (fstat(d->fd, &st[i]) < 0)
			continue;
		if (rules->trust &&
		    (why = trust_doubt(d->fd, &st[i], sp->dirs[i].path))) {
			add_warning(res, sp->dirs[i].path, why, true);
			free(why);
			close(d->fd);
			d->fd = -1;
			continue;
		}
		d->direct = trust_sole_writer(d->fd, &st[i]);
	}
	for (size_t i = 0; i < sp->n; i++)
		for (size_t j = i + 1; j < sp->n && res->dirs[i].fd >= 0; j++)
			if (res->dirs[j].fd >= 0 && st[i].st_dev == st[j].st_dev &&
			    st[i].st_ino == st[j].st_ino) {
				close(res->dirs[i].fd);
				res->dirs[i].fd = -1;
			}
	free(st);
}

size_t resolution_same_name(const struct resolution *res, size_t i)
{
	size_t j = i + 1;

	/* Where each name starts was marked once, when sorted. */
	while (j < res->n && !res->entries[j].name_start)
		j++;
	return j - i;
}

/*
 * Mark where each name's entries start, now that they are sorted: one
 * comparison an entry, not one each time a command walks them (a walk
 * of names then reads the entries in order, not their strings).
 */
static void mark_names(struct resolution *res)
{
	for (size_t i = 0; i < res->n; i++)
		res->entries[i].name_start = i == 0 ||
			strcmp(res->entries[i].name, res->entries[i - 1].name) != 0;
}

/* The first mask or descriptor among the n entries of a name. */
static struct entry *winner(struct entry *named, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (named[k].status != STATUS_SKIPPED &&
		    named[k].kind != KIND_OTHER)
			return &named[k];
	return NULL;
}

/*
 * In each name's entries, most specific first, the first mask or
 * descriptor takes effect and hides the rest; anything else is ignored.
 * What takes effect is read to know it (the rest only when asked), and
 * decided again should it turn out to take no part.
 */
static void settle(struct resolution *res, struct entry *named, size_t n)
{
	struct entry *w;

	while ((w = winner(named, n)) && !load_entry(res, w))
		;
	for (size_t k = 0; k < n; k++) {
		struct entry *e = &named[k];

		if (e->status == STATUS_SKIPPED)
			continue;
		if (e != w && e->kind != KIND_OTHER && res->rules.o.load_all)
			load_entry(res, e);
		if (e->kind == KIND_OTHER) {
			e->status = STATUS_IGNORED;
		} else if (e == w) {
			e->status = e->kind == KIND_MASK ? STATUS_MASKED :
				e->type ? STATUS_ACTIVE : STATUS_INVALID;
		} else {
			e->by = w;
			e->status = w->kind == KIND_MASK ? STATUS_MASKED :
				STATUS_OVERRIDDEN;
		}
	}
}

size_t resolution_settle(struct resolution *res, size_t i)
{
	size_t n;

	if (i >= res->n)
		return 0;
	n = resolution_same_name(res, i);
	/* A name's entries are all candidates or all skipped (by name). */
	if (res->entries[i].status == STATUS_PENDING)
		settle(res, &res->entries[i], n);
	return n;
}

void resolution_settle_all(struct resolution *res)
{
	for (size_t i = 0, n; (n = resolution_settle(res, i)); i += n)
		;
}

void resolution_release(struct resolution *res, size_t i, size_t n)
{
	for (size_t k = i; k < i + n; k++) {
		struct entry *e = &res->entries[k];

		if (e->type && e->desc) {
			descriptor_free(e->desc);
			e->desc = NULL;
			e->binary = NULL;	/* it was the descriptor's */
		}
	}
}

void resolution_slim(struct resolution *res, size_t i, size_t n)
{
	for (size_t k = i; k < i + n; k++) {
		struct entry *e = &res->entries[k];

		if (e->type && e->desc) {
			e->binary = e->binary ?
				arena_strdup(&res->strings, e->binary) : NULL;
			descriptor_free(e->desc);
			e->desc = NULL;
		}
	}
}

/* Which device is the null device, to tell masks by. */
static void know_devnull(struct settle_rules *rules)
{
	struct stat devnull;

	rules->have_devnull = stat("/dev/null", &devnull) == 0 &&
			      S_ISCHR(devnull.st_mode);
	if (rules->have_devnull)
		rules->devnull = devnull.st_rdev;
}

/* The rules both kinds of resolution settle by. */
static void init_rules(struct resolution *res, const struct resolve_options *o,
		       bool trust)
{
	memset(res, 0, sizeof(*res));
	res->rules.o = *o;
	res->rules.trust = trust;
	know_devnull(&res->rules);
}

void resolve(const struct searchpath *sp, const struct resolve_options *o,
	     struct resolution *res)
{
	struct scan r = { .sp = sp, .res = res };

	init_rules(res, o, trust_applies(sp));
	open_dirs(&r);
	for (size_t i = 0; i < sp->n; i++)
		if (res->dirs[i].fd >= 0)
			scan_dir(&r, i);
	if (res->n > 1)
		qsort(res->entries, res->n, sizeof(*res->entries),
		      compare_entries);
	mark_names(res);
}

/*
 * The directory part of path ("." when it has none) and the entry to
 * look up in it: the last component, or "." for a path ending in "/".
 */
static char *split_path(const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		*name = path;
		return xstrdup(".");
	}
	*name = slash[1] ? slash + 1 : ".";
	if (!slash[1])
		return xstrdup(path);
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

void resolve_path(const char *path, const struct resolve_options *o,
		  struct resolution *res)
{
	const char *name;
	struct scan r = { .res = res };
	char *dir = split_path(path, &name);
	/* "dir/": the directory itself, not "." looked up in it. */
	bool whole_dir = name != path + strlen(path) - strlen(name);
	struct entry *e;
	struct stat st;
	int err;

	init_rules(res, o, false);
	res->dirs = xcalloc(1, sizeof(*res->dirs));
	res->missing = xcalloc(1, sizeof(*res->missing));
	res->shown = xcalloc(1, sizeof(*res->shown));
	res->n_dirs = 1;
	res->shown[0] = dir;
	res->dirs[0].where = dir;
	/* Only looked up in, never listed: search permission is enough. */
	res->dirs[0].fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	err = errno;
	e = add_entry(&r, 0, name);
	/*
	 * Shown as given, not as dir + name; for "dir/" the name looked up
	 * is ".", a name that is no candidate, as "" would be.
	 */
	e->path = arena_strdup(&res->strings, path);
	e->name = whole_dir ? "." : e->path + (name - path);
	e->name_start = true;
	if (res->dirs[0].fd < 0) {
		res->missing[0] = err == ENOENT;
		e->error = err;
		set_other(e, xstrdup(strerror(err)));
	} else if (whole_dir && fstat(res->dirs[0].fd, &st) == 0) {
		set_kind(&res->rules, e, -1, &st);
	} else {
		classify(res, e, DT_UNKNOWN);
	}
	resolution_settle(res, 0);
}

/* What an entry owns; its strings are its resolution's. */
static void entry_release(struct entry *e)
{
	free(e->reason);
	descriptor_free(e->desc);
}

void resolution_free(struct resolution *res)
{
	for (size_t i = 0; i < res->n; i++)
		entry_release(&res->entries[i]);
	arena_free(&res->strings);
	free(res->entries);
	for (size_t i = 0; i < res->n_dirs; i++)
		if (res->dirs[i].fd >= 0)
			close(res->dirs[i].fd);
	free(res->dirs);
	free(res->missing);
	for (size_t i = 0; i < res->n_dirs; i++)
		free(res->shown ? res->shown[i] : NULL);
	free(res->shown);
	for (size_t i = 0; i < res->n_warnings; i++) {
		free(res->warnings[i].dir);
		free(res->warnings[i].why);
		free(res->warnings[i].msg);
		free(res->warnings[i].text);
	}
	free(res->warnings);
	memset(res, 0, sizeof(*res));
}

const char *entry_type(const struct entry *e)
{
	return e->type ? e->type : e->desc ? e->desc->type : NULL;
}

const char *entry_binary(const struct entry *e)
{
	return e->binary ? e->binary : e->desc ? e->desc->binary : NULL;
}

bool resolution_has_descriptor(struct resolution *res)
{
	for (size_t i = 0, n; (n = resolution_settle(res, i)); i += n)
		for (size_t k = i; k < i + n; k++)
			if (res->entries[k].kind == KIND_DESCRIPTOR &&
			    res->entries[k].status != STATUS_SKIPPED)
				return true;
	return false;
}

bool entry_takes_effect(const struct entry *e)
{
	return e->status == STATUS_ACTIVE || e->status == STATUS_INVALID ||
	       (e->status == STATUS_MASKED && !e->by);
}

const struct entry *resolution_named(const struct resolution *res,
				     const char *name, size_t *n)
{
	size_t lo = 0, hi = res->n;

	/* Entries are sorted by name: binary search for the first. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(res->entries[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == res->n || strcmp(res->entries[lo].name, name) != 0) {
		*n = 0;
		return NULL;
	}
	*n = resolution_same_name(res, lo);
	return &res->entries[lo];
}

const struct entry *resolution_next_of_type(const struct resolution *res,
					    const char *type,
					    const struct entry *after)
{
	const struct entry *end = res->entries + res->n;

	for (const struct entry *e = after ? after + 1 : res->entries;
	     e < end; e++)
		/* A name not yet settled (RESOLVE_LAZY) has no type yet. */
		if (e->status == STATUS_ACTIVE && e->type &&
		    strcmp(e->type, type) == 0)
			return e;
	return NULL;
}

void lookup_descriptor(const struct searchpath *sp, const char *arg,
		       struct lookup *l)
{
	const struct resolve_options whole = { .keep = KEEP_WHOLE };

	memset(l, 0, sizeof(*l));
	l->by_path = strchr(arg, '/') != NULL;
	if (l->by_path) {
		resolve_path(arg, &whole, &l->res);
		l->name = xstrdup(l->res.entries[0].name);
	} else {
		l->name = str_has_suffix(arg, ".json") ? xstrdup(arg) :
			xasprintf("%s.json", arg);
		/* Only the name looked for is read. */
		resolve(sp, &whole, &l->res);
	}
	l->named = resolution_named(&l->res, l->name, &l->n_named);
	if (l->named)
		resolution_settle(&l->res, (size_t)(l->named - l->res.entries));
	for (size_t i = 0; i < l->n_named && !l->entry; i++)
		if (entry_takes_effect(&l->named[i]))
			l->entry = &l->named[i];
	if (!l->entry)
		l->result = l->n_named ? LOOKUP_IGNORED : LOOKUP_ABSENT;
	else if (l->entry->status == STATUS_MASKED)
		l->result = LOOKUP_MASKED;
	else if (l->entry->status == STATUS_INVALID)
		l->result = LOOKUP_INVALID;
	else
		l->result = LOOKUP_ACTIVE;
}

void lookup_free(struct lookup *l)
{
	free(l->name);
	resolution_free(&l->res);
	memset(l, 0, sizeof(*l));
}
