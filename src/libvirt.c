/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read from libvirt's src/qemu/qemu_interop_config.c and
 * qemu_vhost_user.c (releases up to 11): it lists every file of each
 * directory but hidden ones, stats each, lets a more specific regular
 * file of a name win, takes an empty file as a mask, and fails the whole
 * lookup on an entry it cannot stat or a file it cannot parse.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "libvirt.h"
#include "util.h"

bool libvirt_reads_name(const char *name)
{
	return name[0] != '.';
}

bool libvirt_rejects(const struct descriptor *d)
{
	return !d->type;
}

/* A regular file with contents, which libvirt parses. */
static void read_descriptor(const char *path, struct libvirt_file *f)
{
	struct descriptor *d = descriptor_load(path);

	if (libvirt_rejects(d)) {
		f->verdict = LIBVIRT_FAILS;
		f->why = xstrdup(diags_first_error(&d->diags)->msg);
	} else {
		f->verdict = LIBVIRT_OFFERS;
		f->type = xstrdup(d->type);
	}
	descriptor_free(d);
}

void libvirt_read_named(const struct entry *named, size_t n,
			struct libvirt_file *files)
{
	bool read = false;

	for (size_t i = 0; i < n; i++) {
		struct libvirt_file *f = &files[i];
		struct stat st;

		memset(f, 0, sizeof(*f));
		if (stat(named[i].path, &st) < 0) {
			f->verdict = LIBVIRT_FAILS;
			f->why = xstrdup(strerror(errno));
			continue;
		}
		if (!S_ISREG(st.st_mode) || read)
			continue;
		read = true;
		if (st.st_size > 0)
			read_descriptor(named[i].path, f);
	}
}

void libvirt_file_clear(struct libvirt_file *f)
{
	free(f->why);
	free(f->type);
	memset(f, 0, sizeof(*f));
}

bool libvirt_fails_on_entry(const struct entry *e)
{
	return e->error != 0;
}

const struct entry *libvirt_reads_instead(const struct entry *named,
					  size_t n)
{
	const struct entry *mask = &named[0];

	for (size_t i = 1; i < n; i++) {
		const struct entry *e = &named[i];

		if (e->by != mask || (e->kind == KIND_MASK && e->devnull))
			continue;
		/* An empty file is a mask to libvirt too. */
		return e->kind == KIND_MASK ? NULL : e;
	}
	return NULL;
}

bool libvirt_system_reads(const struct search_dir *dir)
{
	return dir->origin != DIR_USER;
}
