/*
 * long thread_start_tid(void (*fn)(unsigned long), void *stack_top,
 *			 unsigned long arg, unsigned int *tid)
 *
 * clone(2) for a thread: the new thread starts where the call returns, on
 * its own stack, with 0 in %rax. So fn and arg go onto that stack first,
 * and the child takes them from there: after the system call it shares no
 * register state with the parent that the compiler could rely on. With a
 * @tid word, the kernel writes the thread's tid there before it runs and
 * clears it (waking futex waiters) when it exits: thread_join() waits on it.
 */
#include <asm/unistd_64.h>
#include <linux/sched.h>

#define THREAD_FLAGS	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)

	.text
	.globl thread_start_tid
thread_start_tid:
	andq	$-16, %rsi
	subq	$16, %rsi
	movq	%rdi, 0(%rsi)		/* fn */
	movq	%rdx, 8(%rsi)		/* arg */
	movl	$THREAD_FLAGS, %edi
	movq	%rcx, %rdx		/* parent tid */
	movq	%rcx, %r10		/* child tid */
	testq	%rcx, %rcx
	jz	1f
	orl	$(CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID), %edi
1:	xorl	%r8d, %r8d		/* no TLS */
	movl	$__NR_clone, %eax
	syscall
	testq	%rax, %rax
	jz	2f
	ret				/* the parent: the tid, or an error */
2:	popq	%rax			/* the child, on its new stack */
	popq	%rdi
	xorl	%ebp, %ebp
	call	*%rax
	xorl	%edi, %edi
	movl	$__NR_exit, %eax
	syscall
	ud2
