/*
 * The TLB model: each vCPU's TLB state, the switch, lazy mode and leave,
 * the holders of an mm, flush decisions, and teardown's drop. The
 * loaded_mm model (tlb_loaded_mm.c) unless built with MODEL=active_mm, the
 * pre-seed one (tlb_active_mm.c); tlb.c holds what they share. docs/tlb.md
 * is their description and ordering arguments.
 */
#ifndef PV_MMU_TLB_H
#define PV_MMU_TLB_H

#include <stdbool.h>
#include <asm/smp.h>

struct mm;

/*
 * What the model keeps in each mm: nothing for loaded_mm (a vCPU's state
 * says what it holds); for the pre-seed model, mm_cpumask: the vCPUs that
 * switched to the mm and have not left it, lazy ones included.
 */
struct mm_tlb {
#ifdef PVMM_MODEL_ACTIVE_MM
	cpumask_t cpumask;
#endif
};

/* One vCPU's TLB state. In the pre-seed model loaded_mm is its active_mm, is_lazy its state. */
struct tlb_state {
	struct mm *loaded_mm;	/* the mm CR3 references, or is being switched to */
	struct mm *xen_mm;	/* the mm whose tables Xen really has loaded */
	bool is_lazy;		/* a kernel thread is borrowing loaded_mm */
} __attribute__((aligned(64)));

/* @cpu starts on init_mm's tables, the ones Xen's domain builder made. */
void tlb_init_cpu(unsigned int cpu);
/* @cpu's TLB state, to read (debug dumps, tests): only its vCPU writes it. */
const struct tlb_state *tlb_state_of(unsigned int cpu);

/* Queue this vCPU's switch to @next's tables (the caller's lazy-MMU section issues it). */
void switch_mm(struct mm *next);
/* A kernel thread runs: keep whatever is loaded. */
void enter_lazy_tlb(void);
/* Switch this vCPU to init_mm's tables now (one hypercall, none if there already). */
void leave_mm(void);
/* The vCPUs to flush for @mm: whose loaded_mm is @mm (pre-seed: @mm's mm_cpumask). */
cpumask_t mm_holders(const struct mm *mm);
/*
 * The vCPUs whose CR3, as Xen holds it, is @mm (xen_mm): a vCPU whose
 * switch away from @mm is still queued is one, no longer a holder.
 */
cpumask_t mm_cr3_holders(const struct mm *mm);
/*
 * Flush [start, end) of @mm on every vCPU that has it loaded (lazy ones
 * included), issuing it with the updates already queued as one multicall;
 * with @freed_tables (the updates unlinked page tables) also on every vCPU
 * whose CR3 is still @mm. Returns the other vCPUs it flushed.
 */
cpumask_t flush_tlb_mm_range(struct mm *mm, unsigned long start, unsigned long end, bool freed_tables);
/* Flush kernel addresses [start, end) on every vCPU: queued, one entry, no IPI. */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
/*
 * exit_mmap's first step: make every vCPU whose loaded_mm or Xen-held CR3
 * is @mm, this one included, leave it for init_mm, and wait for them.
 */
void drop_mm_everywhere(struct mm *mm);

#endif
