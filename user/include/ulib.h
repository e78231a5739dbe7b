/* The user programs' library: system calls and printf. */
#ifndef ULIB_H
#define ULIB_H

#include <stdarg.h>
#include <stddef.h>
#include <uapi/pvmm_syscall.h>
#include <xen/errno.h>

static inline long syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 asm("r10") = a4;
	register long r8 asm("r8") = a5;
	long ret;

	asm volatile("syscall"
		     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
		     : "a"(n)
		     : "rcx", "r11", "memory");
	return ret;
}

#define SYSCALL(n, a1, a2, a3) syscall5(n, (long)(a1), (long)(a2), (long)(a3), 0, 0)

static inline long write(const void *buf, unsigned long len) { return SYSCALL(SYS_write, buf, len, 0); }
static inline __attribute__((noreturn)) void exit(int status)
{
	SYSCALL(SYS_exit, status, 0, 0);
	__builtin_unreachable();
}
static inline __attribute__((noreturn)) void exit_group(int status)
{
	SYSCALL(SYS_exit_group, status, 0, 0);
	__builtin_unreachable();
}
static inline long fork(void) { return SYSCALL(SYS_fork, 0, 0, 0); }
static inline long wait(long pid, int *status) { return SYSCALL(SYS_wait, pid, status, 0); }
static inline long exec(const char *name, unsigned long arg) { return SYSCALL(SYS_exec, name, arg, 0); }
static inline void *mmap(unsigned long len, unsigned int prot) { return (void *)SYSCALL(SYS_mmap, len, prot, 0); }
static inline long munmap(void *addr, unsigned long len) { return SYSCALL(SYS_munmap, addr, len, 0); }
static inline long mprotect(void *addr, unsigned long len, unsigned int prot)
{
	return SYSCALL(SYS_mprotect, addr, len, prot);
}
static inline long clone(void (*entry)(unsigned long), void *stack_top, unsigned long arg)
{
	return SYSCALL(SYS_clone, entry, stack_top, arg);
}
static inline long yield(void) { return SYSCALL(SYS_yield, 0, 0, 0); }
static inline long sleep_ns(unsigned long ns) { return SYSCALL(SYS_sleep, ns, 0, 0); }
static inline long getpid(void) { return SYSCALL(SYS_getpid, 0, 0, 0); }
/* Run only on the vCPUs of @mask (vCPUs 0 to 63); sched_setaffinity_cpu() for any one. */
static inline long sched_setaffinity(unsigned long mask)
{
	return SYSCALL(SYS_sched_setaffinity, 0, sizeof(mask), &mask);
}

static inline long sched_setaffinity_cpu(unsigned int cpu)
{
	unsigned long mask[4] = { 0 };	/* up to 256 vCPUs */

	if (cpu >= 256)
		return -XEN_EINVAL;
	mask[cpu / 64] = 1UL << (cpu % 64);
	return SYSCALL(SYS_sched_setaffinity, 0, sizeof(mask), mask);
}
static inline long vcpus(void) { return SYSCALL(SYS_vcpus, 0, 0, 0); }
static inline long pages_in_use(void) { return SYSCALL(SYS_pages_in_use, 0, 0, 0); }
static inline long hypercalls(void) { return SYSCALL(SYS_hypercalls, 0, 0, 0); }
/* From now on a bad fault of this thread enters @entry(addr, error code) on @stack_top. */
static inline long set_fault_handler(void (*entry)(unsigned long, unsigned long), void *stack_top)
{
	return SYSCALL(SYS_set_fault_handler, entry, stack_top, 0);
}
/* Ask the test scenario that started this program (SYS_test_call): its own ops. */
static inline long test_call(unsigned long op, unsigned long arg) { return SYSCALL(SYS_test_call, op, arg, 0); }

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void exit_from_main(int status) __attribute__((noreturn));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void *memset(void *s, int c, size_t n);

#endif
