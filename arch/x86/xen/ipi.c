#include <hypercall/batch.h>
#include <asm/ipi.h>
#include <asm/events.h>
#include <pvmm/atomic.h>
#include <pvmm/sched.h>
#include <pvmm/smp_call.h>

static void handle_ipi_reasons(void)
{
	struct percpu *me = this_cpu();
	unsigned long reasons = atomic_xchg(&me->ipi_reasons, 0);

	me->ipis_received++;
	if (reasons & (1UL << IPI_CALL_FUNCTION))
		smp_call_handle_queue();
	if (reasons & (1UL << IPI_RESCHEDULE))
		set_need_resched();
}

static void ipi_interrupt(unsigned int port, struct cpu_regs *regs)
{
	handle_ipi_reasons();
}

void ipi_take_pending(void)
{
	/* As the upcall would: clear the port, then take the reasons. */
	if (evtchn_test_and_clear_pending(this_cpu()->ipi_port))
		handle_ipi_reasons();
}

void ipi_init(void)
{
	this_cpu()->ipi_port = bind_ipi(ipi_interrupt);
}

void send_ipi_mask(cpumask_t mask, enum ipi_reason reason)
{
	unsigned long flags = local_irq_save();
	unsigned int ports[MAX_VCPUS], n = 0, cpu;

	for_each_cpu(cpu, mask) {
		struct percpu *target = &percpu_areas[cpu];

		/* Publishes the caller's queued work before the reason bit. */
		if (!(atomic_fetch_or(&target->ipi_reasons, 1UL << reason) & (1UL << reason)))
			ports[n++] = target->ipi_port;
	}
	/* One hypercall either way: a plain send, or one multicall of sends. */
	if (n == 1) {
		evtchn_notify(ports[0]);
	} else if (n > 1) {
		for (unsigned int i = 0; i < n; i++)
			mc_queue_evtchn_send(ports[i]);
		mc_flush();
	}
	this_cpu()->ipis_sent += n;
	local_irq_restore(flags);
}
