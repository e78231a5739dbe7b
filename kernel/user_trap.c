/*
 * A user thread's way back to user mode, and what happens when it traps:
 * demand faults resolved, a bad access sent to the thread's own handler
 * or killing its process (SIGSEGV), any other exception killing it too.
 */
#include <asm/signal.h>
#include <pvmm/lib.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <pvmm/vma.h>
#include <asm/console.h>
#include <asm/page.h>

void return_to_user(struct cpu_regs *regs)
{
	struct process *proc = current_task()->proc;

	if (proc && (READ_ONCE(proc->killed) || READ_ONCE(proc->group_exit))) {
		local_irq_enable();
		/* A group exit's own status wins (thread_exit() takes it). */
		thread_exit(KILLED_STATUS(READ_ONCE(proc->kill_signal)));
	}
	preempt_on_upcall_return(true);
}

static void kill_process(const char *why, unsigned long addr, const struct cpu_regs *regs)
{
	struct process *proc = current_task()->proc;

	printk("pid %d (%s) killed: %s at 0x%016lx, rip 0x%lx\n", proc->pid, proc->program, why,
	       addr, regs->rip);
	WRITE_ONCE(proc->kill_signal, SIGSEGV);
	WRITE_ONCE(proc->killed, true);
}

void user_trap(struct cpu_regs *regs, unsigned long fault_addr)
{
	struct task *t = current_task();

	if (regs->vector == 14) {
		bool write = regs->error_code & 2;

		local_irq_enable();
		if (fault_addr < USER_END && !handle_mm_fault(t->mm, fault_addr, write)) {
			local_irq_disable();
			return;
		}
		if (t->fault_entry) {
			/* The thread asked to see its bad faults: enter its handler, on its stack. */
			*regs = (struct cpu_regs){
				.rip = t->fault_entry, .cs = FLAT_USER_CS, .rflags = 0x202,
				.rsp = t->fault_stack, .ss = FLAT_USER_SS,
				.rdi = fault_addr, .rsi = regs->error_code,
			};
			local_irq_disable();
			return;
		}
		kill_process(write ? "page fault (write)" : "page fault (read)", fault_addr, regs);
	} else {
		local_irq_enable();
		kill_process("exception", regs->vector, regs);
	}
	return_to_user(regs);
}
