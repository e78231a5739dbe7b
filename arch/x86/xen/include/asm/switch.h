/* The architecture half of a context switch. */
#ifndef ASM_SWITCH_H
#define ASM_SWITCH_H

#include <asm/percpu.h>

struct task;

/* What switches cost, per vCPU, by kind, from the hypercall counters. */
struct switch_stats {
	unsigned long mm_switches, mm_switch_hypercalls;	/* to another mm */
	unsigned long same_mm, same_mm_hypercalls;		/* to a task of the loaded mm */
	unsigned long to_kthread, to_kthread_hypercalls;	/* to a kernel thread (lazy) */
};

extern struct switch_stats switch_stats[MAX_VCPUS];

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
struct cpu_regs;
/* Where the frame of @t's entries from user mode lives, at the top of its kernel stack. */
struct cpu_regs *task_user_regs(struct task *t);

#endif
