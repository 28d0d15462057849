/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resolve.h"
#include "util.h"

bool is_candidate_name(const char *name)
{
	return name[0] != '.' && str_has_suffix(name, ".json") &&
	       strlen(name) > strlen(".json");
}

const char *entry_status_name(enum entry_status status)
{
	switch (status) {
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

static void add_warning(struct resolution *res, const char *dir,
			const char *msg)
{
	struct dir_warning *w;

	res->warnings = xreallocarray(res->warnings, res->n_warnings + 1,
				      sizeof(*res->warnings));
	w = &res->warnings[res->n_warnings++];
	w->dir = xstrdup(dir);
	w->msg = xstrdup(msg);
}

static struct entry *add_entry(struct resolution *res, size_t *cap,
			       const char *dir, size_t index, const char *name)
{
	struct entry *e;

	if (res->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		res->entries = xreallocarray(res->entries, *cap,
					     sizeof(*res->entries));
	}
	e = &res->entries[res->n++];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	e->path = path_join(dir, name);
	e->dir = index;
	return e;
}

/* Why a link could not be followed, in words a sysadmin knows. */
static char *broken_link_reason(int err)
{
	if (err == ENOENT)
		return xstrdup("dangling symbolic link");
	if (err == ELOOP)
		return xstrdup("symbolic link loop");
	return xasprintf("symbolic link cannot be followed: %s",
			 strerror(err));
}

/*
 * Classify one candidate by what it resolves to; nothing is opened here.
 * d_type is readdir's (DT_UNKNOWN when not known): it says for free
 * whether the entry is a link, saving an lstat per file on most file
 * systems.
 */
static void classify(struct entry *e, int dfd, const char *name,
		     unsigned char d_type, const struct stat *devnull)
{
	struct stat st, lst;

	if (d_type != DT_UNKNOWN)
		e->symlink = d_type == DT_LNK;
	else if (fstatat(dfd, name, &lst, AT_SYMLINK_NOFOLLOW) == 0)
		e->symlink = S_ISLNK(lst.st_mode);
	if (fstatat(dfd, name, &st, 0) < 0) {
		e->error = errno;
		e->kind = KIND_OTHER;
		e->reason = e->symlink ? broken_link_reason(e->error) :
			xstrdup(strerror(e->error));
		return;
	}
	if (S_ISREG(st.st_mode)) {
		e->kind = st.st_size == 0 ? KIND_MASK : KIND_DESCRIPTOR;
		return;
	}
	if (devnull && S_ISCHR(st.st_mode) && st.st_rdev == devnull->st_rdev) {
		e->kind = KIND_MASK;
		e->devnull = true;
		return;
	}
	e->kind = KIND_OTHER;
	e->reason = xasprintf("is %s", file_type_name(st.st_mode));
}

static void scan_dir(struct resolution *res, size_t *cap, const char *dir,
		     size_t index, unsigned flags, const struct stat *devnull)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int dfd;

	if (!d) {
		if (errno != ENOENT)
			add_warning(res, dir, strerror(errno));
		return;
	}
	dfd = dirfd(d);
	for (;;) {
		struct entry *e;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				add_warning(res, dir, strerror(errno));
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (!is_candidate_name(de->d_name)) {
			if (!(flags & RESOLVE_KEEP_SKIPPED))
				continue;
			e = add_entry(res, cap, dir, index, de->d_name);
			e->kind = KIND_OTHER;
			e->status = STATUS_SKIPPED;
			e->reason = xstrdup(de->d_name[0] == '.' ?
					    "hidden name" :
					    "name does not end in \".json\"");
			continue;
		}
		e = add_entry(res, cap, dir, index, de->d_name);
		classify(e, dfd, e->name, de->d_type, devnull);
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
 * Directory i is left out when a more specific one is the same directory
 * (by device and inode): its files would only override themselves.
 */
static bool *find_duplicate_dirs(const struct searchpath *sp)
{
	bool *dup = xcalloc(sp->n, sizeof(*dup));
	struct stat *st = xcalloc(sp->n, sizeof(*st));
	bool *ok = xcalloc(sp->n, sizeof(*ok));

	for (size_t i = 0; i < sp->n; i++)
		ok[i] = stat(sp->dirs[i].path, &st[i]) == 0;
	for (size_t i = 0; i < sp->n; i++)
		for (size_t j = i + 1; j < sp->n && ok[i]; j++)
			if (ok[j] && st[i].st_dev == st[j].st_dev &&
			    st[i].st_ino == st[j].st_ino)
				dup[i] = true;
	free(st);
	free(ok);
	return dup;
}

size_t resolution_same_name(const struct resolution *res, size_t i)
{
	size_t j = i + 1;

	while (j < res->n && strcmp(res->entries[j].name,
				    res->entries[i].name) == 0)
		j++;
	return j - i;
}

/*
 * In each name's entries, most specific first, the first mask or
 * descriptor takes effect and hides the rest; anything else is ignored.
 * A descriptor that takes effect is active until loading says otherwise.
 */
static void decide(struct resolution *res)
{
	for (size_t i = 0, n; i < res->n; i += n) {
		struct entry *winner = NULL;

		n = resolution_same_name(res, i);
		for (size_t k = i; k < i + n; k++) {
			struct entry *e = &res->entries[k];

			if (e->status == STATUS_SKIPPED)
				continue;
			if (e->kind == KIND_OTHER) {
				e->status = STATUS_IGNORED;
			} else if (!winner) {
				winner = e;
				e->status = e->kind == KIND_MASK ?
					STATUS_MASKED : STATUS_ACTIVE;
			} else {
				e->by = winner;
				e->status = winner->kind == KIND_MASK ?
					STATUS_MASKED : STATUS_OVERRIDDEN;
			}
		}
	}
}

/* Overridden files are read only when asked: plain lookups skip them. */
static void load_descriptors(struct resolution *res, unsigned flags)
{
	for (size_t i = 0; i < res->n; i++) {
		struct entry *e = &res->entries[i];
		bool effective = entry_takes_effect(e);

		if (e->kind != KIND_DESCRIPTOR)
			continue;
		if (!effective && !(flags & RESOLVE_LOAD_ALL))
			continue;
		e->desc = descriptor_load(e->path);
		descriptor_slim(e->desc);
		if (effective && !descriptor_is_valid(e->desc))
			e->status = STATUS_INVALID;
	}
}

void resolve(const struct searchpath *sp, unsigned flags,
	     struct resolution *res)
{
	struct stat devnull;
	bool have_devnull = stat("/dev/null", &devnull) == 0 &&
			    S_ISCHR(devnull.st_mode);
	bool *dup = find_duplicate_dirs(sp);
	size_t cap = 0;

	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < sp->n; i++)
		if (!dup[i])
			scan_dir(res, &cap, sp->dirs[i].path, i, flags,
				 have_devnull ? &devnull : NULL);
	free(dup);
	if (res->n > 1)
		qsort(res->entries, res->n, sizeof(*res->entries),
		      compare_entries);
	decide(res);
	load_descriptors(res, flags);
}

void entry_clear(struct entry *e)
{
	free(e->name);
	free(e->path);
	free(e->reason);
	descriptor_free(e->desc);
	memset(e, 0, sizeof(*e));
}

void resolve_file(const char *path, struct entry *e)
{
	const char *slash = strrchr(path, '/');
	struct stat devnull;
	bool have_devnull = stat("/dev/null", &devnull) == 0 &&
			    S_ISCHR(devnull.st_mode);

	memset(e, 0, sizeof(*e));
	e->name = xstrdup(slash ? slash + 1 : path);
	e->path = xstrdup(path);
	classify(e, AT_FDCWD, path, DT_UNKNOWN, have_devnull ? &devnull : NULL);
	switch (e->kind) {
	case KIND_DESCRIPTOR:
		e->desc = descriptor_load(path);
		e->status = descriptor_is_valid(e->desc) ? STATUS_ACTIVE :
			STATUS_INVALID;
		break;
	case KIND_MASK:
		e->status = STATUS_MASKED;
		break;
	default:
		e->status = STATUS_IGNORED;
		break;
	}
}

void resolution_free(struct resolution *res)
{
	for (size_t i = 0; i < res->n; i++)
		entry_clear(&res->entries[i]);
	free(res->entries);
	for (size_t i = 0; i < res->n_warnings; i++) {
		free(res->warnings[i].dir);
		free(res->warnings[i].msg);
	}
	free(res->warnings);
	memset(res, 0, sizeof(*res));
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
		if (e->status == STATUS_ACTIVE && strcmp(e->desc->type, type) == 0)
			return e;
	return NULL;
}

static void lookup_name(const struct searchpath *sp, struct lookup *l)
{
	resolve(sp, 0, &l->res);
	l->named = resolution_named(&l->res, l->name, &l->n_named);
	for (size_t i = 0; i < l->n_named && !l->entry; i++)
		if (entry_takes_effect(&l->named[i]))
			l->entry = &l->named[i];
}

void lookup_descriptor(const struct searchpath *sp, const char *arg,
		       struct lookup *l)
{
	memset(l, 0, sizeof(*l));
	l->by_path = strchr(arg, '/') != NULL;
	if (l->by_path) {
		resolve_file(arg, &l->file);
		l->name = xstrdup(l->file.name);
		l->named = &l->file;
		l->n_named = 1;
		if (l->file.status != STATUS_IGNORED)
			l->entry = &l->file;
	} else {
		l->name = str_has_suffix(arg, ".json") ? xstrdup(arg) :
			xasprintf("%s.json", arg);
		lookup_name(sp, l);
	}
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
	if (l->by_path)
		entry_clear(&l->file);
	else
		resolution_free(&l->res);
	memset(l, 0, sizeof(*l));
}
