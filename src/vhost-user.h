/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The front-end side of a vhost-user handshake (QEMU's
 * docs/interop/vhost-user.rst; SPEC §9): framing, the few requests a
 * handshake sends, a strict check of every reply, and the names of the
 * feature bits.  Talks through a socket it is given and a wait function
 * that bounds every read in time; nothing here opens a file or prints.
 */
#ifndef VUF_VHOST_USER_H
#define VUF_VHOST_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The header: request, flags, size, each a u32 in native byte order. */
#define VU_HEADER_SIZE 12
/* Every reply a handshake asks for carries one u64. */
#define VU_REPLY_SIZE (VU_HEADER_SIZE + 8)

enum vu_request {
	VU_GET_FEATURES = 1,
	VU_GET_PROTOCOL_FEATURES = 15,
	VU_SET_PROTOCOL_FEATURES = 16,
	VU_GET_QUEUE_NUM = 17,
	VU_GET_MAX_MEM_SLOTS = 36,
};

/* The virtio feature bit that offers the protocol features. */
#define VU_F_PROTOCOL_FEATURES 30
/* The protocol features a handshake acknowledges, when offered. */
#define VU_PROTOCOL_F_MQ 0
#define VU_PROTOCOL_F_CONFIGURE_MEM_SLOTS 15

/* The name of a request a handshake sends ("GET_FEATURES"). */
const char *vu_request_name(uint32_t request);

/* How the bytes of a reply judge, as far as they go. */
enum vu_verdict {
	VU_OK,
	VU_SHORT,		/* fine so far; need more bytes */
	VU_BAD_REQUEST,		/* not the request code asked */
	VU_BAD_VERSION,		/* flags bits 0-1 are not 1 */
	VU_NO_REPLY_FLAG,	/* flag 0x4 is not set */
	VU_BAD_FLAGS,		/* a flag a reply never carries */
	VU_BAD_SIZE,		/* the size field is not the payload's */
	VU_TOO_LONG,		/* more bytes than the message */
};

struct vu_reply {
	enum vu_verdict verdict;
	uint32_t request, flags, size;	/* the header, once it is read */
	size_t need;		/* VU_SHORT: how many bytes in all */
	uint64_t value;		/* VU_OK: the payload */
};

/*
 * Judge the len bytes of a reply to request: pure, so that it can be
 * fuzzed.  A header is judged as soon as it is complete, so that a huge
 * size is refused before anything of it is read.  Returns r->verdict.
 */
enum vu_verdict vu_parse_reply(const uint8_t *buf, size_t len,
			       uint32_t request, struct vu_reply *r);

/* What is wrong with a reply that is neither VU_OK nor VU_SHORT.  Allocated. */
char *vu_verdict_text(const struct vu_reply *r);

/*
 * The message for request with payload (NULL: none) into buf, which
 * holds VU_REPLY_SIZE bytes; returns its length.
 */
size_t vu_encode(uint32_t request, const uint64_t *payload, uint8_t *buf);

/* The kinds of feature bits. */
enum vu_kind {
	VU_VIRTIO,		/* GET_FEATURES: device bits 0-23, then transport */
	VU_PROTOCOL,		/* GET_PROTOCOL_FEATURES */
};

/*
 * The names of the bits set in value, lowest first: from the tables of
 * the specs (the device bits of type, which may be NULL), else "bit N".
 * NULL-terminated and allocated, as each name (free_names()).
 */
char **vu_feature_names(enum vu_kind kind, const char *type, uint64_t value);
void vu_free_names(char **names);

/* The device bit that says type's feature is offered (gpu virgl: 0), or -1. */
int vu_device_bit(const char *type, const char *feature);
/* The name of that bit ("VIRTIO_GPU_F_VIRGL"). */
const char *vu_device_bit_name(const char *type, int bit);

/*
 * The socket and how to wait on it: wait(ctx, fd, events) returns > 0
 * once fd is ready, <= 0 when the time or the backend is over.
 */
struct vu_channel {
	int fd;
	int (*wait)(void *ctx, int fd, short events);
	void *ctx;
};

/* What a handshake learnt. */
struct vu_answer {
	uint64_t features;
	bool has_protocol;	/* VU_F_PROTOCOL_FEATURES offered */
	uint64_t protocol;
	bool has_queues;	/* MQ acknowledged */
	uint64_t queues;
	bool has_slots;		/* CONFIGURE_MEM_SLOTS acknowledged */
	uint64_t slots;
	bool ended;		/* wait() said the run is over */
};

/*
 * Speak to the back-end on c: GET_FEATURES, then as SPEC §9 says.
 * True when every reply checked out; else false and *reason (allocated)
 * says which and why; a->ended when the run ended first.
 */
bool vu_handshake(const struct vu_channel *c, struct vu_answer *a,
		  char **reason);

#endif
