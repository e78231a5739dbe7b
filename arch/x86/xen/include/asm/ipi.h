/*
 * Inter-processor interrupts: one IPI event channel per vCPU
 * (EVTCHNOP_bind_ipi) and a word of reasons beside it. Sending sets the
 * reason, then signals the channel unless that reason was already pending
 * (the target has not yet taken the word, so it will see this one too).
 * IPIs to several vCPUs go out as one multicall.
 */
#ifndef ASM_IPI_H
#define ASM_IPI_H

#include <asm/smp.h>

enum ipi_reason {
	IPI_CALL_FUNCTION,	/* run queued cross-vCPU calls */
	IPI_RESCHEDULE,		/* a task was queued here: schedule */
};

/* Bind this vCPU's IPI channel. */
void ipi_init(void);
void send_ipi_mask(cpumask_t mask, enum ipi_reason reason);
/*
 * With events masked: handle an IPI that is pending on this vCPU now,
 * rather than when events are unmasked (a vCPU about to sleep in Xen).
 */
void ipi_take_pending(void);

#endif
