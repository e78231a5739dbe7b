/*
 * The system-call interface between pvmm and its user programs: the
 * number goes in %rax, arguments in %rdi, %rsi, %rdx, %r10, %r8, the
 * result comes back in %rax (negative: a Xen errno, as <xen/errno.h>).
 *
 * Besides the calls a program needs to run, a small introspection set
 * serves the tests: SYS_vcpus, SYS_pages_in_use and SYS_hypercalls read
 * the kernel's own counts, and SYS_test_call reaches the test scenario
 * that started the program (its user_call, <pvmm/test.h>), which answers
 * with what it measured or holds the caller until a hand-off.
 */
#ifndef UAPI_PVMM_SYSCALL_H
#define UAPI_PVMM_SYSCALL_H

enum pvmm_syscall {
	SYS_write,		/* (buf, len) -> len, to the console */
	SYS_exit,		/* (status): this thread; the last one ends the process */
	SYS_exit_group,		/* (status): the whole process (returning from main does this) */
	SYS_fork,		/* () -> child pid, 0 in the child */
	SYS_wait,		/* (pid or -1, int *status) -> pid */
	SYS_exec,		/* (name, arg) -> only on failure */
	SYS_mmap,		/* (len, prot) -> address */
	SYS_munmap,		/* (addr, len) */
	SYS_mprotect,		/* (addr, len, prot) */
	SYS_clone,		/* (entry, stack top, arg) -> thread id */
	SYS_yield,
	SYS_sleep,		/* (ns) */
	SYS_getpid,
	SYS_sched_setaffinity,	/* (0 = the caller, bytes, vCPU bitmap of 64-bit words), as Linux */
	SYS_vcpus,		/* () -> how many vCPUs are online */
	SYS_pages_in_use,	/* () -> pages the allocator has handed out */
	SYS_hypercalls,		/* () -> hypercalls made so far, all vCPUs */
	SYS_set_fault_handler,	/* (entry, stack top): this thread's bad faults go there */
	SYS_test_call,		/* (op, arg) -> the running test's answer; -ENOSYS if it has none */
	NR_SYSCALLS
};

#define UPROT_READ	1
#define UPROT_WRITE	2

/* Exit status of a process killed for a bad memory access. */
#define EXIT_KILLED	139

#endif
