/*
 * Event channels, 2-level ABI: shared_info holds a pending and a mask bit
 * per port, and each vCPU a selector word saying which pending words to
 * look at. Xen sets evtchn_upcall_pending and calls entry_event_upcall
 * with events masked; the iret hypercall on the way out unmasks them.
 */
#include <hypercall/hypercall.h>
#include <asm/events.h>
#include <asm/traps.h>
#include <asm/page.h>
#include <pvmm/bug.h>
#include <pvmm/lib.h>

#define NR_PORTS	(sizeof(xen_ulong_t) * 8 * sizeof(xen_ulong_t) * 8)
#define BITS_PER_WORD	(sizeof(xen_ulong_t) * 8)

#define PORT_WORDS	(NR_PORTS / BITS_PER_WORD)

static evtchn_handler_t port_handlers[NR_PORTS];
/*
 * The ports bound to each vCPU. Pending bits live in words shared by all
 * vCPUs, and Xen only flags a word in the selector of the vCPU a port is
 * bound to, so a vCPU scanning a word must leave other vCPUs' ports alone.
 */
static xen_ulong_t cpu_ports[MAX_VCPUS][PORT_WORDS];

void force_evtchn_callback(void)
{
	/* Any hypercall returns through Xen's check for pending upcalls. */
	long rc = HYPERVISOR_xen_version(XENVER_version, NULL);

	if (rc < 0)
		report_hypercall_failure("xen_version", rc, "XENVER_version, NULL");
}

bool evtchn_test_and_clear_pending(unsigned int port)
{
	bool was_pending;

	asm volatile("lock btrq %2, %0"
		     : "+m"(shared_info->evtchn_pending[port / BITS_PER_WORD]), "=@ccc"(was_pending)
		     : "r"((unsigned long)(port % BITS_PER_WORD)) : "memory");
	return was_pending;
}

bool evtchn_is_pending(unsigned int port)
{
	return (READ_ONCE(shared_info->evtchn_pending[port / BITS_PER_WORD]) >> (port % BITS_PER_WORD)) & 1;
}

void evtchn_clear_pending(unsigned int port)
{
	evtchn_test_and_clear_pending(port);
}

void evtchn_notify(unsigned int port)
{
	struct evtchn_send send = { .port = port };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);

	if (rc)
		report_hypercall_failure("event_channel_op", rc, "EVTCHNOP_send, port=%u", port);
}

/* Give a freshly bound @port of @cpu its handler, then unmask it. */
static void port_setup(unsigned int port, unsigned int cpu, evtchn_handler_t handler)
{
	struct evtchn_unmask unmask = { .port = port };
	long rc;

	if (port >= NR_PORTS)
		panic("event channel port %u beyond the 2-level ABI's %lu", port, NR_PORTS);
	port_handlers[port] = handler;
	__atomic_fetch_or(&cpu_ports[cpu][port / BITS_PER_WORD], 1UL << (port % BITS_PER_WORD),
			  __ATOMIC_SEQ_CST);
	/* Xen re-raises an event that became pending while the port was masked. */
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &unmask);
	if (rc)
		report_hypercall_failure("event_channel_op", rc, "EVTCHNOP_unmask, port=%u", port);
}

unsigned int bind_virq(unsigned int virq, evtchn_handler_t handler)
{
	struct evtchn_bind_virq bind = { .virq = virq, .vcpu = smp_processor_id() };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind);

	if (rc)
		report_hypercall_failure("event_channel_op", rc, "EVTCHNOP_bind_virq, virq=%u, vcpu=%u",
					 virq, bind.vcpu);
	port_setup(bind.port, bind.vcpu, handler);
	return bind.port;
}

void bind_evtchn_to_handler(unsigned int port, evtchn_handler_t handler)
{
	/* Xen delivers a port to vCPU 0 until someone moves it (EVTCHNOP_bind_vcpu). */
	port_setup(port, 0, handler);
}

static unsigned int bind_ipi_port(void)
{
	struct evtchn_bind_ipi bind = { .vcpu = smp_processor_id() };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &bind);

	if (rc)
		report_hypercall_failure("event_channel_op", rc, "EVTCHNOP_bind_ipi, vcpu=%u", bind.vcpu);
	return bind.port;
}

unsigned int bind_ipi(evtchn_handler_t handler)
{
	unsigned int port = bind_ipi_port();

	port_setup(port, smp_processor_id(), handler);
	return port;
}

unsigned int bind_ipi_polled(void)
{
	unsigned int port = bind_ipi_port();

	/* Left masked and out of cpu_ports: the upcall never looks at it. */
	if (port >= NR_PORTS)
		panic("event channel port %u beyond the 2-level ABI's %lu", port, NR_PORTS);
	return port;
}

void events_init(void)
{
	/* Ports start masked; binding one unmasks it. */
	for (unsigned int i = 0; i < ARRAY_SIZE(shared_info->evtchn_mask); i++)
		shared_info->evtchn_mask[i] = ~0UL;
}

void events_forget_ports(void)
{
	memset(port_handlers, 0, sizeof(port_handlers));
	memset(cpu_ports, 0, sizeof(cpu_ports));
	for (unsigned int cpu = 0; cpu < MAX_VCPUS; cpu++)
		percpu_areas[cpu].timer_port = percpu_areas[cpu].ipi_port = percpu_areas[cpu].kick_port = -1;
	events_init();
}

void do_event_upcall(struct cpu_regs *regs)
{
	struct vcpu_info *v = this_vcpu_info();
	const xen_ulong_t *mine = cpu_ports[smp_processor_id()];

	do {
		xen_ulong_t sel;

		/* Clear before scanning, so an event that arrives meanwhile sets it again. */
		v->evtchn_upcall_pending = 0;
		sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
		while (sel) {
			unsigned int word = __builtin_ctzl(sel);
			xen_ulong_t pending;

			sel &= sel - 1;
			pending = READ_ONCE(shared_info->evtchn_pending[word]) &
				  ~READ_ONCE(shared_info->evtchn_mask[word]) & READ_ONCE(mine[word]);
			while (pending) {
				unsigned int port = word * BITS_PER_WORD + __builtin_ctzl(pending);

				pending &= pending - 1;
				evtchn_clear_pending(port);
				if (port_handlers[port])
					port_handlers[port](port, regs);
			}
		}
	} while (READ_ONCE(v->evtchn_upcall_pending));
}

void block_until_event(void)
{
	long rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);

	if (rc)
		report_hypercall_failure("sched_op", rc, "SCHEDOP_block, NULL");
	/* Xen unmasked events to block; the upcall has run. Mask again. */
	local_irq_disable();
}
