/*
 * What both TLB models share (docs/tlb.md): each vCPU's state, the CR3
 * switch and the record of what Xen holds, and the flushes. Which vCPUs
 * hold an mm, the switch, lazy mode, leave and teardown's drop are the
 * model's: the loaded_mm one (tlb_loaded_mm.c) or, built with
 * MODEL=active_mm, the one it replaced (tlb_active_mm.c).
 *
 * A PV flusher changes PTEs inside the same multicall as its flush, after
 * reading the holders; so flush_tlb_mm_range() re-reads them once the
 * multicall is done and flushes any vCPU that appeared meanwhile. Both
 * models publish a vCPU as a holder (with a full barrier) before queuing
 * its CR3 switch, so a vCPU the re-read misses loads the tables after the
 * changes, and its CR3 load flushes its TLB.
 */
#include <hypercall/batch.h>
#include <pvmm/atomic.h>
#include <pvmm/bug.h>
#include <pvmm/smp_call.h>
#include "check.h"
#include "mm.h"
#include "mmu_pv.h"
#include "seam.h"
#include "tlb_model.h"

struct tlb_state tlb_states[MAX_VCPUS];

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
	check_cr3_loaded();
}

void load_mm(struct tlb_state *t, struct mm *mm)
{
	atomic_store_release(&t->loaded_mm, mm);
	smp_mb();		/* published before the CR3 write: docs/tlb.md, "Ordering arguments" */
	pv_queue_cr3(mm);
	mc_callback(cr3_issued, mm);
}

void load_init_mm_now(struct tlb_state *t)
{
	struct mm *left = t->loaded_mm;

	load_mm(t, &init_mm);
	/*
	 * Issued now, even inside a caller's lazy-MMU section: a vCPU asked
	 * to leave answers only once Xen has really switched it (a teardown
	 * unpins as soon as every answer is in).
	 */
	mmu_issue();
	check_loaded("leave_mm");
	mmu_hook(MMU_HOOK_LEFT, left, NULL, CPUMASK_NONE);
}

void ask_to_drop(struct mm *mm, cpumask_t cpus, void (*drop)(void *mm))
{
	char mask[CPUMASK_FORMAT_SIZE];
	int rc;

	cpumask_clear(&cpus, smp_processor_id());
	if (cpumask_empty(cpus) || mmu_injected(OPT_INJECT_NO_TEARDOWN_DROP))
		return;
	mmu_hook(MMU_HOOK_TEARDOWN_WAIT, mm, NULL, cpus);
	rc = smp_call_function_many(cpus, drop, mm, true);
	if (rc < 0)
		panic("exit_mmap: could not make vCPUs %s drop mm %p: %d",
		      cpumask_format(mask, sizeof(mask), cpus), mm, rc);
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

cpumask_t mm_cr3_holders(const struct mm *mm)
{
	cpumask_t cpus = CPUMASK_NONE;
	unsigned int cpu;

	for_each_cpu(cpu, cpus_online())
		if (atomic_load_acquire(&tlb_states[cpu].xen_mm) == mm)
			cpumask_set(&cpus, cpu);
	return cpus;
}

/*
 * A vCPU that has published its switch away from @mm (loaded_mm names
 * the next mm) but not issued it is no holder: it never touches @mm's
 * user pages again, and its CR3 load will flush what it cached. Its CR3
 * is @mm until then, though, and a CPU may walk the tables its CR3 points
 * to at any time, speculatively too: a page table must not be freed (and
 * reused) under it. So a flush whose updates unlinked tables also reaches
 * every vCPU whose xen_mm is @mm, in the same TLB_FLUSH_MULTI, and so does
 * the late re-read: a vCPU may load @mm after the first read, fill its TLB
 * before the updates, and be on its way out again (loaded_mm moved on, its
 * CR3 load queued) by the re-read. One whose xen_mm has moved on has had
 * its CR3 switched, and its TLB flushed with it. The model found both
 * windows (model/: inject-table-free-loaded-only; docs/tlb.md).
 */
static cpumask_t flush_targets(struct mm *mm, bool freed_tables)
{
	cpumask_t cpus = mm_holders(mm);

	if (freed_tables && !mmu_injected(OPT_INJECT_TABLE_FREE_LOADED_ONLY))
		cpus = cpumask_or(cpus, mm_cr3_holders(mm));
	return cpus;
}

cpumask_t flush_tlb_mm_range(struct mm *mm, unsigned long start, unsigned long end, bool freed_tables)
{
	unsigned int self = smp_processor_id();
	cpumask_t holders = flush_targets(mm, freed_tables), others, late = CPUMASK_NONE;
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
		late = cpumask_andnot(flush_targets(mm, freed_tables),
				      cpumask_or(holders, cpumask_of(self)));
	if (!cpumask_empty(late)) {
		pv_queue_flush(late, false, start, end);
		mmu_issue();
	}
	return cpumask_or(others, late);
}
