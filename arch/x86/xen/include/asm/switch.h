/* The architecture half of a context switch. */
#ifndef ASM_SWITCH_H
#define ASM_SWITCH_H

#include <asm/percpu.h>

struct task;

/*
 * Switch from @prev to @next: everything Xen must be told goes out first as
 * one multicall, then the stacks are swapped. Returns, in the task that is
 * resumed, the task it was switched to from.
 */
struct task *arch_switch_to(struct task *prev, struct task *next);
/* Lay out a new task's stack so its first switch enters task_start(). */
void arch_task_init(struct task *t, void *stack_top);
/* Load @t's mm (just given to it, as by exec) on this vCPU, with its kernel stack. */
void arch_activate_mm(struct task *t);
/* Make @base the running task's user FS base (its TLS), now and at every switch to it. */
void arch_set_fs_base(unsigned long base);
struct cpu_regs;
/* Where the frame of @t's entries from user mode lives, at the top of its kernel stack. */
struct cpu_regs *task_user_regs(struct task *t);

#endif
