/*
 * Lazy-MMU mode: page-table updates queued per vCPU and sent to Xen in as
 * few hypercalls as the ABI allows.
 *
 *	lazy_mmu_enter();
 *	mmu_queue(ptr, val);	... any number ...
 *	lazy_mmu_leave();	one mmu_update entry in one multicall
 *
 * Sections nest: an inner enter/leave joins the outer batch, and only the
 * outermost leave issues it (Linux tripped over nesting in 49147beb0ccb;
 * here it is defined, and tested by mm-basic). Queued updates go to Xen as
 * ONE mmu_update multicall entry, after which callers may queue mmuext_op
 * entries (pin, TLB flushes) into the same multicall, so an operation and
 * its flush cost one hypercall. Updates are not visible in the tables
 * until issued: code that must read back what it queued issues first.
 * A section masks events from its outermost enter to its leave, so no
 * event handler or preemption can touch a half-built batch; queueing is
 * only allowed inside one.
 */
#ifndef PV_MMU_LAZY_MMU_H
#define PV_MMU_LAZY_MMU_H

#include <stdint.h>

#define MMU_QUEUE_MAX	128

void lazy_mmu_enter(void);
void lazy_mmu_leave(void);
/* Queue "*ptr = val" (ptr: machine address of the entry). */
void mmu_queue(uint64_t ptr, uint64_t val);
/* Move the queued updates into the vCPU's multicall batch (no hypercall yet). */
void mmu_commit(void);
/* Commit and issue everything now. */
void mmu_issue(void);

struct mmuext_op;
/* Queue @n MMUEXT ops as one entry, after the updates queued so far. */
void mmu_queue_mmuext(const struct mmuext_op *ops, unsigned int n);

#endif
