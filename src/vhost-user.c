/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small, strict vhost-user front-end (docs/interop/vhost-user.rst).
 * A back-end is untrusted: every reply is judged on its header before
 * its payload is read (request code, version 1, the reply flag, no
 * other flag, the size of the one payload asked for), nothing is read
 * past the message, and every read waits through the caller's wait
 * function, which bounds it in time.  The judge, vu_parse_reply(), is a
 * pure function of the bytes so that fuzz/vhost-user.c can drive it.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util.h"
#include "vhost-user.h"

/* The flags of a message (vhost-user.rst, "Header"). */
#define VU_VERSION_MASK 0x3u
#define VU_VERSION 0x1u
#define VU_REPLY_FLAG 0x4u
#define VU_NEED_REPLY_FLAG 0x8u	/* never set: no request here needs it */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct bit_name {
	int bit;
	const char *name;
};

/* The transport bits of the virtio spec, and vhost's own (24 and up). */
static const struct bit_name transport_bits[] = {
	{ 24, "VIRTIO_F_NOTIFY_ON_EMPTY" },
	{ 26, "VHOST_F_LOG_ALL" },
	{ 27, "VIRTIO_F_ANY_LAYOUT" },
	{ 28, "VIRTIO_RING_F_INDIRECT_DESC" },
	{ 29, "VIRTIO_RING_F_EVENT_IDX" },
	{ 30, "VHOST_USER_F_PROTOCOL_FEATURES" },
	{ 32, "VIRTIO_F_VERSION_1" },
	{ 33, "VIRTIO_F_ACCESS_PLATFORM" },
	{ 34, "VIRTIO_F_RING_PACKED" },
	{ 35, "VIRTIO_F_IN_ORDER" },
	{ 36, "VIRTIO_F_ORDER_PLATFORM" },
	{ 37, "VIRTIO_F_SR_IOV" },
	{ 38, "VIRTIO_F_NOTIFICATION_DATA" },
	{ 39, "VIRTIO_F_NOTIF_CONFIG_DATA" },
	{ 40, "VIRTIO_F_RING_RESET" },
	{ 41, "VIRTIO_F_ADMIN_VQ" },
	{ -1, NULL }
};

/* vhost-user.rst, "Protocol features" (VHOST_USER_PROTOCOL_F_*). */
static const struct bit_name protocol_bits[] = {
	{ 0, "MQ" },
	{ 1, "LOG_SHMFD" },
	{ 2, "RARP" },
	{ 3, "REPLY_ACK" },
	{ 4, "NET_MTU" },
	{ 5, "BACKEND_REQ" },
	{ 6, "CROSS_ENDIAN" },
	{ 7, "CRYPTO_SESSION" },
	{ 8, "PAGEFAULT" },
	{ 9, "CONFIG" },
	{ 10, "BACKEND_SEND_FD" },
	{ 11, "HOST_NOTIFIER" },
	{ 12, "INFLIGHT_SHMFD" },
	{ 13, "RESET_DEVICE" },
	{ 14, "INBAND_NOTIFICATIONS" },
	{ 15, "CONFIGURE_MEM_SLOTS" },
	{ 16, "STATUS" },
	{ 17, "XEN_MMAP" },
	{ 18, "SHARED_OBJECT" },
	{ 19, "DEVICE_STATE" },
	{ -1, NULL }
};

/* The virtio spec's device bits (0-23) of the types QEMU has back-ends for. */
static const struct bit_name gpu_bits[] = {
	{ 0, "VIRTIO_GPU_F_VIRGL" },
	{ 1, "VIRTIO_GPU_F_EDID" },
	{ 2, "VIRTIO_GPU_F_RESOURCE_UUID" },
	{ 3, "VIRTIO_GPU_F_RESOURCE_BLOB" },
	{ 4, "VIRTIO_GPU_F_CONTEXT_INIT" },
	{ -1, NULL }
};

