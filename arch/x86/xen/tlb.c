/*
 * The loaded_mm model in a PV guest.
 *
 * Each vCPU knows one fact: loaded_mm, the mm whose tables its CR3 (Xen's
 * guest_table and guest_table_user) references; the TLB is always up to
 * date for it. is_lazy only says that a kernel thread merely borrows it.
 * xen_mm is what Xen has really been told: it trails loaded_mm while a
 * switch is being issued, and teardown looks at both (Linux 9f79991d4186).
 *
 * Ordering. switch_mm() publishes loaded_mm = next, then a full barrier,
 * BEFORE the NEW_BASEPTR hypercall. A flusher changes PTEs, then reads
 * loaded_mm. Either the flusher sees us (and flushes a vCPU that may not
 * have switched yet: harmless), or our publication comes after its read,
 * so our CR3 load, which flushes the TLB, comes after its PTE change.
 * Because a PV flusher changes PTEs inside the same multicall as its flush,
 * after reading the holders, flush_tlb_mm_range()'s caller re-reads them
 * once the multicall is done and flushes any vCPU that appeared meanwhile.
 */
#include <hypercall/batch.h>
#include <asm/tlb.h>
#include <asm/page.h>
#include <asm/tlb_check.h>
#include <pvmm/atomic.h>
#include <pvmm/smp_call.h>
#include <pvmm/test.h>
#include <pv-mmu/mm.h>
#include <pv-mmu/lazy_mmu.h>

static void queue_cr3(struct mm *mm)
{
	struct mmuext_op ops[2] = {
		{ .cmd = MMUEXT_NEW_BASEPTR, .arg1.mfn = virt_to_mfn(mm->pgd) },
		/* 0 clears it: init_mm has no user half. */
		{ .cmd = MMUEXT_NEW_USER_BASEPTR, .arg1.mfn = mm->user_pgd ? virt_to_mfn(mm->user_pgd) : 0 },
	};

	mmu_queue_mmuext(ops, 2);
}

void switch_mm(struct mm *next)
{
	struct percpu *p = this_cpu();

	p->is_lazy = false;
	if (p->loaded_mm == next)
		return;		/* same mm (maybe after a lazy spell): nothing to do */
	if (!next->pinned)
		mm_pin(next);	/* first load: read-only and pinned, in the same batch */
	if (p->loaded_mm != &init_mm)
		tlb_switch_delay(false);
	atomic_store_release(&p->loaded_mm, next);
	smp_mb();		/* published before the CR3 write: see the top of this file */
	queue_cr3(next);
	if (p->xen_mm != &init_mm)
		tlb_switch_delay(true);	/* the CR3 switch is queued, not yet issued */
}

void enter_lazy_tlb(void)
{
	this_cpu()->is_lazy = true;
}

void leave_mm(void)
{
	struct percpu *p = this_cpu();
	unsigned long flags;

	if (p->loaded_mm == &init_mm && p->xen_mm == &init_mm)
		return;
	flags = local_irq_save();
	atomic_store_release(&p->loaded_mm, &init_mm);
	smp_mb();
	lazy_mmu_enter();
	queue_cr3(&init_mm);
	lazy_mmu_leave();
	atomic_store_release(&p->xen_mm, &init_mm);
	p->leave_mms++;
	check_loaded("leave_mm");
	local_irq_restore(flags);
}

cpumask_t mm_holders(const struct mm *mm)
{
	cpumask_t mask = 0;
	unsigned int cpu;

	for_each_cpu(cpu, __atomic_load_n(&cpu_online_mask, __ATOMIC_ACQUIRE))
		if (atomic_load_acquire(&percpu_areas[cpu].loaded_mm) == mm)
			mask |= cpumask_of(cpu);
	return mask;
}

/*
 * On a vCPU asked to drop @mm: it may have switched to something else
 * since it was chosen (Linux 7899891c7d16); then there is nothing to do.
 * Otherwise it is lazy (no task of a dying mm runs), and leaves.
 */
static void drop_mm_if_loaded(void *mm)
{
	struct percpu *p = this_cpu();

	if (READ_ONCE(p->loaded_mm) == mm || READ_ONCE(p->xen_mm) == mm)
		leave_mm();
}

/* The request as a remote vCPU receives it: counted when it really leaves. */
static void remote_drop(void *mm)
{
	struct percpu *p = this_cpu();
	unsigned long before = p->leave_mms;

	drop_mm_if_loaded(mm);
	p->remote_drops_left += p->leave_mms - before;
}

