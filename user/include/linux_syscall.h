/*
 * A Linux x86-64 system call, as the kernel's ABI makes it: the number in
 * %rax, the arguments in %rdi, %rsi, %rdx, %r10, %r8, %r9, the result (or
 * a negative errno) in %rax. For the user library and for any program that
 * includes <bench_markers.h>, with a libc or without.
 */
#ifndef LINUX_SYSCALL_H
#define LINUX_SYSCALL_H

static inline long syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 asm("r10") = a4;
	register long r8 asm("r8") = a5;
	register long r9 asm("r9") = a6;
	long ret;

	asm volatile("syscall"
		     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8), "+r"(r9)
		     : "a"(n)
		     : "rcx", "r11", "memory");
	return ret;
}

#endif
