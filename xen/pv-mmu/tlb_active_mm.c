/*
 * The pre-seed model (make MODEL=active_mm): lazy TLB state kept the way
 * Linux's Xen PV path kept it before "x86/mm: Rework lazy TLB to track the
 * actual loaded mm" (docs/tlb.md, "The pre-seed model"). It exists to be
 * measured against the loaded_mm model, and passes the same suite.
 *
 * - Each vCPU has an active_mm (loaded_mm in struct tlb_state) and a
 *   state, OK or LAZY (is_lazy).
 * - Each mm has mm_cpumask: switch_mm() sets this vCPU's bit in the next
 *   mm's mask before queuing the CR3 switch, and clears it in the previous
 *   mm's after; leave_mm() clears it. A lazy vCPU keeps its bit.
 * - Remote flushes go to mm_cpumask as one MULTI op, lazy vCPUs included
 *   (Xen flushes them; no IPI sends them away).
 * - exit_mmap drops references as xen_drop_mm_ref() did: this vCPU leaves
 *   if its active_mm is the mm; then one cross-vCPU call to every vCPU in
 *   mm_cpumask and every vCPU whose CR3 as Xen holds it (Linux's
 *   xen_current_cr3) still is the mm; each leaves if it is lazy in the mm,
 *   and reloads init_mm's tables if Xen still has the mm's.
 *
 * One difference from Linux: its active_mm held a reference (mm_count), so
 * a vCPU that left an mm could go on naming it ("lazy with init_mm", the
 * third state of the seed's message). pvmm's mm has no such reference and
 * exit_mmap frees it, so leave_mm() makes init_mm the active_mm, and that
 * state does not arise. It changed no hypercall or IPI: the vCPU's CR3 and
 * its bit in mm_cpumask are the same either way.
 *
 * Ordering: a flusher changes PTEs, then reads mm_cpumask; switch_mm() sets
 * the bit (a locked operation: a full barrier) before it queues the CR3
 * switch. Clearing the previous mm's bit after queuing (not issuing) the
 * switch is what old Linux did: a flusher that misses this vCPU leaves its
 * TLB stale only until the batch is issued, before this vCPU reaches user
 * mode; a teardown that misses it still finds it by the CR3 Xen holds.
 */
#include <pvmm/atomic.h>
#include "mm.h"
#include "seam.h"
#include "tlb_model.h"

static void cpumask_of_mm_clear(struct mm *mm, unsigned int cpu)
{
	if (mm != &init_mm)
		cpumask_clear_atomic(&mm->tlb.cpumask, cpu);
}

void switch_mm(struct mm *next)
{
	struct tlb_state *t = this_tlb();
	struct mm *prev = t->loaded_mm;
	unsigned int cpu = smp_processor_id();

	t->is_lazy = false;	/* TLBSTATE_OK */
	if (prev == next)
		return;		/* back from a lazy spell: the bit stayed set */
	cpumask_set_atomic(&next->tlb.cpumask, cpu);
	if (!next->pinned)
		mm_pin(next);
	mmu_hook(MMU_HOOK_SWITCH_PUBLISH, prev, next, CPUMASK_NONE);
	load_mm(t, next);
	mmu_hook(MMU_HOOK_SWITCH_QUEUED, t->xen_mm, next, CPUMASK_NONE);
	cpumask_of_mm_clear(prev, cpu);
}

void enter_lazy_tlb(void)
{
	this_tlb()->is_lazy = true;	/* TLBSTATE_LAZY: the bit stays set */
}

void leave_mm(void)
{
	struct tlb_state *t = this_tlb();
	unsigned long flags;

	if (t->loaded_mm == &init_mm && t->xen_mm == &init_mm)
		return;
	flags = local_irq_save();
	cpumask_of_mm_clear(t->loaded_mm, smp_processor_id());
	load_init_mm_now(t);
	local_irq_restore(flags);
}

cpumask_t mm_holders(const struct mm *mm)
{
	return cpumask_and(cpumask_load(&mm->tlb.cpumask), cpus_online());
}

/* Linux's drop_other_mm_ref(). @mm is compared, never read: it may be freed by the time this runs. */
static void drop_other_mm_ref(void *mm)
{
	struct tlb_state *t = this_tlb();

	if ((READ_ONCE(t->loaded_mm) == mm && t->is_lazy) ||
	    mmu_injected(OPT_INJECT_NO_DROP_RECHECK))
		leave_mm();
	/* A CR3 switch away from @mm queued but not issued yet: make Xen leave it now. */
	if (READ_ONCE(t->xen_mm) == mm)
		leave_mm();
}

void drop_mm_everywhere(struct mm *mm)
{
	struct tlb_state *self = this_tlb();
	cpumask_t mask = mm_holders(mm);

	if (self->loaded_mm == mm || self->xen_mm == mm)
		leave_mm();
	/* The "official" set, then any vCPU whose CR3 as Xen holds it still is @mm. */
	if (!mmu_injected(OPT_INJECT_IGNORE_XEN_MM))
		mask = cpumask_or(mask, mm_cr3_holders(mm));
	ask_to_drop(mm, mask, drop_other_mm_ref);
}