void tlb_drop_mm(struct mm *mm)
{
	unsigned int self = smp_processor_id(), cpu;
	cpumask_t holders = 0;
	int rc;

	for_each_cpu(cpu, __atomic_load_n(&cpu_online_mask, __ATOMIC_ACQUIRE))
		if (atomic_load_acquire(&percpu_areas[cpu].loaded_mm) == mm ||
		    (atomic_load_acquire(&percpu_areas[cpu].xen_mm) == mm &&
		     tlb_inject != INJECT_IGNORE_XEN_MM))
			holders |= cpumask_of(cpu);
	if (holders & cpumask_of(self))
		drop_mm_if_loaded(mm);
	holders &= ~cpumask_of(self);
	if (!holders || tlb_inject == INJECT_NO_TEARDOWN_DROP)
		return;
	rc = smp_call_function_many(holders, remote_drop, mm, true);
	if (rc < 0)
		test_fail("exit_mmap: could not make vCPUs 0x%llx drop mm %p: %d",
			  (unsigned long long)holders, mm, rc);
}

static void queue_flush(struct mm *mm, cpumask_t remote, unsigned long start, unsigned long end,
			bool local)
{
	unsigned long pages = (end - start) >> PAGE_SHIFT;
	bool full = pages > FLUSH_CEILING_PAGES;
	struct mmuext_op ops[2 * FLUSH_CEILING_PAGES + 2];
	xen_ulong_t *vcpumask = NULL;
	unsigned int n = 0;

	if (remote) {
		vcpumask = mc_arg_space(sizeof(*vcpumask));
		*vcpumask = remote;
	}
	if (local && full)
		ops[n++] = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_LOCAL };
	if (remote && full) {
		ops[n] = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_MULTI };
		set_xen_guest_handle(ops[n].arg2.vcpumask, vcpumask);
		n++;
	}
	for (unsigned long va = start; !full && va < end; va += PAGE_SIZE) {
		if (local)
			ops[n++] = (struct mmuext_op){ .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = va };
		if (remote) {
			ops[n] = (struct mmuext_op){ .cmd = MMUEXT_INVLPG_MULTI, .arg1.linear_addr = va };
			set_xen_guest_handle(ops[n].arg2.vcpumask, vcpumask);
			n++;
		}
	}
	if (n)
		mmu_queue_mmuext(ops, n);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	struct mmuext_op ops[FLUSH_CEILING_PAGES];
	unsigned long pages = (end - start) >> PAGE_SHIFT;
	unsigned int n = 0;
	/* inject=no-remote-flush: only this vCPU, to show the test catches it. */
	bool local = tlb_inject == INJECT_NO_REMOTE_FLUSH;

	if (pages > FLUSH_CEILING_PAGES)
		ops[n++] = (struct mmuext_op){ .cmd = local ? MMUEXT_TLB_FLUSH_LOCAL : MMUEXT_TLB_FLUSH_ALL };
	for (unsigned long va = start; pages <= FLUSH_CEILING_PAGES && va < end; va += PAGE_SIZE)
		ops[n++] = (struct mmuext_op){ .cmd = local ? MMUEXT_INVLPG_LOCAL : MMUEXT_INVLPG_ALL,
					       .arg1.linear_addr = va };
	mmu_queue_mmuext(ops, n);
}

/* lazy=leave: on a lazy vCPU asked to drop @mm rather than be flushed. */
static void leave_if_lazy(void *mm)
{
	struct percpu *p = this_cpu();

	if (p->is_lazy && READ_ONCE(p->loaded_mm) == mm)
		leave_mm();
}

/* The lazy vCPUs among @holders (besides this one), sent to init_mm: those that left. */
static cpumask_t send_lazy_to_init_mm(struct mm *mm, cpumask_t holders)
{
	cpumask_t lazy = 0;
	unsigned int cpu;

	for_each_cpu(cpu, holders & ~cpumask_of(smp_processor_id()))
		if (READ_ONCE(percpu_areas[cpu].is_lazy))
			lazy |= cpumask_of(cpu);
	if (lazy)
		smp_call_function_many(lazy, leave_if_lazy, mm, true);
	return lazy & ~mm_holders(mm);
}

cpumask_t flush_tlb_mm_range(struct mm *mm, unsigned long start, unsigned long end)
{
	cpumask_t self = cpumask_of(smp_processor_id());
	cpumask_t holders = mm_holders(mm), late;

	if (tlb_inject == INJECT_NO_REMOTE_FLUSH)
		holders &= self;
	if (tlb_lazy_leave)
		holders &= ~send_lazy_to_init_mm(mm, holders);

	queue_flush(mm, holders & ~self, start, end, holders & self);
	/* Issue the updates and the flush together, then catch late arrivals. */
	mmu_issue();
	late = tlb_inject == INJECT_NO_REMOTE_FLUSH ? 0 : mm_holders(mm) & ~holders & ~self;
	if (late) {
		queue_flush(mm, late, start, end, false);
		mmu_issue();
	}
	return (holders | late) & ~self;
}
