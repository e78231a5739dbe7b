/*
 * The context-switch hook. Everything a switch asks of Xen is queued in
 * this vCPU's multicall batch and issued as ONE hypercall before the
 * stacks are swapped. Kernel threads share the kernel's page tables, stack
 * segment and segment bases and use no FPU state (the kernel is built with
 * -mgeneral-regs-only), so between two of them there is nothing to tell
 * Xen and the switch costs no hypercall: the batch is empty and mc_flush()
 * issues nothing.
 */
#include <hypercall/batch.h>
#include <asm/switch.h>
#include <pvmm/sched.h>

struct task *switch_stacks(struct task *prev, struct task *next);
void task_entry(void);

struct task *arch_switch_to(struct task *prev, struct task *next)
{
	mc_flush();
	return switch_stacks(prev, next);
}

void arch_task_init(struct task *t, void *stack_top)
{
	/*
	 * Six callee-saved registers (zero: %rbp = 0 ends the call-stack walk)
	 * and the return address; task_entry's call then finds %rsp 16-byte
	 * aligned, as the ABI wants.
	 */
	unsigned long *sp = (unsigned long *)((char *)stack_top - 24);

	*sp = (unsigned long)task_entry;
	sp -= 6;
	for (int i = 0; i < 6; i++)
		sp[i] = 0;
	t->rsp = (unsigned long)sp;
}
