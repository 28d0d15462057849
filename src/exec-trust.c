/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf.h"
#include "exec-trust.h"
#include "exec-walk.h"
#include "probe.h"
#include "rootfs.h"
#include "util.h"

/* The kernel's limit on "#!" files in one chain. */
#define MAX_SCRIPTS 5
/* Objects one judgement reads. */
#define MAX_OBJECTS 512
/* The kernel reads this much of a "#!" line. */
#define SCRIPT_LINE 256

/* Directories, in the order the loader searches them. */
struct dirlist {
	char **v;
	size_t n;
};

static void dirlist_add(struct dirlist *l, char *dir)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = dir;
}

static void dirlist_free(struct dirlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* A judgement in progress over everything one execve loads. */
struct judge {
	const struct exec_rules *r;
	enum exec_verdict verdict;
	char *why;
	struct dirlist library_path;	/* LD_LIBRARY_PATH, judged */
	struct {
		dev_t dev;
		ino_t ino;
	} seen[MAX_OBJECTS];
	size_t n_seen;
};

__attribute__((format(printf, 3, 4)))
static bool judge_fail(struct judge *j, enum exec_verdict v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	j->verdict = v;
	j->why = xvasprintf(fmt, ap);
	va_end(ap);
	return false;
}

/* Take over a failed walk's verdict; a missing piece in words of its own. */
static bool judge_walk_failed(struct judge *j, struct exec_walk_result *res,
			      const char *missing, const char *path)
{
	if (res->verdict == EXEC_CANNOT_START && strcmp(res->why, "not found") == 0)
		judge_fail(j, EXEC_CANNOT_START, "cannot run: %s %s not found",
			   missing, path);
	else if (res->verdict == EXEC_CANNOT_START)
		judge_fail(j, EXEC_CANNOT_START, "cannot run: %s %s: %s",
			   missing, path, res->why);
	else
		judge_fail(j, res->verdict, "%s", res->why);
	return false;
}

/* The last NAME=VALUE of --env, or NULL. */
static const char *env_value(const struct exec_rules *r, const char *name)
{
	size_t len = strlen(name);
	const char *value = NULL;

	for (char *const *e = r->env; e && *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			value = *e + len + 1;
	return value;
}

/* The file fd is, as the kernel names it; NULL when that cannot be told. */
static char *real_path(int fd)
{
	char proc[64], path[PATH_MAX];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, path, sizeof(path) - 1);
	if (n <= 0 || path[0] != '/')
		return NULL;
	path[n] = '\0';
	if (str_has_suffix(path, " (deleted)"))
		return NULL;
	return xstrdup(path);
}

/* The directory of the file fd is ($ORIGIN); NULL when it cannot be told. */
static char *origin_of(int fd)
{
	char *path = real_path(fd), *slash;

	if (!path)
		return NULL;
	slash = strrchr(path, '/');
	if (slash == path)
		slash[1] = '\0';
	else
		*slash = '\0';
	return path;
}

static bool judge_program(struct judge *j, int fd, const char *path,
			  unsigned scripts, bool *script);

/*
 * A piece's path as the kernel or the loader opens it, what names it
 * (for messages).  A relative one is found from the working directory:
 * "/" for a probe, but anything for the program root starts by match's
 * path, so when judged it is not trusted.  tokens: the loader expands
 * "$ORIGIN" and the like in it, which is not judged.  NULL on failure.
 */
static char *piece_path(struct judge *j, const char *what, const char *path,
			bool tokens)
{
	if (j->r->judged && tokens && strchr(path, '$')) {
		judge_fail(j, EXEC_NOT_TRUSTED,
			   "%s '%s' names a dynamic string token, which is not judged",
			   what, path);
		return NULL;
	}
	if (path[0] == '/')
		return xstrdup(path);
	if (j->r->judged) {
		judge_fail(j, EXEC_NOT_TRUSTED,
			   "%s '%s' is relative: what it names depends on where it is started",
			   what, path);
		return NULL;
	}
	return path_join("/", path);
}

/* Whether fd is a regular file. */
static bool is_regular(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

/* Whether fd is a regular file with an execute bit. */
static bool runnable(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH));
}

/*
 * "#!/usr/bin/env NAME": NAME as env finds it through the probe's PATH;
 * every directory searched up to it is judged too, since a NAME put
 * into an earlier one would run instead.
 */
