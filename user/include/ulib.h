/*
 * The user programs' library: Linux's x86-64 system calls (the same
 * numbers, arguments and errors on pvmm as on Linux), pvmm's own calls,
 * and the helpers the programs share. No libc: numbers, flags and error
 * values come from Linux's UAPI headers.
 */
#ifndef ULIB_H
#define ULIB_H

#include <stdarg.h>
#include <stddef.h>
#include <uapi/pvmm_syscall.h>
#include <asm-generic/fcntl.h>
#include <linux/fcntl.h>
#include <linux/futex.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/time.h>
#include <asm/signal.h>
#include <linux_syscall.h>

#define SYSCALL(n, a1, a2, a3) syscall6(n, (long)(a1), (long)(a2), (long)(a3), 0, 0, 0)

/* Linux's calls. */
static inline long read(int fd, void *buf, unsigned long len) { return SYSCALL(__NR_read, fd, buf, len); }
static inline long write(int fd, const void *buf, unsigned long len) { return SYSCALL(__NR_write, fd, buf, len); }
static inline long close(int fd) { return SYSCALL(__NR_close, fd, 0, 0); }
static inline long pipe2(int fds[2], int flags) { return SYSCALL(__NR_pipe2, fds, flags, 0); }
static inline long open(const char *path, int flags) { return syscall6(__NR_openat, AT_FDCWD, (long)path, flags, 0, 0, 0); }
static inline long dup2(int oldfd, int newfd) { return SYSCALL(__NR_dup2, oldfd, newfd, 0); }
static inline void *mmap(void *addr, unsigned long len, int prot, int flags, int fd, long off)
{
	return (void *)syscall6(__NR_mmap, (long)addr, len, prot, flags, fd, off);
}
static inline long munmap(void *addr, unsigned long len) { return SYSCALL(__NR_munmap, addr, len, 0); }
static inline long mprotect(void *addr, unsigned long len, int prot)
{
	return SYSCALL(__NR_mprotect, addr, len, prot);
}
static inline long sched_yield(void) { return SYSCALL(__NR_sched_yield, 0, 0, 0); }
static inline long nanosleep(const struct timespec *req, struct timespec *rem)
{
	return SYSCALL(__NR_nanosleep, req, rem, 0);
}
static inline long getpid(void) { return SYSCALL(__NR_getpid, 0, 0, 0); }
static inline long fork(void) { return SYSCALL(__NR_fork, 0, 0, 0); }
static inline long execve(const char *path, char *const argv[], char *const envp[])
{
	return SYSCALL(__NR_execve, path, argv, envp);
}
static inline __attribute__((noreturn)) void exit(int status)
{
	SYSCALL(__NR_exit, status, 0, 0);
	__builtin_unreachable();
}
static inline __attribute__((noreturn)) void exit_group(int status)
{
	SYSCALL(__NR_exit_group, status, 0, 0);
	__builtin_unreachable();
}
/*
 * clone(@flags, @stack, @ptid, @ctid, no TLS) of a thread that exits at
 * once with exit(0), never touching its stack (so @stack may be any
 * address): what the call returned in the caller.
 */
static inline long clone_exiting_thread(unsigned long flags, unsigned long stack,
					unsigned long ptid, unsigned long ctid)
{
	register long r10 asm("r10") = (long)ctid;
	register long r8 asm("r8") = 0;
	long ret;

	asm volatile("syscall\n\t"
		     "testq %%rax, %%rax\n\t"
		     "jnz 1f\n\t"
		     "movl %[nr_exit], %%eax\n\t"	/* the thread: exit(0) */
		     "xorl %%edi, %%edi\n\t"
		     "syscall\n\t"
		     "ud2\n"
		     "1:"
		     : "=a"(ret)
		     : "a"(__NR_clone), "D"(flags), "S"(stack), "d"(ptid), "r"(r10), "r"(r8),
		       [nr_exit] "i"(__NR_exit)
		     : "rcx", "r11", "memory");
	return ret;
}

