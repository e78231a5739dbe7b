/*
 * The system-call interface between pvmm and its user programs: Linux's
 * x86-64 one. The number goes in %rax, arguments in %rdi, %rsi, %rdx,
 * %r10, %r8, %r9, the result comes back in %rax (negative: an errno).
 * Numbers, flags and error values are those of Linux's UAPI headers
 * (<asm/unistd_64.h>, <asm-generic/errno.h>, ...); pvmm answers the calls
 * that docs/syscalls.md lists, each with Linux's semantics, and -ENOSYS to
 * every other, as Linux does to a number it does not know.
 *
 * pvmm's own calls sit from PVMM_SYS_BASE up, where Linux answers -ENOSYS:
 * an introspection set that serves the tests (the kernel's own counts),
 * a per-thread fault hook, and PVMM_SYS_test_call, which reaches the test
 * scenario that started the program (its user_call, <pvmm/test.h>) and
 * answers with what it measured or holds the caller until a hand-off.
 */
#ifndef UAPI_PVMM_SYSCALL_H
#define UAPI_PVMM_SYSCALL_H

#include <asm/unistd_64.h>
#include <asm-generic/errno.h>

#define PVMM_SYS_BASE	1024

enum pvmm_syscall {
	PVMM_SYS_vcpus = PVMM_SYS_BASE,	/* () -> how many vCPUs are online */
	PVMM_SYS_pages_in_use,		/* () -> pages the allocator has handed out */
	PVMM_SYS_hypercalls,		/* () -> hypercalls made so far, all vCPUs */
	PVMM_SYS_set_fault_handler,	/* (entry, stack top): this thread's bad faults go there */
	PVMM_SYS_test_call,		/* (op, arg) -> the running test's answer; -ENOSYS if it has none */
	PVMM_SYS_ipis_sent,		/* () -> IPIs sent so far, all vCPUs, one per target vCPU */
	PVMM_SYS_fault_around,		/* (pages: 1, 2, 4, 8 or 16) -> 0: the fault-around of mmaps from now on */
	PVMM_SYS_pages_allocated,	/* () -> pages the allocator has handed out so far, freed ones included */
	PVMM_SYS_END
};

/* Exit status the kernel reports (process_wait_spawned) for a process killed by a bad access. */
#define EXIT_KILLED	139

#endif