static bool judge_env_name(struct judge *j, const char *name)
{
	const char *search = env_value(j->r, "PATH");
	struct exec_walk_result res;
	char *dirs, *dir;
	bool ok = true, found = false;

	if (strchr(name, '/')) {
		char *abs = piece_path(j, "program", name, false);

		if (!abs)
			return false;
		exec_walk_path(j->r, abs, "program", &res);
		free(abs);
		if (res.fd < 0)
			ok = judge_walk_failed(j, &res, "program", name);
		else
			ok = judge_program(j, res.fd, res.path, 0, NULL);
		exec_walk_result_free(&res);
		return ok;
	}
	dirs = xstrdup(search ? search : PROBE_PATH + strlen("PATH="));
	for (char *rest = dirs; ok && !found && (dir = strsep(&rest, ":"));) {
		char *full, *abs = piece_path(j, "PATH directory", dir[0] ? dir : ".",
					      false);

		if (!abs) {
			ok = false;
			break;
		}
		exec_walk_path(j->r, abs, "PATH directory", &res);
		if (res.fd < 0 && (res.verdict != EXEC_CANNOT_START ||
				   res.creatable))
			ok = judge_fail(j, EXEC_NOT_TRUSTED, "%s", res.creatable ?
					"a PATH directory others may create" : res.why);
		exec_walk_result_free(&res);
		full = path_join(abs, name);
		if (ok) {
			exec_walk_path(j->r, full, "program", &res);
			/* env, as execvp, passes over what it cannot execute. */
			found = res.fd >= 0 && runnable(res.fd);
			if (found)
				ok = judge_program(j, res.fd, res.path, 0, NULL);
			else if (res.fd < 0 && (res.verdict != EXEC_CANNOT_START ||
						res.creatable))
				ok = judge_walk_failed(j, &res, "program", full);
			exec_walk_result_free(&res);
		}
		free(full);
		free(abs);
	}
	free(dirs);
	if (ok && !found)
		return judge_fail(j, EXEC_CANNOT_START,
				  "cannot run: env finds no '%s' in PATH", name);
	return ok;
}

/*
 * An interpreter's argument that is a path ("#!/bin/sh /etc/x"): the
 * interpreter may well read or run that file, so it must be root's too.
 */
static bool judge_argument(struct judge *j, const char *argument)
{
	struct exec_walk_result res;
	bool ok = true;

	exec_walk_path(j->r, argument, "interpreter argument", &res);
	if (res.fd < 0 && (res.verdict != EXEC_CANNOT_START || res.creatable))
		ok = judge_fail(j, EXEC_NOT_TRUSTED, "%s", res.creatable ?
				"an interpreter argument others may create" : res.why);
	exec_walk_result_free(&res);
	return ok;
}

/*
 * The kernel's parse of a "#!" line (n bytes read into line, which has
 * room for one more): the interpreter up to a blank, then at most one
 * argument, the rest of the line, blanks trimmed; both allocated.  False,
 * the verdict given and both NULL, when the line is too long or names
 * no interpreter.
 */
