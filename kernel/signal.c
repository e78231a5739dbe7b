/*
 * Signal actions and the blocked set, recorded as Linux records them and
 * read back the same, but never delivered: pvmm sends no signal to a
 * process (a bad access kills it, as SIGSEGV's default action would;
 * a child's end wakes a waiting wait4() instead of raising SIGCHLD). That
 * is enough for a program that installs handlers for signals it never
 * receives here, as a shell does for SIGCHLD, SIGINT and SIGQUIT.
 */
#include <xen/errno.h>
#include <linux/signal.h>
#include <pvmm/linux_state.h>
#include <pvmm/lib.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <asm/uaccess.h>

/* SIGKILL and SIGSTOP cannot be caught, blocked or ignored. */
#define UNBLOCKABLE	((1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1)))

long sys_rt_sigaction(unsigned long sig, unsigned long uact, unsigned long uoact, unsigned long size)
{
	struct linux_state *ls = &current_task()->proc->lstate;
	struct sigaction act, old;

	if (size != sizeof(sigset_t))
		return -XEN_EINVAL;
	if (sig < 1 || sig > NR_SIGNALS || (uact && (sig == SIGKILL || sig == SIGSTOP)))
		return -XEN_EINVAL;
	if (uact && (!user_range_ok(uact, sizeof(act)) || copy_from_user(&act, uact, sizeof(act))))
		return -XEN_EFAULT;
	old = ls->action[sig - 1];
	if (uact) {
		act.sa_mask &= ~UNBLOCKABLE;
		ls->action[sig - 1] = act;
	}
	if (uoact && (!user_range_ok(uoact, sizeof(old)) || copy_to_user(uoact, &old, sizeof(old))))
		return -XEN_EFAULT;
	return 0;
}

long sys_rt_sigprocmask(unsigned long how, unsigned long uset, unsigned long uoset, unsigned long size)
{
	struct task *t = current_task();
	sigset_t set, old = t->sigmask;

	if (size != sizeof(sigset_t))
		return -XEN_EINVAL;
	if (uset) {
		if (!user_range_ok(uset, sizeof(set)) || copy_from_user(&set, uset, sizeof(set)))
			return -XEN_EFAULT;
		set &= ~UNBLOCKABLE;
		switch (how) {
		case SIG_BLOCK:
			t->sigmask |= set;
			break;
		case SIG_UNBLOCK:
			t->sigmask &= ~set;
			break;
		case SIG_SETMASK:
			t->sigmask = set;
			break;
		default:
			return -XEN_EINVAL;
		}
	}
	if (uoset && (!user_range_ok(uoset, sizeof(old)) || copy_to_user(uoset, &old, sizeof(old))))
		return -XEN_EFAULT;
	return 0;
}

/* Exec: caught signals go back to their default action; ignored ones stay ignored, as in Linux. */
void signal_actions_exec(struct linux_state *ls)
{
	for (unsigned int i = 0; i < NR_SIGNALS; i++)
		if (ls->action[i].sa_handler != SIG_IGN)
			ls->action[i] = (struct sigaction){ .sa_handler = SIG_DFL };
}
