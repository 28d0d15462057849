/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "searchpath.h"
#include "util.h"

/* A directory as the host finds it. */
static void add_dir(struct searchpath *sp, char *path, enum dir_origin origin)
{
	sp->dirs = xreallocarray(sp->dirs, sp->n + 1, sizeof(*sp->dirs));
	sp->dirs[sp->n++] = (struct search_dir){
		.path = path, .where = xstrdup(path), .origin = origin,
	};
}

/* A system directory: in the root under --root, shown as DIR + where. */
static void add_system_dir(struct searchpath *sp, char *where,
			   enum dir_origin origin)
{
	if (!sp->root) {
		add_dir(sp, where, origin);
		return;
	}
	sp->dirs = xreallocarray(sp->dirs, sp->n + 1, sizeof(*sp->dirs));
	sp->dirs[sp->n++] = (struct search_dir){
		.path = xasprintf("%s%s", sp->root, where), .where = where,
		.in_root = true, .origin = origin,
	};
}

/* A variable counts only when set, non-empty and absolute. */
static const char *absolute_env(const char *name)
{
	const char *v = getenv(name);

	return v && v[0] == '/' ? v : NULL;
}

char *user_config_home(void)
{
	const char *v;
	struct passwd *pw;

	if ((v = absolute_env("XDG_CONFIG_HOME")))
		return xstrdup(v);
	if ((v = absolute_env("HOME")))
		return path_join(v, ".config");
	pw = getpwuid(getuid());
	if (pw && pw->pw_dir && pw->pw_dir[0] == '/')
		return path_join(pw->pw_dir, ".config");
	return NULL;
}

/* root with trailing slashes removed, so that root + "/etc" is clean. */
static char *normalize_root(const char *root)
{
	char *r = xstrdup(root);
	size_t len = strlen(r);

	while (len > 0 && r[len - 1] == '/')
		r[--len] = '\0';
	return r;
}

void searchpath_init(struct searchpath *sp,
		     const struct searchpath_options *opts)
{
	char *home;

	memset(sp, 0, sizeof(*sp));
	if (opts->root) {
		sp->root = normalize_root(opts->root);
		sp->fs = opts->fs;
	}

	if (opts->n_dirs > 0) {
		for (size_t i = 0; i < opts->n_dirs; i++)
			add_dir(sp, xstrdup(opts->dirs[i]), DIR_OPTION);
		return;
	}

	add_system_dir(sp, xstrdup(QEMU_DATADIR "/vhost-user"), DIR_DISTRO);
	add_system_dir(sp, xstrdup(SYSCONFDIR "/qemu/vhost-user"), DIR_ADMIN);
	if (opts->system || opts->root)
		return;
	home = user_config_home();
	if (home) {
		add_dir(sp, path_join(home, "qemu/vhost-user"), DIR_USER);
		free(home);
	}
}

void searchpath_free(struct searchpath *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		free(sp->dirs[i].path);
		free(sp->dirs[i].where);
	}
	free(sp->dirs);
	free(sp->root);
	memset(sp, 0, sizeof(*sp));
}

bool searchpath_is_default(const struct searchpath *sp)
{
	return !sp->root && (sp->n == 0 || sp->dirs[0].origin != DIR_OPTION);
}

const struct search_dir *searchpath_user_dir(const struct searchpath *sp)
{
	for (size_t i = 0; i < sp->n; i++)
		if (sp->dirs[i].origin == DIR_USER)
			return &sp->dirs[i];
	return NULL;
}

char *searchpath_host_path(const struct searchpath *sp, const char *binary)
{
	char *inside, *host;

	if (!sp->root)
		return xstrdup(binary);
	/* ".." stops at the root, as resolving it does. */
	inside = path_normalize(binary);
	host = xasprintf("%s%s", sp->root, strcmp(inside, "/") ? inside : "");
	free(inside);
	return host;
}
