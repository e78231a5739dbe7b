/*
 * The system calls: Linux's x86-64 numbers and semantics for the calls
 * pvmm has (docs/syscalls.md), pvmm's own from PVMM_SYS_BASE up
 * (<uapi/pvmm_syscall.h>), -ENOSYS for the rest. This file decodes the
 * arguments and answers the calls that need no process bookkeeping; the
 * others are process.c's, exec.c's and vma.c's.
 *
 * Internally the kernel speaks Xen's errno values, which are Linux's x86
 * ones by definition (xen/include/public/errno.h); the checks below hold
 * the two together for every error a system call returns.
 */
#include <xen/errno.h>
#include <uapi/pvmm_syscall.h>
#include <linux/time.h>
#include <hypercall/counters.h>
#include <pvmm/file.h>
#include <pvmm/futex.h>
#include <pvmm/linux_state.h>
#include <pvmm/process.h>
#include <pvmm/reboot.h>
#include <pvmm/sched.h>
#include <pvmm/test.h>
#include <pvmm/vma.h>
#include <pv-mmu/mm.h>
#include <asm/page_alloc.h>
#include <asm/console.h>
#include <asm/uaccess.h>

_Static_assert(XEN_EPERM == EPERM && XEN_ENOENT == ENOENT && XEN_ESRCH == ESRCH &&
	       XEN_E2BIG == E2BIG && XEN_ENOEXEC == ENOEXEC && XEN_EBADF == EBADF &&
	       XEN_ECHILD == ECHILD && XEN_EAGAIN == EAGAIN && XEN_ENOMEM == ENOMEM &&
	       XEN_EFAULT == EFAULT && XEN_EBUSY == EBUSY && XEN_EEXIST == EEXIST &&
	       XEN_EINVAL == EINVAL && XEN_ENAMETOOLONG == ENAMETOOLONG && XEN_ENOSYS == ENOSYS &&
	       XEN_ENOTDIR == ENOTDIR && XEN_EISDIR == EISDIR && XEN_EROFS == EROFS &&
	       XEN_ERANGE == ERANGE,
	       "Xen's errno values are Linux's");

#define NSEC_PER_SEC	1000000000L

/* nanosleep(2): the whole sleep (nothing interrupts one: pvmm has no signals), *rem untouched. */
static long sys_nanosleep(unsigned long ureq)
{
	struct timespec req;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -XEN_EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= NSEC_PER_SEC)
		return -XEN_EINVAL;
	sleep_ns((uint64_t)req.tv_sec * NSEC_PER_SEC + req.tv_nsec);
	return 0;
}

/* sched_setaffinity(2) of the caller: bits past the MAX_VCPUS that pvmm keeps are ignored. */
static long sys_sched_setaffinity(unsigned long pid, unsigned long len, unsigned long umask)
{
	cpumask_t mask = CPUMASK_NONE;

	if (pid && pid != (unsigned long)current_task()->proc->pid)
		return -XEN_ESRCH;	/* only the calling process's thread itself */
	if (!len || len % sizeof(uint64_t))
		return -XEN_EINVAL;
	if (len > sizeof(mask))
		len = sizeof(mask);
	if (copy_from_user(&mask, umask, len))
		return -XEN_EFAULT;
	return sched_setaffinity(mask);
}

static long hypercalls_so_far(void)
{
	struct hypercall_counts all;

	hypercall_counts_snapshot_all(&all);
	return hypercall_counts_total(&all);
}

static long pvmm_syscall(struct cpu_regs *r)
{
	struct task *t = current_task();

	switch (r->rax) {
	case PVMM_SYS_vcpus:
		return cpumask_weight(cpus_online());
	case PVMM_SYS_pages_in_use:
		return pages_total() - pages_free();
	case PVMM_SYS_hypercalls:
		return hypercalls_so_far();
	case PVMM_SYS_set_fault_handler:
		t->fault_entry = r->rdi;
		t->fault_stack = r->rsi;
		return 0;
	case PVMM_SYS_test_call:
		return test_user_call(r->rdi, r->rsi);
	case PVMM_SYS_ipis_sent:
		return ipis_sent_all();
	case PVMM_SYS_fault_around:
		return set_fault_around(t->mm, r->rdi);
	case PVMM_SYS_pages_allocated:
		return pages_handed_out();
	default:
		return -XEN_ENOSYS;
	}
}

