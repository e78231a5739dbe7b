/*
 * The loaded_mm model in a PV guest (docs/tlb.md), the default one.
 *
 * Each vCPU knows one fact: loaded_mm, the mm whose tables its CR3 (Xen's
 * guest_table and guest_table_user) references; the TLB is always up to
 * date for it. is_lazy only says that a kernel thread merely borrows it.
 * xen_mm is what Xen has really been told: it trails loaded_mm while a
 * switch is queued, and teardown looks at both (Linux 9f79991d4186).
 *
 * Ordering. switch_mm() publishes loaded_mm = next, then a full barrier,
 * BEFORE its CR3 switch is queued. A flusher changes PTEs, then reads
 * loaded_mm. Either the flusher sees us (and flushes a vCPU that may not
 * have switched yet: harmless), or our publication comes after its read,
 * so our CR3 load, which flushes the TLB, comes after its PTE change.
 */
#include <pvmm/atomic.h>
#include <pvmm/bug.h>
#include "mm.h"
#include "seam.h"
#include "tlb_model.h"

void switch_mm(struct mm *next)
{
	struct tlb_state *t = this_tlb();

	t->is_lazy = false;
	if (t->loaded_mm == next)
		return;		/* same mm (maybe after a lazy spell): nothing to do */
	if (!next->pinned)
		mm_pin(next);	/* first load: read-only and pinned, in the same batch */
	mmu_hook(MMU_HOOK_SWITCH_PUBLISH, t->loaded_mm, next, CPUMASK_NONE);
	load_mm(t, next);
	mmu_hook(MMU_HOOK_SWITCH_QUEUED, t->xen_mm, next, CPUMASK_NONE);
}

void enter_lazy_tlb(void)
{
	this_tlb()->is_lazy = true;
}

void leave_mm(void)
{
	struct tlb_state *t = this_tlb();
	unsigned long flags;

	if (t->loaded_mm == &init_mm && t->xen_mm == &init_mm)
		return;
	flags = local_irq_save();
	load_init_mm_now(t);
	local_irq_restore(flags);
}

cpumask_t mm_holders(const struct mm *mm)
{
	cpumask_t mask = CPUMASK_NONE;
	unsigned int cpu;

	for_each_cpu(cpu, cpus_online())
		if (atomic_load_acquire(&tlb_states[cpu].loaded_mm) == mm)
			cpumask_set(&mask, cpu);
	return mask;
}

/*
 * On a vCPU asked to drop @mm: it may have switched to something else
 * since it was chosen (Linux 7899891c7d16); then there is nothing to do.
 * Otherwise it is lazy (no task of a dying mm runs), and leaves.
 *
 * A request is taken with events unmasked or inside a wait, never inside
 * the lazy-MMU section of a switch whose CR3 load is still queued: so Xen
 * holds loaded_mm here, and loaded_mm alone says whether to leave (the
 * model-checked argument: docs/tlb.md, "The protocol model-checked").
 */
static void drop_mm_if_loaded(void *mm)
{
	struct tlb_state *t = this_tlb();

	BUG_ON(READ_ONCE(t->xen_mm) != READ_ONCE(t->loaded_mm));
	if (READ_ONCE(t->loaded_mm) == mm || mmu_injected(OPT_INJECT_NO_DROP_RECHECK))
		leave_mm();
}

void drop_mm_everywhere(struct mm *mm)
{
	bool trust_xen_mm = !mmu_injected(OPT_INJECT_IGNORE_XEN_MM);
	unsigned int cpu;
	cpumask_t holders = CPUMASK_NONE;

	for_each_cpu(cpu, cpus_online())
		if (atomic_load_acquire(&tlb_states[cpu].loaded_mm) == mm ||
		    (trust_xen_mm && atomic_load_acquire(&tlb_states[cpu].xen_mm) == mm))
			cpumask_set(&holders, cpu);
	if (cpumask_test(holders, smp_processor_id()))
		drop_mm_if_loaded(mm);
	ask_to_drop(mm, holders, drop_mm_if_loaded);
}
