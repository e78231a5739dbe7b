/*
 * What a process may ask about itself and its system: its name (prctl),
 * its resource limits (prlimit64), the system's name (uname); and what
 * exec gives a new program of the Linux state fork copies.
 *
 * pvmm has one user, root: getuid() and its kin answer 0 in syscall.c.
 */
#include <xen/errno.h>
#include <linux/prctl.h>
#include <linux/resource.h>
#include <linux/utsname.h>
#include <linux/version.h>
#include <pvmm/linux_state.h>
#include <pvmm/lib.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <asm/page.h>
#include <asm/uaccess.h>

void linux_state_exec(struct linux_state *ls, const char *path, unsigned long image_end)
{
	const char *base = path;

	for (const char *s = path; *s; s++)
		if (*s == '/')
			base = s + 1;
	ls->brk_start = ls->brk = PAGE_ALIGN(image_end);
	snprintf(ls->comm, sizeof(ls->comm), "%s", base);
	signal_actions_exec(ls);
}

/*
 * uname(2): Linux, at the version of the UAPI headers pvmm's ABI comes
 * from (linux-libc-dev), marked as pvmm's.
 */
long sys_uname(unsigned long ubuf)
{
	struct new_utsname u = {
		.sysname = "Linux",
		.nodename = "pvmm",
		.version = "#1 pvmm",
		.machine = "x86_64",
		.domainname = "(none)",
	};

	snprintf(u.release, sizeof(u.release), "%u.%u.%u-pvmm", LINUX_VERSION_CODE >> 16,
		 LINUX_VERSION_CODE >> 8 & 0xff, LINUX_VERSION_CODE & 0xff);
	if (!user_range_ok(ubuf, sizeof(u)) || copy_to_user(ubuf, &u, sizeof(u)))
		return -XEN_EFAULT;
	return 0;
}

/* prctl(2): the process's name, PR_SET_NAME and PR_GET_NAME; every other option -EINVAL. */
long sys_prctl(unsigned long option, unsigned long arg2)
{
	char *comm = current_task()->proc->lstate.comm, name[COMM_LEN];

	switch (option) {
	case PR_SET_NAME:
		for (unsigned int i = 0; i < COMM_LEN - 1; i++) {
			if (!user_range_ok(arg2 + i, 1) || copy_from_user(&name[i], arg2 + i, 1))
				return -XEN_EFAULT;
			if (!name[i])
				break;
		}
		name[COMM_LEN - 1] = 0;	/* longer names are cut, as Linux cuts them */
		memcpy(comm, name, COMM_LEN);
		return 0;
	case PR_GET_NAME:
		if (!user_range_ok(arg2, COMM_LEN) || copy_to_user(arg2, comm, COMM_LEN))
			return -XEN_EFAULT;
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

/*
 * prlimit64(2) of the caller: what pvmm really gives (the stack exec maps,
 * the descriptor table's size), unlimited for the rest. pvmm's limits are
 * fixed: setting one is -EPERM.
 */
long sys_prlimit64(unsigned long pid, unsigned long resource, unsigned long unew, unsigned long uold)
{
	struct rlimit64 lim = { RLIM64_INFINITY, RLIM64_INFINITY };

	if (pid && pid != (unsigned long)current_task()->proc->pid)
		return -XEN_ESRCH;
	if (resource >= RLIM_NLIMITS)
		return -XEN_EINVAL;
	if (unew)
		return -XEN_EPERM;
	if (resource == RLIMIT_STACK)
		lim.rlim_cur = lim.rlim_max = USER_STACK_SIZE;
	else if (resource == RLIMIT_NOFILE)
		lim.rlim_cur = lim.rlim_max = MAX_FDS;
	if (uold && (!user_range_ok(uold, sizeof(lim)) || copy_to_user(uold, &lim, sizeof(lim))))
		return -XEN_EFAULT;
	return 0;
}
