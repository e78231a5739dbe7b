/*
 * Cross-vCPU function calls: run a function on a set of vCPUs, optionally
 * waiting until every one has run it. TLB shootdown and teardown are built
 * on these.
 */
#ifndef PVMM_SMP_CALL_H
#define PVMM_SMP_CALL_H

#include <asm/smp.h>

typedef void (*smp_call_fn)(void *info);

/*
 * Run @fn(@info) on every online vCPU of @mask, the caller included if it
 * is in @mask (directly, with events masked); offline vCPUs are left out.
 * With @wait, return only once all have run it. The others run it from
 * their IPI handler, with events masked: @fn must not block or call these
 * functions. A vCPU that goes offline meanwhile runs it before it goes, or
 * is left out. Returns the number of vCPUs @fn ran or will run on, or
 * -XEN_EDEADLK, with a message, when called from an event handler (it
 * could wait for a vCPU that is waiting for this one).
 */
int smp_call_function_many(cpumask_t mask, smp_call_fn fn, void *info, bool wait);
/*
 * Queue @fn(@info) on the online vCPUs of @mask but the caller, and send
 * the IPIs, without ever waiting for another vCPU: a vCPU that has not yet
 * taken this caller's previous call is left out. So it may be called with
 * a lock held that those vCPUs may be waiting for. Returns the vCPUs it
 * was queued on; @info must stay valid until they have run it, or @fn must
 * not dereference it.
 */
cpumask_t smp_call_function_many_nowait(cpumask_t mask, smp_call_fn fn, void *info);
/* smp_call_function_many() on one vCPU: -XEN_ENXIO if it is not online. */
int smp_call_function_single(unsigned int cpu, smp_call_fn fn, void *info, bool wait);
/* Run the calls queued for this vCPU (its IPI handler does). */
void smp_call_handle_queue(void);
/*
 * On a vCPU that has just cleared its online bit: run every call already
 * aimed at it. None can come after (callers check the bit once they have
 * claimed their node).
 */
void smp_call_quiesce(void);

#endif