static bool parse_script_line(struct judge *j, char *line, size_t n,
			      char **interp, char **argument)
{
	size_t start = 2, end, arg;

	*interp = *argument = NULL;
	/* Without a newline in what it read, the kernel takes one byte less. */
	if (!memchr(line, '\n', n) && n == SCRIPT_LINE)
		n--;
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	if (strlen(line) == n && n == SCRIPT_LINE - 1 &&
	    !strpbrk(line + 2 + strspn(line + 2, " \t"), " \t"))
		return judge_fail(j, EXEC_CANNOT_START,
				  "not executable: its #! line is too long");
	n = strlen(line);
	while (start < n && (line[start] == ' ' || line[start] == '\t'))
		start++;
	for (end = start; end < n && line[end] != ' ' && line[end] != '\t'; end++)
		;
	for (arg = end; arg < n && (line[arg] == ' ' || line[arg] == '\t'); arg++)
		;
	while (n > arg && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	if (end == start)
		return judge_fail(j, EXEC_CANNOT_START,
				  "not executable: its #! line names no interpreter");
	*interp = xasprintf("%.*s", (int)(end - start), line + start);
	*argument = xasprintf("%.*s", (int)(n - arg), line + arg);
	return true;
}

/*
 * A "#!" file's line (n bytes): its interpreter, judged as a program,
 * and for env the program it runs.
 */
static bool judge_script(struct judge *j, char *line, size_t n, unsigned scripts)
{
	struct exec_walk_result res;
	char *interp, *abs, *argument, *base;
	bool ok;

	if (scripts >= MAX_SCRIPTS)
		return judge_fail(j, EXEC_CANNOT_START,
				  "cannot run: more than %d levels of #! interpreters",
				  MAX_SCRIPTS);
	if (!parse_script_line(j, line, n, &interp, &argument))
		return false;
	abs = piece_path(j, "interpreter", interp, false);
	res.fd = -1;
	res.why = res.path = NULL;
	if (!abs)
		ok = false;
	else if (exec_walk_path(j->r, abs, "interpreter", &res), res.fd < 0)
		ok = judge_walk_failed(j, &res, "interpreter", interp);
	else if (!runnable(res.fd))
		ok = judge_fail(j, EXEC_CANNOT_START,
				"cannot run: interpreter %s is not an executable file",
				interp);
	else
		ok = judge_program(j, res.fd, res.path, scripts + 1, NULL);
	/* env is known by what the interpreter resolves to, not its name. */
	base = ok ? strrchr(res.path, '/') + 1 : NULL;
	if (ok && strcmp(base, "env") == 0 && argument[0] && j->r->judged) {
		if (argument[0] == '-' || strpbrk(argument, " \t="))
			ok = judge_fail(j, EXEC_NOT_TRUSTED,
					"its #! line runs env with '%s': only '#!%s NAME' can be judged",
					argument, interp);
		else
			ok = judge_env_name(j, argument);
	} else if (ok && argument[0] == '/' && j->r->judged) {
		ok = judge_argument(j, argument);
	}
	exec_walk_result_free(&res);
	free(interp);
	free(argument);
	free(abs);
	return ok;
}

/*
 * The directories of a run path (DT_RPATH, DT_RUNPATH or
 * LD_LIBRARY_PATH), $ORIGIN expanded to origin, each judged; what
 * names another token, a relative directory or a directory others may
 * create is not trusted.  Added to *dirs.
 */
static bool judge_run_path(struct judge *j, const char *name, const char *list,
			   const char *seps, const char *origin, const char *what,
			   struct dirlist *dirs)
{
	char *copy = xstrdup(list), *rest = copy, *item;
	bool ok = true;

	/* An empty item is the working directory, as a relative one is. */
	while (ok && (item = strsep(&rest, seps))) {
		struct exec_walk_result res;
		struct strbuf dir = { 0 };
		const char *p = item;

		while (*p && ok) {
			if ((strncmp(p, "$ORIGIN", 7) == 0 &&
			     !isalnum((unsigned char)p[7]) && p[7] != '_') ||
			    strncmp(p, "${ORIGIN}", 9) == 0) {
				if (!origin)
					ok = judge_fail(j, EXEC_NOT_TRUSTED,
							"%s '%s' names $ORIGIN, and the file's directory cannot be told",
							name, list);
				else
					strbuf_add(&dir, origin);
				p += p[1] == '{' ? 9 : 7;
			} else if (*p == '$') {
				ok = judge_fail(j, EXEC_NOT_TRUSTED,
						"%s '%s' names a token other than $ORIGIN, which is not judged",
						name, list);
			} else {
				char one[2] = { *p++, '\0' };

				strbuf_add(&dir, one);
			}
		}
		if (ok && (!dir.s || dir.s[0] != '/'))
			ok = judge_fail(j, EXEC_NOT_TRUSTED,
					"%s '%s' has a relative directory, which depends on where it is started",
					name, list);
		if (ok) {
			exec_walk_path(j->r, dir.s, what, &res);
			if (res.fd < 0 && res.creatable)
				ok = judge_fail(j, EXEC_NOT_TRUSTED,
						"%s %s does not exist, and others may create it",
						what, dir.s);
			else if (res.fd < 0 && res.verdict != EXEC_CANNOT_START)
				ok = judge_fail(j, res.verdict, "%s", res.why);
			exec_walk_result_free(&res);
		}
		if (ok)
			dirlist_add(dirs, dir.s);
		else
			free(dir.s);
	}
	free(copy);
	return ok;
}

static bool judge_library(struct judge *j, const char *name,
			  const struct dirlist *search, const struct dirlist *inherited,
			  const char *what);

/* Whether the object st describes was judged already; else remember it. */
static bool seen_before(struct judge *j, const struct stat *st, bool *full)
{
	for (size_t i = 0; i < j->n_seen; i++)
		if (j->seen[i].dev == st->st_dev && j->seen[i].ino == st->st_ino)
			return true;
	*full = j->n_seen == MAX_OBJECTS;
	if (!*full) {
		j->seen[j->n_seen].dev = st->st_dev;
		j->seen[j->n_seen++].ino = st->st_ino;
	}
	return false;
}

/*
 * An ELF object's pieces: the program's dynamic loader; when judged, its
 * run path directories and the libraries found through them, each in
 * turn (inherited: the DT_RPATHs of those that loaded it).
 */
static bool judge_elf(struct judge *j, int fd, const struct elf_info *info,
		      bool program, const struct dirlist *inherited)
{
	struct dirlist rpath = { 0 }, runpath = { 0 }, search = { 0 }, pass = { 0 };
	char *origin = NULL;
	bool ok = true, full = false;
	struct stat st;

	if (program && info->interp) {
		struct exec_walk_result res;

		char *abs = piece_path(j, "dynamic loader", info->interp, false);

		if (!abs)
			return false;
		exec_walk_path(j->r, abs, "dynamic loader", &res);
		free(abs);
		if (res.fd < 0)
			ok = judge_walk_failed(j, &res, "dynamic loader", info->interp);
		exec_walk_result_free(&res);
	}
	if (!ok || !j->r->judged || fstat(fd, &st) < 0 || seen_before(j, &st, &full))
		return ok;
	if (full)
		return judge_fail(j, EXEC_NOT_TRUSTED,
				  "it loads more than %d files through run paths",
				  MAX_OBJECTS);
	origin = origin_of(fd);
	if (info->runpath)
		ok = judge_run_path(j, "its run path", info->runpath, ":", origin,
				    "run path directory", &runpath);
	else if (info->rpath)
		ok = judge_run_path(j, "its run path", info->rpath, ":", origin,
				    "run path directory", &rpath);
	/*
	 * The loader's order: without a DT_RUNPATH, its own DT_RPATH and
	 * those of the objects that loaded it; LD_LIBRARY_PATH; DT_RUNPATH.
	 * What it loads inherits the DT_RPATHs.
	 */
	for (size_t i = 0; ok && !info->runpath && i < rpath.n; i++)
		dirlist_add(&pass, xstrdup(rpath.v[i]));
	for (size_t i = 0; ok && i < inherited->n; i++)
		dirlist_add(&pass, xstrdup(inherited->v[i]));
	for (size_t i = 0; !info->runpath && i < pass.n; i++)
		dirlist_add(&search, xstrdup(pass.v[i]));
	for (size_t i = 0; i < j->library_path.n; i++)
		dirlist_add(&search, xstrdup(j->library_path.v[i]));
	for (size_t i = 0; i < runpath.n; i++)
		dirlist_add(&search, xstrdup(runpath.v[i]));
	for (size_t i = 0; ok && i < info->n_needed; i++)
		ok = judge_library(j, info->needed[i], &search, &pass, "library");
	dirlist_free(&rpath);
	dirlist_free(&runpath);
	dirlist_free(&search);
	dirlist_free(&pass);
	free(origin);
	return ok;
}

/* Read the ELF headers of regular file fd (O_PATH) and judge them. */
static bool judge_elf_file(struct judge *j, int fd, int rfd, const char *path,
			   bool program, const struct dirlist *inherited)
{
	struct elf_info info;
	struct stat st;
	char *why = NULL;
	enum elf_kind kind;
	bool ok = true;

	if (fstat(rfd, &st) < 0)
		return judge_fail(j, EXEC_NOT_TRUSTED, "%s cannot be read: %s",
				  path, strerror(errno));
	memset(&info, 0, sizeof(info));
	kind = elf_read(elf_pread_fd, &rfd, (unsigned long long)st.st_size,
			&info, &why);
	if (kind == ELF_MALFORMED && j->r->judged)
		ok = judge_fail(j, EXEC_NOT_TRUSTED, "%s cannot be judged: %s",
				path, why);
	else if (kind == ELF_OK)
		ok = judge_elf(j, fd, &info, program, inherited);
	free(why);
	elf_info_free(&info);
	return ok;
}

/*
 * A library the loader takes for name: a path as it is, else the first
 * of search that has it; found elsewhere (the loader's default paths and
 * cache), it is not judged.
 */
static bool judge_library(struct judge *j, const char *name,
			  const struct dirlist *search, const struct dirlist *inherited,
			  const char *what)
{
	bool ok = true, found = false;

	for (size_t i = 0; ok && !found && i < (strchr(name, '/') ? 1 : search->n); i++) {
		char *path = strchr(name, '/') ? piece_path(j, what, name, true) :
			path_join(search->v[i], name);
		struct exec_walk_result res;
		int rfd;

		if (!path)
			return false;
		exec_walk_path(j->r, path, what, &res);
		if (res.fd >= 0 && !is_regular(res.fd)) {
			found = true;
			ok = judge_fail(j, EXEC_CANNOT_START,
					"cannot run: %s %s is not a regular file",
					what, res.path);
		} else if (res.fd >= 0) {
			found = true;
			rfd = rootfs_reopen(res.fd);
			if (rfd < 0)
				ok = judge_fail(j, EXEC_NOT_TRUSTED, "%s %s cannot be read: %s",
						what, res.path, strerror(errno));
			else
				ok = judge_elf_file(j, res.fd, rfd, res.path, false, inherited);
			if (rfd >= 0)
				close(rfd);
		} else if (res.creatable) {
			ok = judge_fail(j, EXEC_NOT_TRUSTED,
					"%s %s does not exist, and others may create it",
					what, path);
		} else if (res.verdict != EXEC_CANNOT_START) {
			ok = judge_fail(j, res.verdict, "%s", res.why);
		}
		exec_walk_result_free(&res);
		free(path);
	}
	return ok;
}

/*
 * A program (fd, an O_PATH handle on a regular file at path): a "#!"
 * chain, or an ELF file's loader and run paths; scripts counts the "#!"
 * files before it in the chain.
 */
static bool judge_program(struct judge *j, int fd, const char *path,
			  unsigned scripts, bool *script)
{
	char line[SCRIPT_LINE + 1];
	struct dirlist none = { 0 };
	ssize_t got;
	bool ok;
	int rfd = rootfs_reopen(fd);

	if (rfd < 0) {
		/* Root reads anything; another caller runs what it may not read. */
		if (!j->r->judged)
			return true;
		return judge_fail(j, EXEC_NOT_TRUSTED, "%s cannot be read: %s",
				  path, strerror(errno));
	}
	got = pread(rfd, line, SCRIPT_LINE, 0);
	if (got >= 2 && line[0] == '#' && line[1] == '!') {
		if (script)
			*script = true;
		close(rfd);
		return judge_script(j, line, (size_t)got, scripts);
	}
	ok = judge_elf_file(j, fd, rfd, path, true, &none);
	close(rfd);
	return ok;
}

/*
 * As root, a probe's --env: LD_LIBRARY_PATH's directories, and what
 * LD_PRELOAD and LD_AUDIT name, judged as run paths and libraries are.
 */
static bool judge_loader_env(struct judge *j, int fd)
{
	const char *llp = env_value(j->r, "LD_LIBRARY_PATH");
	const char *lists[] = { "LD_PRELOAD", "LD_AUDIT" };
	struct dirlist none = { 0 };
	char *origin = origin_of(fd);
	bool ok = true;

	if (llp && llp[0])
		ok = judge_run_path(j, "LD_LIBRARY_PATH", llp, ":;", origin,
				    "LD_LIBRARY_PATH directory",
				    &j->library_path);
	free(origin);
	for (size_t k = 0; ok && k < 2; k++) {
		const char *value = env_value(j->r, lists[k]);
		char *copy = value ? xstrdup(value) : NULL, *item, *save = NULL;
		char *what = xasprintf("%s library", lists[k]);

		for (item = copy ? strtok_r(copy, k == 0 ? ": " : ":", &save) : NULL;
		     item && ok; item = strtok_r(NULL, k == 0 ? ": " : ":", &save))
			ok = judge_library(j, item, &j->library_path, &none, what);
		free(what);
		free(copy);
	}
	return ok;
}

enum exec_verdict exec_judge(const struct exec_rules *r, int fd,
			     bool *script, char **why)
{
	struct judge *j = xcalloc(1, sizeof(*j));
	enum exec_verdict verdict;
	char *path = real_path(fd);

	j->r = r;
	*script = false;
	if (!r->judged || judge_loader_env(j, fd))
		judge_program(j, fd, path ? path : "the program", 0, script);
	verdict = j->verdict;
	*why = j->why;
	dirlist_free(&j->library_path);
	free(path);
	free(j);
	return verdict;
}
