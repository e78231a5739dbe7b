/*
 * The context-switch hook. Everything a switch asks of Xen is queued in
 * this vCPU's multicall batch and issued as ONE hypercall before the
 * stacks are swapped:
 *  - to a task with an mm: the CR3 switch (switch_mm(), the loaded_mm
 *    model's; on the mm's first load preceded by its read-only remaps and
 *    pins) unless that mm is already loaded, stack_switch (the kernel
 *    stack Xen uses on entry from user mode) unless Xen already has this
 *    task's, and set_segment_base(SEGBASE_FS) (its TLS) unless Xen already
 *    has this task's FS base: programs without TLS all have 0, so a switch
 *    between them queues nothing more;
 *  - to a kernel thread: nothing (lazy TLB: it borrows whatever is loaded).
 * Kernel threads share the kernel's page tables, stack segment and segment
 * bases, and the kernel uses no FPU state (-mgeneral-regs-only), so
 * between two kernel threads, or from a kernel thread back to the process
 * that ran before it, the batch is empty and the switch costs nothing.
 */
#include <hypercall/batch.h>
#include <asm/switch.h>
#include <asm/events.h>
#include <asm/traps.h>
#include <pvmm/sched.h>
#include <pv-mmu/check.h>
#include <pv-mmu/mmu_pv.h>
#include <pv-mmu/seam.h>
#include <pv-mmu/tlb.h>

struct task *switch_stacks(struct task *prev, struct task *next);
void task_entry(void);

/* Tell Xen about @next's address space and kernel stack: one multicall, or none. */
static void load_task_context(struct percpu *p, struct task *next)
{
	lazy_mmu_enter();
	if (next->mm) {
		switch_mm(next->mm);
		if (p->kernel_sp != next->kstack_top) {
			mc_queue(__HYPERVISOR_stack_switch, FLAT_KERNEL_SS, next->kstack_top, 0, 0, 0, 0);
			p->kernel_sp = next->kstack_top;
		}
		if (p->fs_base != next->fs_base) {
			mc_queue(__HYPERVISOR_set_segment_base, SEGBASE_FS, next->fs_base, 0, 0, 0, 0);
			p->fs_base = next->fs_base;
		}
	} else {
		enter_lazy_tlb();
	}
	lazy_mmu_leave();
}

void arch_activate_mm(struct task *t)
{
	unsigned long flags = local_irq_save();

	load_task_context(this_cpu(), t);
	local_irq_restore(flags);
}

/*
 * arch_prctl(ARCH_SET_FS) of the running task: Xen is told at once, with
 * events masked so that no switch away can come between the hypercall and
 * the record the next switch compares with.
 */
void arch_set_fs_base(unsigned long base)
{
	unsigned long flags = local_irq_save();
	long rc = HYPERVISOR_set_segment_base(SEGBASE_FS, base);

	if (rc)
		report_hypercall_failure("set_segment_base", rc, "SEGBASE_FS, %#lx", base);
	current_task()->fs_base = base;
	this_cpu()->fs_base = base;
	local_irq_restore(flags);
}

struct task *arch_switch_to(struct task *prev, struct task *next)
{
	struct percpu *p = this_cpu();

	mmu_hook(MMU_HOOK_SWITCH_BEGIN, NULL, next->mm, CPUMASK_NONE);
	load_task_context(p, next);
	check_loaded("switch");
	if (next->mm)
		check_tables_read_only(next->mm);
	mmu_hook(MMU_HOOK_SWITCH_END, NULL, NULL, CPUMASK_NONE);
	return switch_stacks(prev, next);
}

struct cpu_regs *task_user_regs(struct task *t)
{
	return (struct cpu_regs *)t->kstack_top - 1;
}

void arch_task_init(struct task *t, void *stack_top)
{
	/*
	 * Below the room for the frame of an entry from user mode (where Xen
	 * puts it, task_user_regs()): six callee-saved registers (zero: %rbp
	 * = 0 ends the call-stack walk) and the return address; task_entry's
	 * call then finds %rsp 16-byte aligned, as the ABI wants.
	 */
	unsigned long *sp = (unsigned long *)((char *)stack_top - sizeof(struct cpu_regs) - 24);

	*sp = (unsigned long)task_entry;
	sp -= 6;
	for (int i = 0; i < 6; i++)
		sp[i] = 0;
	t->rsp = (unsigned long)sp;
}
