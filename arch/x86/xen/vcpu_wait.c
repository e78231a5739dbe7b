/* Sleeping while waiting for another vCPU (see <asm/vcpu_wait.h>). */
#include <hypercall/hypercall.h>
#include <hypercall/meter.h>
#include <asm/events.h>
#include <asm/ipi.h>
#include <asm/percpu.h>
#include <asm/time.h>
#include <asm/vcpu_wait.h>

/*
 * The longest one sleep lasts. The waker does not need it: the kick, or
 * the IPI, ends the poll, and every caller checks its condition again
 * after a poll, as after any early end. Xen's scheduler does: Credit2 in
 * Xen 4.17 under QEMU has left a runnable vCPU on its run queue while both
 * physical CPUs idled, none told to reschedule ('r' key: the vCPU queued,
 * "idlers: 2", "tickled: 0"; ipi-pairs-4 stalled 5 times in 15 beside two
 * CPU hogs, none in 30 with the bound). Such a vCPU runs again only when
 * Xen next schedules on some physical CPU. Pollers with events masked take
 * no ticks (the one-shot tick is re-armed by its handler), so if every
 * other vCPU polls, only a timeout makes Xen schedule again. A lost kick
 * now costs 10 ms instead of a hang; sleep_timeouts counts the polls that
 * ended with nothing pending.
 */
#define VCPU_SLEEP_MAX_NS	10000000ULL	/* 10 ms, the tick */

void vcpu_wait_init(void)
{
	this_cpu()->kick_port = bind_ipi_polled();
}

/*
 * Waits nest: an event handler, or a call taken while waiting, may wait
 * in turn. Only the outermost clears the kick channel: a nested one would
 * throw away a kick meant for the wait it interrupted. A nested wait may
 * find a kick pending that is not its own; it then spins through its
 * polls until its own condition holds.
 */
void vcpu_sleep_prepare(enum vcpu_sleep_wake wake)
{
	struct percpu *me = this_cpu();

	/* Before the announcement: the calls it runs may wait in turn. */
	if (wake == WAKE_ON_KICK_OR_IPI)
		ipi_take_pending();
	/* A full barrier: then the caller checks its condition. */
	if (atomic_fetch_add(&me->sleep_nest, 1) == 0)
		evtchn_clear_pending(me->kick_port);
}

/*
 * Left out of every hypercall meter: whether a wait sleeps depends on how
 * Xen and the host schedule, not on what the operation measured asked of
 * Xen. Safe with events masked and with locks held: SCHEDOP_poll sees
 * pending ports whatever their mask and the vCPU's.
 */
void vcpu_sleep(enum vcpu_sleep_wake wake)
{
	struct percpu *me = this_cpu();
	evtchn_port_t ports[2] = { me->kick_port, me->ipi_port };
	struct sched_poll poll = {
		.nr_ports = wake == WAKE_ON_KICK_OR_IPI ? 2 : 1,
		.timeout = xen_system_time_ns() + VCPU_SLEEP_MAX_NS,	/* absolute */
	};
	struct unmetered u;
	long rc;

	set_xen_guest_handle(poll.ports, ports);
	unmetered_begin(&u);
	rc = HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
	unmetered_end(&u);
	if (rc)
		report_hypercall_failure("sched_op", rc, "SCHEDOP_poll, ports=%u,%u, nr_ports=%u, timeout=%llu",
					 ports[0], ports[1], poll.nr_ports, (unsigned long long)poll.timeout);
	me->sleeps++;
	if (!evtchn_is_pending(ports[0]) && (poll.nr_ports == 1 || !evtchn_is_pending(ports[1])))
		me->sleep_timeouts++;
}

void vcpu_sleep_finish(void)
{
	atomic_fetch_add(&this_cpu()->sleep_nest, -1);
}

void vcpu_kick(unsigned int cpu)
{
	struct percpu *target = &percpu_areas[cpu];
	struct evtchn_send send;
	struct unmetered u;
	long rc;

	if (!READ_ONCE(target->sleep_nest))
		return;
	send.port = target->kick_port;
	unmetered_begin(&u);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);
	unmetered_end(&u);
	if (rc)
		report_hypercall_failure("event_channel_op", rc, "EVTCHNOP_send, port=%u (kick of vCPU %u)",
					 send.port, cpu);
	this_cpu()->kicks_sent++;
}
