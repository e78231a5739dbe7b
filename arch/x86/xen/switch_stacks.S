/*
 * struct task *switch_stacks(struct task *prev, struct task *next)
 *
 * Saves the callee-saved registers on prev's stack and its stack pointer
 * in prev->rsp (offset 0), loads next's, and returns on next's stack with
 * %rax = the prev argument of the call that switched to it. A new task's
 * stack (arch_task_init) returns into task_entry instead.
 */
	.text
	.globl switch_stacks
switch_stacks:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	(%rsi), %rsp
	movq	%rdi, %rax
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

	.globl task_entry
task_entry:
	movq	%rax, %rdi
	call	task_start
	ud2
