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
#include <unistd.h>

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

/* A regular file with contents, open as fd, which libvirt parses. */
static void read_descriptor(int fd, const char *path, struct libvirt_file *f)
{
	struct descriptor *d = descriptor_load_fd(fd, path);

	if (libvirt_rejects(d)) {
		f->verdict = LIBVIRT_FAILS;
		f->why = xstrdup(diags_first_error(&d->diags)->msg);
	} else {
		f->verdict = LIBVIRT_OFFERS;
		f->type = xstrdup(d->type);
	}
	descriptor_free(d);
}

void libvirt_read_named(const struct resolution *res,
			const struct entry *named, size_t n,
			struct libvirt_file *files)
{
	bool read = false;

	for (size_t i = 0; i < n; i++) {
		struct libvirt_file *f = &files[i];
		struct rootfs_node node;

		memset(f, 0, sizeof(*f));
		resolution_open_entry(res, &named[i], &node);
		/* It stats every entry: one it cannot fails the lookup. */
		if (node.error && !(node.known && S_ISREG(node.st.st_mode))) {
			f->verdict = LIBVIRT_FAILS;
			f->why = xstrdup(strerror(node.error));
		} else if (node.known && S_ISREG(node.st.st_mode) && !read) {
			read = true;
			if (node.fd < 0) {
				f->verdict = LIBVIRT_FAILS;
				f->why = xstrdup(strerror(node.error));
			} else if (node.st.st_size > 0) {
				read_descriptor(node.fd, named[i].path, f);
			}
		}
		if (node.fd >= 0)
			close(node.fd);
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
