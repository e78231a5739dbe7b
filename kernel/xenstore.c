/*
 * The xenstore client (see <pvmm/xenstore.h>).
 *
 * The page start_info names holds two rings: requests from us to
 * xenstored, and its replies and watch events back. xenstored kicks the
 * channel whenever it has consumed requests or produced replies, so one
 * handler serves both directions: it assembles whole messages off the
 * reply ring, keeps the reply to the one request in flight and queues
 * watch events for the xenwatch thread, then wakes whoever waits for a
 * reply or for room in the request ring.
 *
 * Waits are on wait queues, never on a bare task slot: the handler may
 * run long after a waiter has gone on to something else, and a wait
 * queue is left under its lock, so the handler can never wake a task that
 * no longer waits there.
 */
#include <xen/errno.h>
#include <xen/io/xs_wire.h>
#include <hypercall/hypercall.h>
#include <asm/events.h>
#include <asm/shutdown.h>
#include <asm/page.h>
#include <asm/xen.h>
#include <pvmm/bug.h>
#include <pvmm/lib.h>
#include <pvmm/sched.h>
#include <pvmm/spinlock.h>
#include <pvmm/xenstore.h>

#define MAX_WATCHES		8
#define WATCH_EVENTS		16	/* queued for xenwatch; a power of two */
#define WATCH_EVENT_MAX		256	/* a watch event's path and token */
#define WATCH_PATH_MAX		64

static struct xenstore_domain_interface *ring;
static evtchn_port_t store_port;

/* The message being read off the reply ring, by the handler alone. */
static struct {
	struct xsd_sockmsg hdr;
	char body[XENSTORE_PAYLOAD_MAX + 1];
} msg;
static uint32_t msg_have;

/* One request in flight: its owner holds `requesting`. */
static bool requesting;
static struct wait_queue request_queue;
static uint32_t request_id;
/* Its reply, filled by the handler, then reply_ready set. */
static bool reply_ready;
static uint32_t reply_type, reply_len;
static char reply_body[XENSTORE_PAYLOAD_MAX + 1];
/* The owner waiting for its reply, or for room in the request ring. */
static struct wait_queue reply_queue;

/* Watch events, from the handler (the only producer) to xenwatch (the only consumer). */
static struct {
	uint32_t len;
	char data[WATCH_EVENT_MAX];
} events[WATCH_EVENTS];
static unsigned int events_head, events_tail;
static struct wait_queue watch_queue;

/* A watch's token is its index here; its path is kept to watch it again after a restore. */
static void (*watch_fns[MAX_WATCHES])(const char *changed);
static char watch_paths[MAX_WATCHES][WATCH_PATH_MAX];
static spinlock_t watches_lock = SPINLOCK_INIT;

void xenstore_failed(const char *call, const char *path, long rc)
{
	printk("pvmm: xenstore %s %s failed: %s\n", call, path, xen_errno_name(rc));
	result_record(RESULT_FAILURE);
}

bool xenstore_available(void)
{
	return !xen_initial_domain() && start_info->store_mfn;
}

/* Take up to @len bytes off the reply ring into @dst: how many. */
static uint32_t reply_ring_take(char *dst, uint32_t len)
{
	uint32_t cons = ring->rsp_cons, prod = READ_ONCE(ring->rsp_prod), n = 0;

	/* The bytes are read after the producer index that published them (x86 keeps loads in order). */
	barrier();
	while (n < len && cons != prod)
		dst[n++] = ring->rsp[MASK_XENSTORE_IDX(cons++)];
	/* Read before the space is handed back (x86 keeps loads before a later store). */
	barrier();
	WRITE_ONCE(ring->rsp_cons, cons);
	return n;
}

/* Read on into msg: whether a whole message is there. */
static bool message_complete(void)
{
	char *buf = (char *)&msg;

	if (msg_have < sizeof(msg.hdr)) {
		msg_have += reply_ring_take(buf + msg_have, sizeof(msg.hdr) - msg_have);
		if (msg_have < sizeof(msg.hdr))
			return false;
		if (msg.hdr.len > XENSTORE_PAYLOAD_MAX)
			panic("xenstore: a message of %u bytes (type %u), over the protocol's %u",
			      msg.hdr.len, msg.hdr.type, XENSTORE_PAYLOAD_MAX);
	}
	msg_have += reply_ring_take(buf + msg_have, sizeof(msg.hdr) + msg.hdr.len - msg_have);
	if (msg_have < sizeof(msg.hdr) + msg.hdr.len)
		return false;
	msg.body[msg.hdr.len] = '\0';
	msg_have = 0;
	return true;
}

static void queue_watch_event(void)
{
	unsigned int tail = events_tail;

	if (msg.hdr.len > WATCH_EVENT_MAX || tail - READ_ONCE(events_head) == WATCH_EVENTS) {
		printk("pvmm: xenstore: watch event for %s dropped (%s)\n", msg.body,
		       msg.hdr.len > WATCH_EVENT_MAX ? "too long" : "queue full");
		return;
	}
	events[tail % WATCH_EVENTS].len = msg.hdr.len;
	memcpy(events[tail % WATCH_EVENTS].data, msg.body, msg.hdr.len);
	__atomic_store_n(&events_tail, tail + 1, __ATOMIC_RELEASE);
}

