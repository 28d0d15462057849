/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include "schema.h"

static const char *const no_features[] = { NULL };
/* QEMU schema 4.0 */
static const char *const gpu_features[] = { "render-node", "virgl", NULL };
static const char *const input_features[] = { "evdev-path", "no-grab", NULL };
/* QEMU schema 5.0 */
static const char *const block_features[] = { "read-only", "blk-file", NULL };
/* virtiofsd >= 1.11, used by libvirt */
static const char *const fs_features[] = {
	"migrate-precopy", "separate-options", NULL
};

const struct backend_type backend_types[] = {
	{ "9p", no_features },
	{ "balloon", no_features },
	{ "block", block_features },
	{ "caif", no_features },
	{ "console", no_features },
	{ "crypto", no_features },
	{ "gpu", gpu_features },
	{ "input", input_features },
	{ "net", no_features },
	{ "rng", no_features },
	{ "rpmsg", no_features },
	{ "rproc-serial", no_features },
	{ "scsi", no_features },
	{ "vsock", no_features },
	{ "fs", fs_features },
};

const size_t n_backend_types = sizeof(backend_types) / sizeof(backend_types[0]);

const char *const schema_members[] = {
	"type", "binary", "description", "tags", "features", NULL
};

bool schema_is_member(const char *name)
{
	for (const char *const *m = schema_members; *m; m++)
		if (strcmp(*m, name) == 0)
			return true;
	return false;
}

const struct backend_type *schema_find_type(const char *name)
{
	for (size_t i = 0; i < n_backend_types; i++)
		if (strcmp(backend_types[i].name, name) == 0)
			return &backend_types[i];
	return NULL;
}

bool schema_has_feature(const struct backend_type *type, const char *feature)
{
	for (const char *const *f = type->features; *f; f++)
		if (strcmp(*f, feature) == 0)
			return true;
	return false;
}

const char *schema_type_list(char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < n_backend_types; i++) {
		int n = snprintf(buf + len, size - len, "%s%s",
				 i ? ", " : "", backend_types[i].name);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	return buf;
}
