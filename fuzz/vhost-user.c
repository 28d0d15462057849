// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the vhost-user reply judge: whatever a back-end
 * sends, vu_parse_reply() gives one verdict, never reads past the bytes
 * it is given, and accepts exactly a 20-byte reply with the right
 * header.  The input's length picks the request the reply must answer,
 * so that no input byte is spent on it; the first eight bytes, as a
 * feature mask, also go through the feature names.  Built by
 * `make fuzz`; it links no code that spawns or prints.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/vhost-user.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t requests[] = {
	VU_GET_FEATURES, VU_GET_PROTOCOL_FEATURES, VU_GET_QUEUE_NUM,
	VU_GET_MAX_MEM_SLOTS, VU_SET_PROTOCOL_FEATURES,
};

static void check_names(const uint8_t *data, size_t size)
{
	static const char *const types[] = { NULL, "gpu", "fs", "block", "net" };
	uint64_t value = 0;
	size_t n = 0;
	char **names;

	memcpy(&value, data, size < 8 ? size : 8);
	names = vu_feature_names(size % 2 ? VU_PROTOCOL : VU_VIRTIO,
				 types[size % 5], value);
	while (names[n])
		n++;
	if (n != (size_t)__builtin_popcountll(value))
		abort();
	vu_free_names(names);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t request = requests[size % 5];
	struct vu_reply r;
	enum vu_verdict v = vu_parse_reply(data, size, request, &r);
	char *text;

	if (v != r.verdict)
		abort();
	if (v == VU_SHORT && (r.need <= size ||
			      (r.need != VU_HEADER_SIZE && r.need != VU_REPLY_SIZE)))
		abort();
	if (v == VU_OK) {
		uint32_t req;
		uint64_t value;

		memcpy(&req, data, 4);
		memcpy(&value, data + VU_HEADER_SIZE, 8);
		if (size != VU_REPLY_SIZE || req != request || r.value != value)
			abort();
	}
	if (size >= VU_HEADER_SIZE && v == VU_SHORT && size >= VU_REPLY_SIZE)
		abort();
	if (v != VU_OK && v != VU_SHORT) {
		text = vu_verdict_text(&r);
		if (!text || !text[0])
			abort();
		free(text);
	}
	check_names(data, size);
	return 0;
}
