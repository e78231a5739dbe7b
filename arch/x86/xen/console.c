/*
 * The guest console.
 *
 * The initial domain writes with HYPERVISOR_console_io, which goes straight
 * to Xen's serial line. A domU must use the PV console ring whose frame and
 * event channel start_info names (console_io is -EPERM for a domU on a
 * release hypervisor): the guest produces into the ring's out[] half and
 * kicks the channel; xenconsoled in dom0 consumes and kicks back.
 *
 * Writers mask events and hold console_lock for the whole write, so that
 * lines from different vCPUs, or from an event handler and the context it
 * interrupted, never interleave. A vCPU that faults while writing (it
 * already owns the lock) writes its report without taking it again.
 */
#include <xen/io/console.h>
#include <hypercall/hypercall.h>
#include <asm/console.h>
#include <asm/events.h>
#include <asm/page.h>
#include <asm/time.h>
#include <asm/shutdown.h>
#include <pvmm/lib.h>
#include <pvmm/spinlock.h>

/* Give up on a backend that has made no progress for this long. */
#define BACKEND_STALL_NS	(5 * 1000000000ULL)

static struct xencons_interface *ring;
static evtchn_port_t ring_port;
static bool ring_dead;
static spinlock_t console_lock = SPINLOCK_INIT;
static int console_owner = -1;	/* vCPU holding console_lock */

/* Take console_lock unless this vCPU already holds it: whether it took it. */
static bool console_lock_take(void)
{
	int cpu = smp_processor_id();

	if (READ_ONCE(console_owner) == cpu)
		return false;
	spin_lock(&console_lock);
	console_owner = cpu;
	return true;
}

static void console_lock_drop(bool taken)
{
	if (!taken)
		return;
	console_owner = -1;
	spin_unlock(&console_lock);
}

void console_init(void)
{
	if (xen_initial_domain())
		return;
	ring = mfn_to_virt(start_info->console.domU.mfn);
	ring_port = start_info->console.domU.evtchn;
}

/*
 * Wait up to @timeout_ns for the backend to signal the ring's channel.
 * SCHEDOP_poll works with events masked, which the writer holds.
 */
static void ring_wait(uint64_t timeout_ns)
{
	struct sched_poll poll = {
		.nr_ports = 1,
		.timeout = xen_system_time_ns() + timeout_ns,
	};
	long rc;

	set_xen_guest_handle(poll.ports, &ring_port);
	rc = HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
	if (rc)
		ring_dead = true;	/* cannot report: this is the console */
}

/* Wait until the backend has consumed up to @prod, or has stalled. */
static bool ring_wait_consumed(uint32_t need_space)
{
	uint64_t deadline = xen_system_time_ns() + BACKEND_STALL_NS;

	for (;;) {
		uint32_t used = READ_ONCE(ring->out_prod) - READ_ONCE(ring->out_cons);

		if (sizeof(ring->out) - used >= need_space)
			return true;
		if (ring_dead || xen_system_time_ns() > deadline)
			return false;
		/* Clear first: a kick that lands after the check still wakes the poll. */
		evtchn_clear_pending(ring_port);
		if (READ_ONCE(ring->out_prod) - READ_ONCE(ring->out_cons) != used)
			continue;
		ring_wait(100000000ULL);
	}
}

static void ring_write(const char *s, size_t len)
{
	while (len && !ring_dead) {
		uint32_t prod = ring->out_prod;
		size_t n = 0;

		if (!ring_wait_consumed(1)) {
			ring_dead = true;
			return;
		}
		while (n < len && prod - READ_ONCE(ring->out_cons) < sizeof(ring->out))
			ring->out[MASK_XENCONS_IDX(prod++, ring->out)] = s[n++];
		/* The bytes must be visible before the producer index that publishes them. */
		asm volatile("sfence" ::: "memory");
		ring->out_prod = prod;
		evtchn_notify(ring_port);
		s += n;
		len -= n;
	}
}

void console_write(const char *s, size_t len)
{
	unsigned long flags = local_irq_save();
	bool taken = console_lock_take();

	if (ring) {
		ring_write(s, len);
	} else if (HYPERVISOR_console_io(CONSOLEIO_write, len, s) < 0) {
		/*
		 * The console is where failures are reported: with it gone,
		 * crashing is the one signal left, and the runner reports a
		 * guest that crashed without a result line.
		 */
		xen_shutdown(SHUTDOWN_crash);
	}
	console_lock_drop(taken);
	local_irq_restore(flags);
}

void console_flush(void)
{
	unsigned long flags;
	bool taken;

	if (!ring || !shared_info)
		return;
	flags = local_irq_save();
	taken = console_lock_take();
	ring_wait_consumed(sizeof(ring->out));
	console_lock_drop(taken);
	local_irq_restore(flags);
}

void vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}
