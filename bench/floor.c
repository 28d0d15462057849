// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor for make bench: the least work that answers `list`.  Read
 * the directories given (general to specific); for each basename ending
 * in .json that takes effect (the most specific one), open it relative
 * to its directory's handle, fstat it, read it and close it.  Print
 * nothing.  Usage: floor [MODE] DIR...
 *
 * MODE measures what the fixed choices add to it, so that the bench can
 * say where the time of vhost-user-find goes:
 *   spec     open as SPEC 4 item 3 demands where another user can write
 *            the directory: a handle that cannot read (O_PATH), fstat,
 *            and only a regular file reopened for reading through
 *            /proc/self/fd;
 *   jansson  opened directly (as in a directory only the caller or root
 *            can write), and each file parsed by json_loadb and freed;
 *   dumps    the same, and each parsed file written by json_dumps.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

struct name {
	char *s;
	int dir;
};

static int by_name(const void *a, const void *b)
{
	const struct name *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	return c ? c : y->dir - x->dir;	/* most specific first */
}

/* Open name in dir for reading as the spec demands: -1 if not regular. */
static int open_spec(int dir, const char *name)
{
	static int proc = -1;
	char fdname[16];
	struct stat st;
	int p, f = -1;

	if (proc < 0)
		proc = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	p = openat(dir, name, O_PATH | O_CLOEXEC);
	if (p < 0)
		return -1;
	if (fstat(p, &st) == 0 && S_ISREG(st.st_mode)) {
		snprintf(fdname, sizeof(fdname), "%d", p);
		f = openat(proc, fdname, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	}
	close(p);
	return f;
}

int main(int argc, char **argv)
{
	int *fd = calloc((size_t)argc, sizeof(*fd));
	struct name *v = NULL;
	size_t n = 0, cap = 0;
	static char buf[1 << 20];
	/* parse: 1 json_loadb, 2 json_loadb and json_dumps */
	int first = 1, spec = 0, parse = 0;

	if (argc > 1 && strcmp(argv[1], "spec") == 0)
		spec = first = 2;
	else if (argc > 1 && strcmp(argv[1], "jansson") == 0)
		parse = 1, first = 2;
	else if (argc > 1 && strcmp(argv[1], "dumps") == 0)
		parse = first = 2;
	for (int d = first; d < argc; d++) {
		DIR *dir;
		struct dirent *de;

		fd[d] = open(argv[d], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd[d] < 0 || !(dir = fdopendir(dup(fd[d]))))
			continue;
		while ((de = readdir(dir))) {
			size_t len = strlen(de->d_name);

			if (de->d_name[0] == '.' || len <= 5 ||
			    strcmp(de->d_name + len - 5, ".json") != 0)
				continue;
			if (n == cap)
				v = realloc(v, (cap = cap ? 2 * cap : 1024) * sizeof(*v));
			v[n++] = (struct name){ strdup(de->d_name), d };
		}
		closedir(dir);
	}
	qsort(v, n, sizeof(*v), by_name);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		ssize_t got;
		int f;

		if (i > 0 && strcmp(v[i].s, v[i - 1].s) == 0)
			continue;
		if (spec)
			f = open_spec(fd[v[i].dir], v[i].s);
		else
			f = openat(fd[v[i].dir], v[i].s, O_RDONLY | O_CLOEXEC);
		if (f < 0)
			continue;
		if (!spec && fstat(f, &st) < 0)
			return 1;
		got = read(f, buf, sizeof(buf));
		if (got < 0)
			return 1;
		if (parse) {
			json_t *j = json_loadb(buf, (size_t)got,
					       JSON_REJECT_DUPLICATES, NULL);

			if (parse == 2)
				free(json_dumps(j, JSON_INDENT(2)));
			json_decref(j);
		}
		close(f);
	}
	return 0;
}
