// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the ELF reader: any bytes give a verdict, never
 * a crash, a leak, a hang or a read outside the file.  The input's
 * length picks how the reader behaves (whole reads, reads of a few bytes
 * at a time, or a file that shrinks while it is read), so those paths
 * are explored too without spending an input byte that would spoil the
 * seeds.  Built by `make fuzz`.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct file {
	const uint8_t *data;
	size_t size;		/* bytes there are */
	unsigned long long claimed;	/* bytes the reader is told of */
	size_t most;		/* bytes one read returns at the most */
};

static long file_pread(void *ctx, void *buf, size_t len, unsigned long long off)
{
	const struct file *f = ctx;

	/* The reader must stay inside the size it was given. */
	if (off > f->claimed || len > f->claimed - off)
		abort();
	if (off >= f->size)
		return 0;
	if (len > f->size - off)
		len = f->size - off;
	if (len > f->most)
		len = f->most;
	memcpy(buf, f->data + off, len);
	return (long)len;
}

static void check_info(const struct elf_info *info)
{
	if (info->interp && (!info->interp[0] || strlen(info->interp) >= PATH_MAX))
		abort();
	if (info->n_needed > ELF_MAX_NEEDED || (info->n_needed && !info->needed))
		abort();
	for (size_t i = 0; i < info->n_needed; i++)
		if (!info->needed[i] || !info->needed[i][0] ||
		    strlen(info->needed[i]) >= PATH_MAX)
			abort();
	if ((info->rpath && strlen(info->rpath) >= PATH_MAX) ||
	    (info->runpath && strlen(info->runpath) >= PATH_MAX))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct file f = { data, size, size, SIZE_MAX };
	static const struct elf_info zero;
	struct elf_info info;
	char *why;

	if (size % 3 == 1)
		f.most = 1 + size % 7;
	else if (size % 3 == 2)
		f.claimed = size + 4096;
	switch (elf_read(file_pread, &f, f.claimed, &info, &why)) {
	case ELF_NOT_ELF:
		if (why || memcmp(&info, &zero, sizeof(info)) != 0 ||
		    (size >= 4 && memcmp(data, "\x7f" "ELF", 4) == 0))
			abort();
		break;
	case ELF_OK:
		if (why)
			abort();
		check_info(&info);
		elf_info_free(&info);
		break;
	case ELF_MALFORMED:
		if (!why || !why[0] || memcmp(&info, &zero, sizeof(info)) != 0)
			abort();
		free(why);
		break;
	default:
		abort();
	}
	return 0;
}