static void keep_reply(void)
{
	if (!READ_ONCE(requesting) || reply_ready || msg.hdr.req_id != request_id) {
		printk("pvmm: xenstore: reply nobody asked for (type %u, id %u) dropped\n",
		       msg.hdr.type, msg.hdr.req_id);
		return;
	}
	reply_type = msg.hdr.type;
	reply_len = msg.hdr.len;
	memcpy(reply_body, msg.body, msg.hdr.len + 1);
	__atomic_store_n(&reply_ready, true, __ATOMIC_RELEASE);
}

static void store_event(unsigned int port, struct cpu_regs *regs)
{
	bool took = false, watch = false;

	while (message_complete()) {
		took = true;
		if (msg.hdr.type == XS_WATCH_EVENT) {
			queue_watch_event();
			watch = true;
		} else {
			keep_reply();
		}
	}
	/* xenstored may be waiting for room to write more. */
	if (took || msg_have)
		evtchn_notify(store_port);
	if (watch)
		wake_up_all(&watch_queue);
	wake_up_all(&reply_queue);
}

static bool request_slot_taken(void *unused)
{
	return !__atomic_exchange_n(&requesting, true, __ATOMIC_ACQUIRE);
}

static bool request_ring_has_room(void *unused)
{
	return READ_ONCE(ring->req_prod) - READ_ONCE(ring->req_cons) < XENSTORE_RING_SIZE;
}

static bool reply_arrived(void *unused)
{
	return __atomic_load_n(&reply_ready, __ATOMIC_ACQUIRE);
}

static void request_ring_put(const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		uint32_t prod = ring->req_prod;

		wait_queue_wait(&reply_queue, request_ring_has_room, NULL);
		while (len && prod - READ_ONCE(ring->req_cons) < XENSTORE_RING_SIZE) {
			ring->req[MASK_XENSTORE_IDX(prod++)] = *p++;
			len--;
		}
		/* The bytes before the index that publishes them (x86 keeps stores in order). */
		barrier();
		WRITE_ONCE(ring->req_prod, prod);
		evtchn_notify(store_port);
	}
}

struct part {
	const char *data;
	size_t len;
};

/* A string part, with its NUL. */
#define STR(s)	((struct part){ (s), strlen(s) + 1 })

/*
 * Send a @type request made of @parts in transaction @t, wait for the
 * reply and copy its body, NUL-terminated, into @out: the body's length,
 * or the error xenstored named.
 */
static long xs_talk(uint32_t type, xs_transaction_t t, const struct part *parts, unsigned int n,
		    char *out, size_t out_size)
{
	struct xsd_sockmsg hdr = { .type = type, .tx_id = t };
	long rc;

	for (unsigned int i = 0; i < n; i++)
		hdr.len += parts[i].len;
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		return -XEN_E2BIG;
	wait_queue_wait(&request_queue, request_slot_taken, NULL);
	hdr.req_id = ++request_id;
	__atomic_store_n(&reply_ready, false, __ATOMIC_RELEASE);
	request_ring_put(&hdr, sizeof(hdr));
	for (unsigned int i = 0; i < n; i++)
		request_ring_put(parts[i].data, parts[i].len);
	wait_queue_wait(&reply_queue, reply_arrived, NULL);

	if (reply_type == XS_ERROR) {
		rc = xen_errno_from_name(reply_body);
	} else if (reply_type != type) {
		printk("pvmm: xenstore: request type %u answered with type %u\n", type, reply_type);
		rc = -XEN_EIO;
	} else if (reply_len >= out_size) {
		rc = -XEN_E2BIG;
	} else {
		memcpy(out, reply_body, reply_len + 1);
		rc = reply_len;
	}
	__atomic_store_n(&requesting, false, __ATOMIC_RELEASE);
	wake_up_all(&request_queue);
	return rc;
}

long xenstore_read(xs_transaction_t t, const char *path, char *buf, size_t size)
{
	struct part req[] = { STR(path) };

	return xs_talk(XS_READ, t, req, ARRAY_SIZE(req), buf, size);
}

/* A request whose reply is "OK": 0, or the error. */
static long xs_talk_ok(uint32_t type, xs_transaction_t t, const struct part *parts, unsigned int n)
{
	char ok[4];
	long rc = xs_talk(type, t, parts, n, ok, sizeof(ok));

	return rc < 0 ? rc : 0;
}

long xenstore_write(xs_transaction_t t, const char *path, const char *value)
{
	/* The value goes without its NUL. */
	struct part req[] = { STR(path), { value, strlen(value) } };

	return xs_talk_ok(XS_WRITE, t, req, ARRAY_SIZE(req));
}

long xenstore_rm(xs_transaction_t t, const char *path)
{
	struct part req[] = { STR(path) };

	return xs_talk_ok(XS_RM, t, req, ARRAY_SIZE(req));
}

