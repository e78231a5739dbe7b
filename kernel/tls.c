/*
 * Thread-local storage and the thread's own tid word: arch_prctl(2)'s FS
 * base, which the context switch loads inside its one multicall
 * (arch/x86/xen/switch.c), and set_tid_address(2).
 */
#include <xen/errno.h>
#include <asm/prctl.h>
#include <pvmm/linux_state.h>
#include <pvmm/sched.h>
#include <asm/page.h>
#include <asm/switch.h>
#include <asm/uaccess.h>

/* ARCH_SET_FS and ARCH_GET_FS; the user GS base and the rest are -EINVAL (docs/syscalls.md). */
long sys_arch_prctl(unsigned long code, unsigned long addr)
{
	struct task *t = current_task();

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_END)
			return -XEN_EPERM;	/* as Linux: no base outside the user half */
		arch_set_fs_base(addr);
		return 0;
	case ARCH_GET_FS:
		if (!user_range_ok(addr, sizeof(t->fs_base)) ||
		    copy_to_user(addr, &t->fs_base, sizeof(t->fs_base)))
			return -XEN_EFAULT;
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

/* The word zeroed and woken at the thread's exit (CLONE_CHILD_CLEARTID's); returns the tid. */
long sys_set_tid_address(unsigned long tidptr)
{
	struct task *t = current_task();

	t->clear_child_tid = tidptr;
	return t->id;
}
