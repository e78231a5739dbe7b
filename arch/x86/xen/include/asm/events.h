/*
 * Event delivery: the PV equivalent of the interrupt flag is the vCPU's
 * evtchn_upcall_mask in shared_info; events are ports of the 2-level ABI.
 */
#ifndef ASM_EVENTS_H
#define ASM_EVENTS_H

#include <pvmm/compiler.h>
#include <asm/xen.h>

struct cpu_regs;
typedef void (*evtchn_handler_t)(unsigned int port, struct cpu_regs *regs);

/* Xen delivers a pending event; used when unmasking finds one pending. */
void force_evtchn_callback(void);

static inline void local_irq_disable(void)
{
	this_vcpu_info()->evtchn_upcall_mask = 1;
	barrier();
}

static inline void local_irq_enable(void)
{
	struct vcpu_info *v = this_vcpu_info();

	barrier();
	v->evtchn_upcall_mask = 0;
	barrier();	/* unmask, then check: an event set in between is seen */
	if (unlikely(v->evtchn_upcall_pending))
		force_evtchn_callback();
}

static inline unsigned long local_irq_save(void)
{
	unsigned long was_masked = this_vcpu_info()->evtchn_upcall_mask;

	local_irq_disable();
	return was_masked;
}

static inline void local_irq_restore(unsigned long was_masked)
{
	if (!was_masked)
		local_irq_enable();
}

void events_init(void);
/*
 * A new domain (after a restore) has none of the old one's channels:
 * forget every binding and mask every port, so that each is bound again.
 */
void events_forget_ports(void);
/* Answer VIRQ_DEBUG (Xen's 'q' key) on this vCPU with its state. */
void debug_dump_init(void);
/* Bind @virq on this vCPU to @handler and unmask it: the port. */
unsigned int bind_virq(unsigned int virq, evtchn_handler_t handler);
/*
 * Handle @port, a channel the domain builder already connected (the
 * xenstore ring's), on vCPU 0, where Xen delivers it, and unmask it.
 */
void bind_evtchn_to_handler(unsigned int port, evtchn_handler_t handler);
/* Bind a new IPI channel to this vCPU, with @handler: the port. */
unsigned int bind_ipi(evtchn_handler_t handler);
/*
 * Bind a new IPI channel to this vCPU that stays masked: it is only ever
 * waited for with SCHEDOP_poll, which sees pending masked ports. The port.
 */
unsigned int bind_ipi_polled(void);
void evtchn_clear_pending(unsigned int port);
/* Whether @port's pending bit is set. */
bool evtchn_is_pending(unsigned int port);
/* Clear @port's pending bit: whether it was set. */
bool evtchn_test_and_clear_pending(unsigned int port);
void evtchn_notify(unsigned int port);
void do_event_upcall(struct cpu_regs *regs);

/*
 * Block in Xen until an event has been handled. Called with events
 * masked; SCHEDOP_block unmasks them atomically with blocking, so an event
 * that arrives in between still wakes us. Returns with events masked.
 */
void block_until_event(void);

#endif
