/*
 * The per-vCPU multicall batch: work for Xen is queued here and issued as
 * ONE hypercall when the batch is flushed (or fills). Callers queue and
 * flush with events masked, so an event handler on the same vCPU never
 * finds a half-built batch. A failed entry is reported with its index, its
 * hypercall (for an mmu_update or mmuext_op list, the failing request, as
 * queued) and Xen's error, and ends the run with FAILURE.
 */
#ifndef HYPERCALL_BATCH_H
#define HYPERCALL_BATCH_H

#include <hypercall/hypercall.h>

#define MC_BATCH_ENTRIES	MAX_VCPUS	/* an IPI to every vCPU is one batch */
#define MC_BATCH_ARG_BYTES	8192	/* room for two full mmu_update queues */
#define MC_BATCH_CALLBACKS	8

/*
 * Queue hypercall @op with up to six arguments. The batch keeps its own
 * record of them, which names the entry if Xen fails it: after the call,
 * only the result in Xen's copy can be trusted.
 */
void mc_queue(unsigned int op, unsigned long a0, unsigned long a1, unsigned long a2,
	      unsigned long a3, unsigned long a4, unsigned long a5);
/* Argument memory that lives until the batch is flushed (a pointer to pass to mc_queue). */
void *mc_arg_space(size_t size);
/* Queue EVTCHNOP_send on @port. */
void mc_queue_evtchn_send(unsigned int port);
/*
 * Call @fn(@arg) on this vCPU once everything queued so far has been
 * issued and has succeeded (at the next flush, with events still as the
 * flusher had them). What Xen has really been told is recorded this way,
 * never at the point the call is queued (Linux 9f79991d4186).
 */
void mc_callback(void (*fn)(void *arg), void *arg);
/* Issue what is queued, if anything, as one multicall, then run the callbacks. */
void mc_flush(void);
unsigned int mc_queued(void);

#endif
