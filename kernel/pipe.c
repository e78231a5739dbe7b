/*
 * Pipes: a ring buffer of one page between the two ends, with Linux's
 * blocking semantics. A reader waits while the ring is empty and a writer
 * is left, and gets 0 (end of file) once none is; a writer waits while the
 * ring is full and gets -EPIPE once no reader is left (pvmm has no SIGPIPE).
 * A write of up to PIPE_BUF bytes is atomic: it waits for room for all of
 * it, so writers' records never interleave.
 *
 * User memory is copied through a bounce buffer outside the ring's lock:
 * a copy may fault a page in, which takes the mm's lock and allocates,
 * neither of which may happen under a spinlock with events masked.
 * Waiters block in the scheduler (wait queues): a reader on one vCPU and a
 * writer on another wake each other with an IPI.
 */
#include <xen/errno.h>
#include <asm-generic/errno-base.h>	/* EPIPE: Linux's alone, Xen has no such error */
#include <linux/limits.h>
#include <pvmm/file.h>
#include <pvmm/lib.h>
#include <pvmm/sched.h>
#include <pvmm/spinlock.h>
#include <asm/page.h>
#include <asm/page_alloc.h>
#include <asm/uaccess.h>

#define RING_SIZE	PAGE_SIZE	/* a page: room for a whole PIPE_BUF write */
#define BOUNCE		512

_Static_assert(RING_SIZE >= PIPE_BUF, "a write of PIPE_BUF bytes fits the ring at once");

struct pipe {
	spinlock_t lock;
	unsigned int readers, writers;
	unsigned long head, tail;	/* bytes written and read, ever: head - tail in the ring */
	struct wait_queue readable, writable;
	char *ring;
};

struct pipe *pipe_create(void)
{
	struct pipe *p = alloc_page();

	if (!p)
		return NULL;
	p->ring = alloc_page();
	if (!p->ring) {
		free_page(p);
		return NULL;
	}
	p->lock = (spinlock_t)SPINLOCK_INIT;	/* the rest zeroed: no ends yet, empty */
	return p;
}

void pipe_get(struct pipe *p, bool writer)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);

	if (writer)
		p->writers++;
	else
		p->readers++;
	spin_unlock_irqrestore(&p->lock, flags);
}

void pipe_put(struct pipe *p, bool writer)
{
	unsigned long flags = spin_lock_irqsave(&p->lock);
	bool last;

	if (writer)
		p->writers--;
	else
		p->readers--;
	last = !p->readers && !p->writers;
	/*
	 * The other end's waiters see the change: end of file, or -EPIPE.
	 * Woken before the lock goes: from then on the other end's last put
	 * may free the pipe, its wait queues with it.
	 */
	wake_up_all(writer ? &p->readable : &p->writable);
	spin_unlock_irqrestore(&p->lock, flags);
	if (last) {
		free_page(p->ring);
		free_page(p);
	}
}

static bool can_read(void *arg)
{
	struct pipe *p = arg;

	return READ_ONCE(p->head) != READ_ONCE(p->tail) || !READ_ONCE(p->writers);
}

long pipe_read(struct pipe *p, unsigned long ubuf, unsigned long len)
{
	char bounce[BOUNCE];
	unsigned long done = 0;

	while (done < len) {
		unsigned long flags = spin_lock_irqsave(&p->lock);
		unsigned long n = p->head - p->tail;
		bool eof = !p->writers;

		if (n > len - done)
			n = len - done;
		if (n > BOUNCE)
			n = BOUNCE;
		for (unsigned long i = 0; i < n; i++)
			bounce[i] = p->ring[(p->tail + i) % RING_SIZE];
		p->tail += n;
		spin_unlock_irqrestore(&p->lock, flags);
		if (!n) {
			if (done || eof)
				break;	/* what there was is read, or end of file */
			/* Empty, a writer left (another reader may have taken what woke this one). */
			wait_queue_wait(&p->readable, can_read, p);
			continue;
		}
		wake_up_all(&p->writable);
		if (copy_to_user(ubuf + done, bounce, n))
			return done ? (long)done : -XEN_EFAULT;	/* those bytes are lost, as Linux's would be */
		done += n;
	}
	return done;
}

struct room {
	struct pipe *p;
	unsigned long need;
};

static bool has_room(void *arg)
{
	struct room *r = arg;

	return RING_SIZE - (READ_ONCE(r->p->head) - READ_ONCE(r->p->tail)) >= r->need ||
	       !READ_ONCE(r->p->readers);
}

/*
 * Put @n bytes of @buf into the ring once there is room for @need of them
 * (all @n: atomic; 1: as much as fits). Bytes put, or -EPIPE.
 */
static long ring_put(struct pipe *p, const char *buf, unsigned long n, unsigned long need)
{
	struct room r = { p, need };
	unsigned long flags, room;

	for (;;) {
		wait_queue_wait(&p->writable, has_room, &r);
		flags = spin_lock_irqsave(&p->lock);
		if (!p->readers) {
			spin_unlock_irqrestore(&p->lock, flags);
			return -EPIPE;
		}
		room = RING_SIZE - (p->head - p->tail);
		if (room >= need)
			break;
		/* Another writer took the room first: wait again, never put part of an atomic write. */
		spin_unlock_irqrestore(&p->lock, flags);
	}
	if (n > room)
		n = room;
	for (unsigned long i = 0; i < n; i++)
		p->ring[(p->head + i) % RING_SIZE] = buf[i];
	p->head += n;
	spin_unlock_irqrestore(&p->lock, flags);
	wake_up_all(&p->readable);
	return n;
}

long pipe_write(struct pipe *p, unsigned long ubuf, unsigned long len)
{
	char bounce[BOUNCE], *buf = bounce;
	unsigned long done = 0;
	long rc = 0;

	if (len > BOUNCE && len <= PIPE_BUF && !(buf = alloc_page()))
		return -XEN_ENOMEM;
	while (done < len) {
		/* Up to PIPE_BUF in all: copied whole, and put in at once (no other writer's bytes between). */
		unsigned long n = len <= PIPE_BUF ? len : (len - done < BOUNCE ? len - done : BOUNCE);

		if (copy_from_user(buf, ubuf + done, n)) {
			rc = -XEN_EFAULT;
			break;
		}
		rc = ring_put(p, buf, n, len <= PIPE_BUF ? n : 1);
		if (rc < 0)
			break;
		done += rc;
	}
	if (buf != bounce)
		free_page(buf);
	return done ? (long)done : rc;
}
