/*
 * The system calls: their numbers (<uapi/pvmm_syscall.h>) and the calls
 * that need no process bookkeeping; the rest are process.c's.
 */
#include <xen/errno.h>
#include <uapi/pvmm_syscall.h>
#include <hypercall/counters.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <pvmm/test.h>
#include <pvmm/vma.h>
#include <pv-mmu/mm.h>
#include <asm/page_alloc.h>
#include <asm/console.h>
#include <asm/uaccess.h>

static bool user_string(unsigned long addr, char *buf, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		if (!user_range_ok(addr + i, 1) || copy_from_user(&buf[i], addr + i, 1))
			return false;
		if (!buf[i])
			return true;
	}
	return false;
}

/* The system call, with Linux's arguments: bits past the MAX_VCPUS that pvmm keeps are ignored. */
static long sys_sched_setaffinity(unsigned long pid, unsigned long len, unsigned long umask)
{
	cpumask_t mask = CPUMASK_NONE;

	if (pid)
		return -XEN_ESRCH;	/* only the caller itself */
	if (!len || len % sizeof(uint64_t))
		return -XEN_EINVAL;
	if (len > sizeof(mask))
		len = sizeof(mask);
	if (!user_range_ok(umask, len) || copy_from_user(&mask, umask, len))
		return -XEN_EFAULT;
	return sched_setaffinity(mask);
}

static long sys_write(unsigned long buf, unsigned long len)
{
	char kbuf[256];
	unsigned long done = 0;

	if (!user_range_ok(buf, len))
		return -XEN_EFAULT;
	while (done < len) {
		unsigned long n = len - done < sizeof(kbuf) ? len - done : sizeof(kbuf);
		unsigned long copied = n - copy_from_user(kbuf, buf + done, n);

		console_write(kbuf, copied);
		done += copied;
		if (copied < n)	/* unmapped meanwhile by another thread */
			return done ? (long)done : -XEN_EFAULT;
	}
	return len;
}

static long sys_exec(unsigned long name_addr, unsigned long arg, struct cpu_regs *regs)
{
	char name[64];

	if (!user_string(name_addr, name, sizeof(name)))
		return -XEN_EFAULT;
	if (current_task()->proc->threads > 1)
		return -XEN_EBUSY;
	return do_exec(name, arg, regs);
}

static long hypercalls_so_far(void)
{
	struct hypercall_counts all;

	hypercall_counts_snapshot_all(&all);
	return hypercall_counts_total(&all);
}

static long syscall_dispatch(struct cpu_regs *r)
{
	struct task *t = current_task();

	switch (r->rax) {
	case SYS_write:
		return sys_write(r->rdi, r->rsi);
	case SYS_exit:
		thread_exit((int)r->rdi);
	case SYS_exit_group:
		process_exit_group((int)r->rdi);
	case SYS_fork:
		return process_fork(r);
	case SYS_wait:
		return process_wait((long)r->rdi, r->rsi);
	case SYS_exec:
		return sys_exec(r->rdi, r->rsi, r);
	case SYS_mmap:
		return sys_mmap(r->rdi, r->rsi);
	case SYS_munmap:
		return do_munmap(t->mm, r->rdi, r->rsi);
	case SYS_mprotect:
		return do_mprotect(t->mm, r->rdi, r->rsi, r->rdx);
	case SYS_clone:
		return process_clone(r->rdi, r->rsi, r->rdx);
	case SYS_yield:
		yield();
		return 0;
	case SYS_sleep:
		sleep_ns(r->rdi);
		return 0;
	case SYS_getpid:
		return t->proc->pid;
	case SYS_sched_setaffinity:
		return sys_sched_setaffinity(r->rdi, r->rsi, r->rdx);
	case SYS_vcpus:
		return cpumask_weight(cpus_online());
	case SYS_pages_in_use:
		return pages_total() - pages_free();
	case SYS_hypercalls:
		return hypercalls_so_far();
	case SYS_set_fault_handler:
		t->fault_entry = r->rdi;
		t->fault_stack = r->rsi;
		return 0;
	case SYS_test_call:
		return test_user_call(r->rdi, r->rsi);
	default:
		return -XEN_ENOSYS;
	}
}

void do_syscall(struct cpu_regs *regs)
{
	long rc;

	local_irq_enable();	/* entered with events masked (CALLBACKF_mask_events) */
	rc = syscall_dispatch(regs);
	if (regs->rax != SYS_exec || rc)	/* a successful exec has set up a new frame */
		regs->rax = rc;
	local_irq_disable();
	return_to_user(regs);
}