long xenstore_directory(xs_transaction_t t, const char *path, char *buf, size_t size)
{
	struct part req[] = { STR(path) };
	long len = xs_talk(XS_DIRECTORY, t, req, ARRAY_SIZE(req), buf, size);
	long names = 0;

	for (long i = 0; i < len; i++)
		names += buf[i] == '\0';
	return len < 0 ? len : names;
}

long xenstore_transaction_start(xs_transaction_t *t)
{
	struct part req[] = { STR("") };
	char id[16];
	unsigned long value;
	long rc = xs_talk(XS_TRANSACTION_START, XS_NO_TRANSACTION, req, ARRAY_SIZE(req), id,
			  sizeof(id));

	if (rc < 0)
		return rc;
	if (!parse_ulong(id, &value) || !value || value > UINT32_MAX) {
		printk("pvmm: xenstore: transaction id '%s' is not a number\n", id);
		return -XEN_EIO;
	}
	*t = value;
	return 0;
}

long xenstore_transaction_end(xs_transaction_t t, bool commit)
{
	struct part req[] = { STR(commit ? "T" : "F") };

	return xs_talk_ok(XS_TRANSACTION_END, t, req, ARRAY_SIZE(req));
}

/* Ask xenstored to watch the path of @slot, with the slot as the token. */
static long watch_request(unsigned int slot)
{
	char token[8];

	snprintf(token, sizeof(token), "%u", slot);
	{
		struct part req[] = { STR(watch_paths[slot]), STR(token) };

		return xs_talk_ok(XS_WATCH, XS_NO_TRANSACTION, req, ARRAY_SIZE(req));
	}
}

long xenstore_watch(const char *path, void (*fn)(const char *changed))
{
	unsigned long flags;
	unsigned int slot = 0;
	long rc;

	if (strlen(path) >= WATCH_PATH_MAX)
		return -XEN_ENAMETOOLONG;
	flags = spin_lock_irqsave(&watches_lock);
	while (slot < MAX_WATCHES && watch_fns[slot])
		slot++;
	if (slot < MAX_WATCHES) {
		memcpy(watch_paths[slot], path, strlen(path) + 1);
		watch_fns[slot] = fn;
	}
	spin_unlock_irqrestore(&watches_lock, flags);
	if (slot == MAX_WATCHES)
		return -XEN_ENOSPC;

	/* Registered before asking: the first event may come before the reply. */
	rc = watch_request(slot);
	if (rc)
		WRITE_ONCE(watch_fns[slot], NULL);
	return rc;
}

static bool watch_event_queued(void *unused)
{
	return __atomic_load_n(&events_tail, __ATOMIC_ACQUIRE) != events_head;
}

/* Hand each watch event to its watch's callback, in the order they came. */
static void xenwatch(void *unused)
{
	static char data[WATCH_EVENT_MAX + 1];

	for (;;) {
		unsigned int head = events_head, len, slot = MAX_WATCHES;
		const char *token;
		unsigned long value;

		wait_queue_wait(&watch_queue, watch_event_queued, NULL);
		len = events[head % WATCH_EVENTS].len;
		memcpy(data, events[head % WATCH_EVENTS].data, len);
		data[len] = '\0';
		__atomic_store_n(&events_head, head + 1, __ATOMIC_RELEASE);

		/* The body is "path\0token\0". */
		token = data + strlen(data) + 1;
		if (token < data + len && parse_ulong(token, &value) && value < MAX_WATCHES)
			slot = value;
		if (slot < MAX_WATCHES && READ_ONCE(watch_fns[slot]))
			watch_fns[slot](data);
		else
			printk("pvmm: xenstore: watch event for %s with unknown token dropped\n", data);
	}
}

void xenstore_init(void)
{
	ring = mfn_to_virt(start_info->store_mfn);
	store_port = start_info->store_evtchn;
	bind_evtchn_to_handler(store_port, store_event);
	if (!kthread_create("xenwatch", xenwatch, NULL, 0))
		panic("no memory for the xenwatch thread");
}

void xenstore_suspend(void)
{
	wait_queue_wait(&request_queue, request_slot_taken, NULL);
}

/*
 * In a new domain the ring page is ours still (the same pfn), but the
 * channel is new and xenstored's end of it is a new connection, with none
 * of our watches. Whatever it left unread for us is a watch event (no
 * request was in flight): dropped, as Linux's xb_init_comms() drops it;
 * watching again fires every watch once anyway.
 */
static void reconnect(void)
{
	unsigned long flags = local_irq_save();

	msg_have = 0;
	WRITE_ONCE(ring->rsp_cons, READ_ONCE(ring->rsp_prod));
	store_port = start_info->store_evtchn;
	bind_evtchn_to_handler(store_port, store_event);
	local_irq_restore(flags);
}

void xenstore_resume(bool new_domain)
{
	long rc;

	if (new_domain)
		reconnect();
	__atomic_store_n(&requesting, false, __ATOMIC_RELEASE);
	wake_up_all(&request_queue);
	for (unsigned int slot = 0; new_domain && slot < MAX_WATCHES; slot++)
		if (READ_ONCE(watch_fns[slot]) && (rc = watch_request(slot)))
			xenstore_failed("watch (after a restore)", watch_paths[slot], rc);
}