static const struct bit_name fs_bits[] = {
	{ 0, "VIRTIO_FS_F_NOTIFICATION" },
	{ -1, NULL }
};

static const struct bit_name block_bits[] = {
	{ 1, "VIRTIO_BLK_F_SIZE_MAX" },
	{ 2, "VIRTIO_BLK_F_SEG_MAX" },
	{ 4, "VIRTIO_BLK_F_GEOMETRY" },
	{ 5, "VIRTIO_BLK_F_RO" },
	{ 6, "VIRTIO_BLK_F_BLK_SIZE" },
	{ 9, "VIRTIO_BLK_F_FLUSH" },
	{ 10, "VIRTIO_BLK_F_TOPOLOGY" },
	{ 11, "VIRTIO_BLK_F_CONFIG_WCE" },
	{ 12, "VIRTIO_BLK_F_MQ" },
	{ 13, "VIRTIO_BLK_F_DISCARD" },
	{ 14, "VIRTIO_BLK_F_WRITE_ZEROES" },
	{ 15, "VIRTIO_BLK_F_LIFETIME" },
	{ 16, "VIRTIO_BLK_F_SECURE_ERASE" },
	{ 17, "VIRTIO_BLK_F_ZONED" },
	{ -1, NULL }
};

static const struct {
	const char *type;
	const struct bit_name *bits;
} device_tables[] = {
	{ "gpu", gpu_bits },
	{ "fs", fs_bits },
	{ "block", block_bits },
};

/* A capability feature whose device bit says it is offered. */
static const struct {
	const char *type, *feature;
	int bit;
} feature_bits[] = {
	{ "gpu", "virgl", 0 },
	{ "block", "read-only", 5 },
};

/* The first device bit; below it, a device's own. */
#define TRANSPORT_FIRST 24

static const struct bit_name *device_table(const char *type)
{
	for (size_t i = 0; type && i < ARRAY_SIZE(device_tables); i++)
		if (strcmp(device_tables[i].type, type) == 0)
			return device_tables[i].bits;
	return NULL;
}

static const char *bit_name(const struct bit_name *t, int bit)
{
	for (; t && t->name; t++)
		if (t->bit == bit)
			return t->name;
	return NULL;
}

char **vu_feature_names(enum vu_kind kind, const char *type, uint64_t value)
{
	char **names = xcalloc(65, sizeof(*names));
	size_t n = 0;

	for (int bit = 0; bit < 64; bit++) {
		const struct bit_name *t;
		const char *name;

		if (!(value & (UINT64_C(1) << bit)))
			continue;
		if (kind == VU_PROTOCOL)
			t = protocol_bits;
		else
			t = bit < TRANSPORT_FIRST ? device_table(type) :
				transport_bits;
		name = bit_name(t, bit);
		names[n++] = name ? xstrdup(name) : xasprintf("bit %d", bit);
	}
	return names;
}

