/*
 * What the shared TLB code (tlb.c) and the model it is built with
 * (tlb_loaded_mm.c, or tlb_active_mm.c with MODEL=active_mm) use of each
 * other. Private to xen/pv-mmu/.
 */
#ifndef PV_MMU_TLB_MODEL_H
#define PV_MMU_TLB_MODEL_H

#include "tlb.h"

extern struct tlb_state tlb_states[MAX_VCPUS];

static inline struct tlb_state *this_tlb(void)
{
	return &tlb_states[smp_processor_id()];
}

/* Publish loaded_mm = @mm, then queue the CR3 switch that makes it true (xen_mm follows). */
void load_mm(struct tlb_state *t, struct mm *mm);
/* Switch this vCPU to init_mm's tables and issue it now; events masked by the caller. */
void load_init_mm_now(struct tlb_state *t);
/*
 * Teardown: run @drop(@mm) on the vCPUs of @cpus but this one, and wait
 * for every answer (none under inject=no-teardown-drop).
 */
void ask_to_drop(struct mm *mm, cpumask_t cpus, void (*drop)(void *mm));

#endif
