// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the descriptor loader and checker: any bytes
 * must give a descriptor with diagnostics, never a crash, a leak or a
 * hang.  Built by `make fuzz` with clang.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/descriptor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct descriptor *d;
	const struct diag *err;

	d = descriptor_parse((const char *)data, size, "fuzz.json");
	err = diags_first_error(&d->diags);
	/* What the tool relies on after a load: these must hold together. */
	if (descriptor_is_valid(d)) {
		if (!d->json || !d->type || !d->binary || d->binary[0] != '/')
			abort();
	} else if (!err || !err->msg) {
		abort();
	}
	for (size_t i = 0; i < d->diags.n; i++)
		if (!d->diags.v[i].msg || !d->diags.v[i].file ||
		    d->diags.v[i].line < 0 ||
		    (d->diags.v[i].column > 0 && d->diags.v[i].line == 0) ||
		    d->diags.v[i].column < 0)
			abort();
	descriptor_free(d);
	return 0;
}
