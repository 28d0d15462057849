/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The releases modelled, and where each behaviour changed, from
 * libvirt's own history (NEWS.rst of 11.3.0, and the sources of 9.0.0
 * as Debian 12 ships them and of 11.3.0):
 *
 * - 9.0.0: descriptors are parsed by yajl (src/util/virjson.c with
 *   WITH_YAJL): a duplicate key fails the parse (virJSONValueObjectInsert
 *   refuses it, and yajl cancels), nesting has no limit.  fs: the first
 *   descriptor of type fs is taken, its binary never run
 *   (qemuVhostUserFillDomainFS).  A session daemon refuses virtiofs
 *   before any lookup (qemuValidateDomainDeviceDefFS: "virtiofs is not
 *   yet supported in session mode").
 * - 10.0.0: NEWS "qemu: allow virtiofsd to run unprivileged" and "qemu:
 *   add ID mapping support for virtiofsd": a session daemon starts
 *   virtiofsd with an id map (qemu_virtiofs.c).
 * - 10.8.0: NEWS "Switch from YAJL to json-c for JSON parsing and
 *   formatting": a duplicate key keeps its last value, and json-c's
 *   default depth (32) fails a descriptor nested that deep.
 * - fs candidates probed with --print-capabilities, one whose answer is
 *   not JSON skipped (qemuVhostUserFillFSCapabilities): in the code of
 *   11.0.0 and 11.3.0, not in 10.0.0's.  The change (Ján Tomko, devel
 *   list msg04524, "Run the daemon with --print-capabilities first")
 *   was posted in mid-2024, after 10.0.0; its release is not confirmed,
 *   and the model takes it to be in 10.8.0.
 * - 11.3.0: the newest release modelled, its code read in full.
 *
 * The gpu choice (every candidate probed, one without "features"
 * skipped, the answer's "type" never read) and the render-node lookup
 * (virHostGetDRMRenderNode) are the same in every release modelled.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvirt-version.h"
#include "rootfs.h"
#include "util.h"

#ifndef MULTIARCH
#define MULTIARCH ""
#endif

/* Oldest first; each applies from its release to the next one's. */
static const struct libvirt_rules releases[] = {
	{ { 9, 0, 0 }, .json_c = false, .fs_probed = false,
	  .session_virtiofs = false },
	{ { 10, 0, 0 }, .json_c = false, .fs_probed = false,
	  .session_virtiofs = true },
	/* fs probing: see the top of this file. */
	{ { 10, 8, 0 }, .json_c = true, .fs_probed = true,
	  .session_virtiofs = true },
	{ { 11, 3, 0 }, .json_c = true, .fs_probed = true,
	  .session_virtiofs = true },
};

#define N_RELEASES (sizeof(releases) / sizeof(releases[0]))

static int compare_versions(const struct libvirt_version *a,
			    const struct libvirt_version *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->micro != b->micro)
		return a->micro < b->micro ? -1 : 1;
	return 0;
}

/* A run of digits at *s, as a number below 100000; -1 when there is none. */
static int number(const char **s)
{
	int n = 0;

	if (**s < '0' || **s > '9')
		return -1;
	for (; **s >= '0' && **s <= '9'; (*s)++) {
		n = n * 10 + (**s - '0');
		if (n >= 100000)
			return -1;
	}
	return n;
}

int libvirt_version_parse(const char *s, struct libvirt_version *v)
{
	memset(v, 0, sizeof(*v));
	if ((v->major = number(&s)) < 0 || *s++ != '.' ||
	    (v->minor = number(&s)) < 0)
		return -1;
	if (*s == '.' && (s++, (v->micro = number(&s)) < 0))
		return -1;
	/* libvirt's MAJOR * 1000 + MINOR cannot say a minor of 1000. */
	return *s || v->minor >= 1000 ? -1 : 0;
}

const char *libvirt_oldest_modelled(void)
{
	static char name[24];

	if (!name[0])
		snprintf(name, sizeof(name), "%d.%d", releases[0].since.major,
			 releases[0].since.minor);
	return name;
}