static long syscall_dispatch(struct cpu_regs *r)
{
	struct task *t = current_task();

	switch (r->rax) {
	case __NR_read:
		return sys_read(r->rdi, r->rsi, r->rdx);
	case __NR_write:
		return sys_write(r->rdi, r->rsi, r->rdx);
	case __NR_close:
		return sys_close(r->rdi);
	case __NR_pipe2:
		return sys_pipe2(r->rdi, r->rsi);
	case __NR_mmap:
		return sys_mmap(r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9);
	case __NR_mprotect:
		if (r->rdx & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC))
			return -XEN_EINVAL;
		return do_mprotect(t->mm, r->rdi, r->rsi, r->rdx & (PROT_READ | PROT_WRITE));
	case __NR_munmap:
		return do_munmap(t->mm, r->rdi, r->rsi);
	case __NR_sched_yield:
		yield();
		return 0;
	case __NR_nanosleep:
		return sys_nanosleep(r->rdi);
	case __NR_getpid:
		return t->proc->pid;
	case __NR_clone:
		return process_clone(r, r->rdi, r->rsi, r->rdx, r->r10, r->r8);
	case __NR_fork:
		return process_fork(r, 0, 0);
	case __NR_vfork:
		return process_vfork(r);
	case __NR_execve:
		return sys_execve(r->rdi, r->rsi, r->rdx, r);
	case __NR_exit:
		thread_exit(EXIT_STATUS((int)r->rdi));
	case __NR_wait4:
		return process_wait4((long)r->rdi, r->rsi, r->rdx, r->r10);
	case __NR_futex:
		if (r->r10)
			return -XEN_EINVAL;	/* no timed waits */
		return sys_futex(r->rdi, r->rsi, r->rdx);
	case __NR_sched_setaffinity:
		return sys_sched_setaffinity(r->rdi, r->rsi, r->rdx);
	case __NR_reboot:
		return sys_reboot(r->rdi, r->rsi, r->rdx);
	case __NR_exit_group:
		process_exit_group(EXIT_STATUS((int)r->rdi));
	/* What an unmodified static glibc program needs (docs/syscalls.md). */
	case __NR_brk:
		return sys_brk(r->rdi);
	case __NR_arch_prctl:
		return sys_arch_prctl(r->rdi, r->rsi);
	case __NR_set_tid_address:
		return sys_set_tid_address(r->rdi);
	case __NR_gettid:
		return t->id;
	case __NR_getppid:
		return process_ppid();
	case __NR_getuid:
	case __NR_geteuid:
	case __NR_getgid:
	case __NR_getegid:
		return 0;	/* root, the one user */
	case __NR_uname:
		return sys_uname(r->rdi);
	case __NR_prctl:
		return sys_prctl(r->rdi, r->rsi);
	case __NR_prlimit64:
		return sys_prlimit64(r->rdi, r->rsi, r->rdx, r->r10);
	case __NR_getrandom:
		return sys_getrandom(r->rdi, r->rsi, r->rdx);
	case __NR_rt_sigaction:
		return sys_rt_sigaction(r->rdi, r->rsi, r->rdx, r->r10);
	case __NR_rt_sigprocmask:
		return sys_rt_sigprocmask(r->rdi, r->rsi, r->rdx, r->r10);
	case __NR_openat:
		return sys_openat((int)r->rdi, r->rsi, r->rdx, r->r10);
	case __NR_lseek:
		return sys_lseek(r->rdi, r->rsi, r->rdx);
	case __NR_fstat:
		return sys_fstat(r->rdi, r->rsi);
	case __NR_newfstatat:
		return sys_newfstatat((int)r->rdi, r->rsi, r->rdx, r->r10);
	case __NR_readlink:
		return sys_readlink(r->rdi, r->rsi, r->rdx);
	case __NR_getcwd:
		return sys_getcwd(r->rdi, r->rsi);
	case __NR_ioctl:
		return sys_ioctl(r->rdi);
	case __NR_dup:
		return sys_dup(r->rdi);
	case __NR_dup2:
		return sys_dup2(r->rdi, r->rsi);
	case __NR_dup3:
		return sys_dup3(r->rdi, r->rsi, r->rdx);
	default:
		return r->rax >= PVMM_SYS_BASE ? pvmm_syscall(r) : -XEN_ENOSYS;
	}
}

void do_syscall(struct cpu_regs *regs)
{
	unsigned long nr = regs->rax;
	long rc;

	local_irq_enable();	/* entered with events masked (CALLBACKF_mask_events) */
	rc = syscall_dispatch(regs);
	if (nr != __NR_execve || rc)	/* a successful exec has set up a new frame */
		regs->rax = rc;
	local_irq_disable();
	return_to_user(regs);
}