void vu_free_names(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

int vu_device_bit(const char *type, const char *feature)
{
	for (size_t i = 0; i < ARRAY_SIZE(feature_bits); i++)
		if (strcmp(feature_bits[i].type, type) == 0 &&
		    strcmp(feature_bits[i].feature, feature) == 0)
			return feature_bits[i].bit;
	return -1;
}

const char *vu_device_bit_name(const char *type, int bit)
{
	return bit_name(device_table(type), bit);
}

const char *vu_request_name(uint32_t request)
{
	switch (request) {
	case VU_GET_FEATURES:
		return "GET_FEATURES";
	case VU_GET_PROTOCOL_FEATURES:
		return "GET_PROTOCOL_FEATURES";
	case VU_SET_PROTOCOL_FEATURES:
		return "SET_PROTOCOL_FEATURES";
	case VU_GET_QUEUE_NUM:
		return "GET_QUEUE_NUM";
	case VU_GET_MAX_MEM_SLOTS:
		return "GET_MAX_MEM_SLOTS";
	}
	return "a request";
}

static uint32_t get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

enum vu_verdict vu_parse_reply(const uint8_t *buf, size_t len,
			       uint32_t request, struct vu_reply *r)
{
	memset(r, 0, sizeof(*r));
	r->need = VU_HEADER_SIZE;
	if (len < VU_HEADER_SIZE)
		return r->verdict = VU_SHORT;
	r->request = get_u32(buf);
	r->flags = get_u32(buf + 4);
	r->size = get_u32(buf + 8);
	if (r->request != request)
		return r->verdict = VU_BAD_REQUEST;
	if ((r->flags & VU_VERSION_MASK) != VU_VERSION)
		return r->verdict = VU_BAD_VERSION;
	if (!(r->flags & VU_REPLY_FLAG))
		return r->verdict = VU_NO_REPLY_FLAG;
	if (r->flags & ~(VU_VERSION_MASK | VU_REPLY_FLAG))
		return r->verdict = VU_BAD_FLAGS;
	if (r->size != VU_REPLY_SIZE - VU_HEADER_SIZE)
		return r->verdict = VU_BAD_SIZE;
	r->need = VU_REPLY_SIZE;
	if (len < VU_REPLY_SIZE)
		return r->verdict = VU_SHORT;
	if (len > VU_REPLY_SIZE)
		return r->verdict = VU_TOO_LONG;
	memcpy(&r->value, buf + VU_HEADER_SIZE, sizeof(r->value));
	return r->verdict = VU_OK;
}

char *vu_verdict_text(const struct vu_reply *r)
{
	switch (r->verdict) {
	case VU_BAD_REQUEST:
		return xasprintf("request code %lu in its header", (unsigned long)r->request);
	case VU_BAD_VERSION:
		return xasprintf("version %lu in its flags 0x%lx, not 1",
				 (unsigned long)(r->flags & VU_VERSION_MASK),
				 (unsigned long)r->flags);
	case VU_NO_REPLY_FLAG:
		return xasprintf("the reply flag (0x4) is not set in its flags 0x%lx",
				 (unsigned long)r->flags);
	case VU_BAD_FLAGS:
		return xasprintf("flags 0x%lx carry more than the version and the reply flag",
				 (unsigned long)r->flags);
	case VU_BAD_SIZE:
		return xasprintf("payload size %lu, not %d",
				 (unsigned long)r->size,
				 VU_REPLY_SIZE - VU_HEADER_SIZE);
	case VU_TOO_LONG:
		return xasprintf("more bytes than its %d-byte message", VU_REPLY_SIZE);
	default:
		return xstrdup("no fault");
	}
}

size_t vu_encode(uint32_t request, const uint64_t *payload, uint8_t *buf)
{
	uint32_t flags = VU_VERSION;
	uint32_t size = payload ? (uint32_t)sizeof(*payload) : 0;

	memcpy(buf, &request, 4);
	memcpy(buf + 4, &flags, 4);
	memcpy(buf + 8, &size, 4);
	if (payload)
		memcpy(buf + VU_HEADER_SIZE, payload, sizeof(*payload));
	return VU_HEADER_SIZE + size;
}

/* Why a reply stopped short: the run ended, or the peer closed. */
static char *short_reply(uint32_t request, size_t got, bool closed)
{
	const char *name = vu_request_name(request);

	if (got == 0)
		return closed ?
			xasprintf("closed the connection before replying to %s", name) :
			xasprintf("no reply to %s", name);
	return xasprintf("%s reply to %s (%zu of %d bytes)",
			 closed ? "closed the connection in the middle of its" :
			 "an incomplete", name, got, VU_REPLY_SIZE);
}

/* Send one message whole, waiting (bounded) while the socket is full. */
static bool send_message(const struct vu_channel *c, uint32_t request,
			 const uint64_t *payload, struct vu_answer *a,
			 char **reason)
{
	uint8_t buf[VU_REPLY_SIZE];
	size_t len = vu_encode(request, payload, buf), done = 0;

	while (done < len) {
		ssize_t n = send(c->fd, buf + done, len - done,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			done += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			if (c->wait(c->ctx, c->fd, POLLOUT) > 0)
				continue;
			a->ended = true;
			*reason = xasprintf("did not take %s", vu_request_name(request));
			return false;
		} else if (errno == EPIPE || errno == ECONNRESET) {
			/* Whether it went before or after the request arrived. */
			*reason = request == VU_SET_PROTOCOL_FEATURES ?
				xasprintf("closed the connection at %s",
					  vu_request_name(request)) :
				short_reply(request, 0, true);
			return false;
		} else {
			*reason = xasprintf("cannot send %s: %s",
					    vu_request_name(request), strerror(errno));
			return false;
		}
	}
	return true;
}

/*
 * Read the reply to request: the header, judged, then the payload;
 * never a byte past the message, but one byte already there after it
 * makes the reply too long.
 */
static bool read_reply(const struct vu_channel *c, uint32_t request,
		       struct vu_answer *a, uint64_t *value, char **reason)
{
	uint8_t buf[VU_REPLY_SIZE + 1];
	struct vu_reply r;
	size_t len = 0;
	ssize_t n;

	while (vu_parse_reply(buf, len, request, &r) == VU_SHORT) {
		if (c->wait(c->ctx, c->fd, POLLIN) <= 0) {
			a->ended = true;
			*reason = short_reply(request, len, false);
			return false;
		}
		n = recv(c->fd, buf + len, r.need - len, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0 && errno != ECONNRESET) {
			*reason = xasprintf("cannot read the reply to %s: %s",
					    vu_request_name(request), strerror(errno));
			return false;
		}
		if (n <= 0) {
			*reason = short_reply(request, len, true);
			return false;
		}
		len += (size_t)n;
	}
	if (r.verdict == VU_OK &&
	    recv(c->fd, buf + len, 1, MSG_PEEK | MSG_DONTWAIT) == 1)
		vu_parse_reply(buf, len + 1, request, &r);
	if (r.verdict != VU_OK) {
		char *why = vu_verdict_text(&r);

		*reason = xasprintf("bad reply to %s: %s",
				    vu_request_name(request), why);
		free(why);
		return false;
	}
	*value = r.value;
	return true;
}

static bool ask(const struct vu_channel *c, uint32_t request,
		struct vu_answer *a, uint64_t *value, char **reason)
{
	return send_message(c, request, NULL, a, reason) &&
	       read_reply(c, request, a, value, reason);
}

bool vu_handshake(const struct vu_channel *c, struct vu_answer *a,
		  char **reason)
{
	const uint64_t wanted = UINT64_C(1) << VU_PROTOCOL_F_MQ |
		UINT64_C(1) << VU_PROTOCOL_F_CONFIGURE_MEM_SLOTS;
	uint64_t ack;

	memset(a, 0, sizeof(*a));
	*reason = NULL;
	if (!ask(c, VU_GET_FEATURES, a, &a->features, reason))
		return false;
	if (!(a->features & UINT64_C(1) << VU_F_PROTOCOL_FEATURES))
		return true;
	a->has_protocol = true;
	if (!ask(c, VU_GET_PROTOCOL_FEATURES, a, &a->protocol, reason))
		return false;
	/* No need_reply: it has no reply, and none is read. */
	ack = a->protocol & wanted;
	if (!send_message(c, VU_SET_PROTOCOL_FEATURES, &ack, a, reason))
		return false;
	a->has_queues = ack & UINT64_C(1) << VU_PROTOCOL_F_MQ;
	if (a->has_queues &&
	    !ask(c, VU_GET_QUEUE_NUM, a, &a->queues, reason))
		return false;
	a->has_slots = ack & UINT64_C(1) << VU_PROTOCOL_F_CONFIGURE_MEM_SLOTS;
	return !a->has_slots ||
	       ask(c, VU_GET_MAX_MEM_SLOTS, a, &a->slots, reason);
}