/*
 * The version a library name says: libvirt.so.0.AGE.MICRO, AGE being
 * MAJOR * 1000 + MINOR (libvirt's meson.build).
 */
static bool from_library_name(const char *name, struct libvirt_version *v)
{
	const char *s = name + strlen("libvirt.so.0.");
	int age, micro;

	if (strncmp(name, "libvirt.so.0.", strlen("libvirt.so.0.")) != 0 ||
	    (age = number(&s)) < 0 || *s++ != '.' ||
	    (micro = number(&s)) < 0 || *s)
		return false;
	*v = (struct libvirt_version){ age / 1000, age % 1000, micro };
	return true;
}

/* The newest libvirt.so.0.* in dir (in fs's root); its name in *found. */
static bool find_library(const struct rootfs *fs, const char *dir,
			 struct libvirt_version *v, char **found)
{
	int fd = rootfs_dir(fs, dir);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;
	bool any = false;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while ((de = readdir(d))) {
		struct libvirt_version w;

		if (!from_library_name(de->d_name, &w) ||
		    (any && compare_versions(&w, v) <= 0))
			continue;
		*v = w;
		free(*found);
		*found = path_join(dir, de->d_name);
		any = true;
	}
	closedir(d);
	return any;
}

/* Where the library is looked for (SPEC §10), first found wins. */
static const char *const library_dirs[] = {
	"/usr/lib/" MULTIARCH, "/usr/lib64", "/usr/lib",
};

#define N_LIBRARY_DIRS (sizeof(library_dirs) / sizeof(library_dirs[0]))

const char *libvirt_library_dirs(void)
{
	return MULTIARCH[0] ? "/usr/lib/" MULTIARCH ", /usr/lib64, /usr/lib" :
		"/usr/lib64, /usr/lib";
}

static void find_installed(const struct searchpath *sp, struct libvirt_in_use *u)
{
	const char *const *dirs = library_dirs + !MULTIARCH[0];

	for (size_t i = 0; i < N_LIBRARY_DIRS - !MULTIARCH[0]; i++) {
		char *driver;
		int fd;

		if (!find_library(sp->fs, dirs[i], &u->v, &u->library))
			continue;
		u->source = LIBVIRT_FOUND;
		driver = path_join(dirs[i],
				   "libvirt/connection-driver/libvirt_driver_qemu.so");
		fd = rootfs_path(sp->fs, driver);
		u->no_qemu_driver = fd < 0;
		if (fd >= 0)
			close(fd);
		free(driver);
		if (sp->root) {
			char *shown = xasprintf("%s%s", sp->root, u->library);

			free(u->library);
			u->library = shown;
		}
		return;
	}
}

bool libvirt_choose_version(const struct searchpath *sp,
			    const struct libvirt_version *given,
			    struct libvirt_in_use *u)
{
	memset(u, 0, sizeof(*u));
	u->source = LIBVIRT_NONE;
	if (given) {
		u->v = *given;
		u->source = LIBVIRT_GIVEN;
	} else {
		find_installed(sp, u);
	}
	if (u->source == LIBVIRT_NONE)
		u->v = releases[N_RELEASES - 1].since;
	for (size_t i = 0; i < N_RELEASES; i++)
		if (compare_versions(&releases[i].since, &u->v) <= 0)
			u->rules = &releases[i];
	/* One installed that is older than every release modelled: the oldest's rules. */
	if (!u->rules && u->source == LIBVIRT_FOUND) {
		u->rules = &releases[0];
		u->older = true;
	}
	snprintf(u->name, sizeof(u->name), "libvirt %d.%d", u->v.major,
		 u->v.minor);
	return u->rules != NULL;
}

bool libvirt_modelled_exactly(const struct libvirt_in_use *u)
{
	return u->rules && u->rules->since.major == u->v.major &&
	       u->rules->since.minor == u->v.minor;
}

void libvirt_in_use_free(struct libvirt_in_use *u)
{
	free(u->library);
	memset(u, 0, sizeof(*u));
}
