/*
 * The loaded_mm model in a PV guest (docs/tlb.md).
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
 * Because a PV flusher changes PTEs inside the same multicall as its flush,
 * after reading the holders, flush_tlb_mm_range() re-reads them once the
 * multicall is done and flushes any vCPU that appeared meanwhile.
 */
#include <hypercall/batch.h>
#include <pvmm/atomic.h>
#include <pvmm/bug.h>
#include <pvmm/smp_call.h>
#include "check.h"
#include "mm.h"
#include "mmu_pv.h"
#include "seam.h"
#include "tlb.h"

static struct tlb_state tlb_states[MAX_VCPUS];

static struct tlb_state *this_tlb(void)
{
	return &tlb_states[smp_processor_id()];
}

void tlb_init_cpu(unsigned int cpu)
{
	tlb_states[cpu].loaded_mm = tlb_states[cpu].xen_mm = &init_mm;
}

const struct tlb_state *tlb_state_of(unsigned int cpu)
{
	return &tlb_states[cpu];
}

/*
 * Run once the batch holding this vCPU's CR3 switch to @mm has been
 * issued: Xen holds @mm now. The one place xen_mm is written, so it never
 * runs ahead of Xen, however the batch nests or whoever issues it.
 */
static void cr3_issued(void *mm)
{
	atomic_store_release(&this_tlb()->xen_mm, (struct mm *)mm);
}

/* Publish loaded_mm = @mm, then queue the CR3 switch that makes it true. */
static void load_mm(struct tlb_state *t, struct mm *mm)
{
	atomic_store_release(&t->loaded_mm, mm);
	smp_mb();		/* published before the CR3 write: see the top of this file */
	pv_queue_cr3(mm);
	mc_callback(cr3_issued, mm);
}

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
	struct mm *left = t->loaded_mm;
	unsigned long flags;

	if (left == &init_mm && t->xen_mm == &init_mm)
		return;
	flags = local_irq_save();
	load_mm(t, &init_mm);
	/*
	 * Issued now, even inside a caller's lazy-MMU section: a vCPU asked
	 * to leave answers only once Xen has really switched it (a teardown
	 * unpins as soon as every answer is in).
	 */
	mmu_issue();
	check_loaded("leave_mm");
	mmu_hook(MMU_HOOK_LEFT, left, NULL, CPUMASK_NONE);
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
 */
static void drop_mm_if_loaded(void *mm)
{
	struct tlb_state *t = this_tlb();

	if (READ_ONCE(t->loaded_mm) == mm || READ_ONCE(t->xen_mm) == mm ||
	    mmu_injected(OPT_INJECT_NO_DROP_RECHECK))
		leave_mm();
}

void drop_mm_everywhere(struct mm *mm)
{
	bool trust_xen_mm = !mmu_injected(OPT_INJECT_IGNORE_XEN_MM);
	unsigned int self = smp_processor_id(), cpu;
	cpumask_t holders = CPUMASK_NONE;
	char mask[CPUMASK_FORMAT_SIZE];
	int rc;

	for_each_cpu(cpu, cpus_online())
		if (atomic_load_acquire(&tlb_states[cpu].loaded_mm) == mm ||
		    (trust_xen_mm && atomic_load_acquire(&tlb_states[cpu].xen_mm) == mm))
			cpumask_set(&holders, cpu);
	if (cpumask_test(holders, self))
		drop_mm_if_loaded(mm);
	cpumask_clear(&holders, self);
	if (cpumask_empty(holders) || mmu_injected(OPT_INJECT_NO_TEARDOWN_DROP))
		return;
	mmu_hook(MMU_HOOK_TEARDOWN_WAIT, mm, NULL, holders);
	rc = smp_call_function_many(holders, drop_mm_if_loaded, mm, true);
	if (rc < 0)
		panic("exit_mmap: could not make vCPUs %s drop mm %p: %d",
		      cpumask_format(mask, sizeof(mask), holders), mm, rc);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	if (mmu_injected(OPT_INJECT_NO_REMOTE_FLUSH))
		pv_queue_flush(CPUMASK_NONE, true, start, end);	/* this vCPU only */
	else
		pv_queue_flush_all(start, end);
}

/*
 * lazy=leave: on a lazy vCPU asked to drop @mm. It compares @mm, never
 * reads it: the mm may be gone by the time the call runs.
 */
static void leave_if_lazy(void *mm)
{
	struct tlb_state *t = this_tlb();

	if (t->is_lazy && READ_ONCE(t->loaded_mm) == mm)
		leave_mm();
}

/*
 * Ask the lazy vCPUs among @holders (besides this one) to leave @mm, and
 * do not wait: the caller holds mm->lock with events masked, and a vCPU
 * that was lazy when read may since have switched back to a thread of @mm
 * and be spinning on that lock in a fault, unable to answer. They are
 * flushed with the others all the same; once they have left, later
 * flushes leave them out.
 */
static void ask_lazy_to_leave(struct mm *mm, cpumask_t holders)
{
	cpumask_t lazy = CPUMASK_NONE;
	unsigned int cpu;

	for_each_cpu(cpu, cpumask_andnot(holders, cpumask_of(smp_processor_id())))
		if (READ_ONCE(tlb_states[cpu].is_lazy))
			cpumask_set(&lazy, cpu);
	if (!cpumask_empty(lazy))
		smp_call_function_many_nowait(lazy, leave_if_lazy, mm);
}

cpumask_t flush_tlb_mm_range(struct mm *mm, unsigned long start, unsigned long end)
{
	unsigned int self = smp_processor_id();
	cpumask_t holders = mm_holders(mm), others, late = CPUMASK_NONE;
	bool remote = !mmu_injected(OPT_INJECT_NO_REMOTE_FLUSH);

	if (!remote)
		holders = cpumask_and(holders, cpumask_of(self));
	if (mmu_lazy_leave())
		ask_lazy_to_leave(mm, holders);

	others = cpumask_andnot(holders, cpumask_of(self));
	pv_queue_flush(others, cpumask_test(holders, self), start, end);
	mmu_hook(MMU_HOOK_RANGE_HOLDERS, mm, NULL, others);
	/*
	 * Issue the updates and the flush together, then catch late arrivals:
	 * a vCPU that loaded the mm after the holders were read may have
	 * cached a translation the updates have just changed.
	 */
	mmu_issue();
	if (remote && !mmu_injected(OPT_INJECT_NO_LATE_FLUSH))
		late = cpumask_andnot(mm_holders(mm), cpumask_or(holders, cpumask_of(self)));
	if (!cpumask_empty(late)) {
		pv_queue_flush(late, false, start, end);
		mmu_issue();
	}
	return cpumask_or(others, late);
}
