/* The architecture half of a context switch. */
#ifndef ASM_SWITCH_H
#define ASM_SWITCH_H

struct task;

/*
 * Switch from @prev to @next: everything Xen must be told goes out first as
 * one multicall, then the stacks are swapped. Returns, in the task that is
 * resumed, the task it was switched to from.
 */
struct task *arch_switch_to(struct task *prev, struct task *next);
/* Lay out a new task's stack so its first switch enters task_start(). */
void arch_task_init(struct task *t, void *stack_top);

#endif