static inline long wait4(long pid, int *status, int options, void *rusage)
{
	return syscall6(__NR_wait4, pid, (long)status, options, (long)rusage, 0, 0);
}
static inline long futex(unsigned int *uaddr, int op, unsigned int val)
{
	return syscall6(__NR_futex, (long)uaddr, op, val, 0, 0, 0);
}
static inline long sched_setaffinity(long pid, unsigned long len, const unsigned long *mask)
{
	return SYSCALL(__NR_sched_setaffinity, pid, len, mask);
}

/* pvmm's own calls (-ENOSYS on Linux). */
static inline long vcpus(void) { return SYSCALL(PVMM_SYS_vcpus, 0, 0, 0); }
static inline long pages_in_use(void) { return SYSCALL(PVMM_SYS_pages_in_use, 0, 0, 0); }
static inline long hypercalls(void) { return SYSCALL(PVMM_SYS_hypercalls, 0, 0, 0); }
static inline long ipis_sent(void) { return SYSCALL(PVMM_SYS_ipis_sent, 0, 0, 0); }
static inline long pages_allocated(void) { return SYSCALL(PVMM_SYS_pages_allocated, 0, 0, 0); }
/* From now on a bad fault of this thread enters @entry(addr, error code) on @stack_top. */
static inline long set_fault_handler(void (*entry)(unsigned long, unsigned long), void *stack_top)
{
	return SYSCALL(PVMM_SYS_set_fault_handler, entry, stack_top, 0);
}
/* Ask the test scenario that started this program (PVMM_SYS_test_call): its own ops. */
static inline long test_call(unsigned long op, unsigned long arg)
{
	return SYSCALL(PVMM_SYS_test_call, op, arg, 0);
}

/* Helpers (ulib.c, thread.S). */
/* @len bytes of fresh anonymous memory with @prot, anywhere: its address, or a negative errno. */
void *map_anon(unsigned long len, int prot);
static inline long yield(void) { return sched_yield(); }
long sleep_ns(unsigned long ns);
/* Run only on the vCPUs of @mask (vCPUs 0 to 63); set_affinity_cpu() for any one. */
long set_affinity(unsigned long mask);
long set_affinity_cpu(unsigned int cpu);
/* exec the built-in program @name with argv {name, @arg in decimal}: returns only on failure. */
long exec_program(const char *name, unsigned long arg);
/* wait4() for @pid, no options: its pid, the status in *@status. */
static inline long waitpid(long pid, int *status) { return wait4(pid, status, 0, 0); }
/*
 * fork + execve(@argv[0], @argv, no environment), the child's standard
 * output on @out unless it is -1 (then the parent's): the child's pid, or
 * a negative errno. A child whose exec fails says so and exits with 127.
 */
long spawn_argv(char *const argv[], int out);
/* A wait status as a number: the exit code, or EXIT_KILLED if a signal ended the process. */
static inline int exit_code(int status) { return status & 0x7f ? EXIT_KILLED : status >> 8 & 0xff; }
/*
 * A new thread running @fn(@arg) on the stack below @stack_top; it exits
 * when @fn returns. Its tid, or a negative errno. With @tid, a joinable
 * one: thread_join(@tid) returns once it has exited.
 */
long thread_start_tid(void (*fn)(unsigned long), void *stack_top, unsigned long arg, unsigned int *tid);
static inline long thread_start(void (*fn)(unsigned long), void *stack_top, unsigned long arg)
{
	return thread_start_tid(fn, stack_top, arg, NULL);
}
void thread_join(unsigned int *tid);
/* The number a program takes as argv[1] (decimal or 0x hex), 0 without one. */
unsigned long program_arg(int argc, char **argv);

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void exit_from_main(int status) __attribute__((noreturn));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int strcmp(const char *a, const char *b);

#endif
