/*
 * Per-vCPU TLB state under the loaded_mm model (see tlb.c and docs/mmu.md).
 */
#ifndef ASM_TLB_H
#define ASM_TLB_H

#include <asm/smp.h>

struct mm;
struct task;

/* Queue this vCPU's switch to @next's tables (the caller issues the batch). */
void switch_mm(struct mm *next);
/* A kernel thread runs: keep whatever is loaded. */
void enter_lazy_tlb(void);
/* Switch this vCPU to init_mm's tables now (one hypercall, none if there already). */
void leave_mm(void);
/* Make every vCPU that has @mm loaded, this one included, leave it; wait for them. */
void tlb_drop_mm(struct mm *mm);
/* The vCPUs whose loaded_mm is @mm. */
cpumask_t mm_holders(const struct mm *mm);
/*
 * Queue the flush of [start, end) of @mm on every vCPU that has it loaded
 * (lazy ones included), after the updates already queued; the caller's
 * lazy-MMU section issues both as one multicall. Returns the remote vCPUs
 * it flushed.
 */
cpumask_t flush_tlb_mm_range(struct mm *mm, unsigned long start, unsigned long end);

/*
 * Queue the flush of kernel addresses [start, end) on every vCPU: one
 * mmuext entry of INVLPG_ALL ops (TLB_FLUSH_ALL above the ceiling) in the
 * caller's batch. Xen reaches every vCPU itself: no IPI.
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);

/* Above this many pages a range flush becomes a full flush. */
#define FLUSH_CEILING_PAGES	32

#endif
