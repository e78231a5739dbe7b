/*
 * What Linux's system calls keep for a process beyond pvmm's own
 * bookkeeping: the program break (brk.c), the name prctl() reads and the
 * signal actions rt_sigaction() records (identity.c, signal.c). Fork
 * copies it whole; exec starts it afresh (linux_state_exec()).
 */
#ifndef PVMM_LINUX_STATE_H
#define PVMM_LINUX_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <asm/signal.h>

#define COMM_LEN	16	/* prctl(2): PR_SET_NAME's 16 bytes, NUL included */
#define NR_SIGNALS	(8 * sizeof(sigset_t))	/* Linux's _NSIG: a bit of the mask each */

struct linux_state {
	unsigned long brk_start;	/* the page after the program's image */
	unsigned long brk;		/* the break: [brk_start, page-rounded brk) is the heap */
	bool brk_busy;			/* a thread is moving the break (brk.c) */
	char comm[COMM_LEN];		/* PR_GET_NAME: the program's file name, as exec sets it */
	struct sigaction action[NR_SIGNALS];	/* by signal number - 1 */
};

/* Exec of @path, whose image ends at @image_end: a fresh break after it, the name, default actions. */
void linux_state_exec(struct linux_state *ls, const char *path, unsigned long image_end);

/* @len bytes from the kernel's generator (random.c): AT_RANDOM's, getrandom()'s. */
void random_bytes(void *buf, size_t len);
/* Exec: every caught signal back to its default action (signal.c). */
void signal_actions_exec(struct linux_state *ls);

/* The calls (syscall.c dispatches them), Linux's semantics where docs/syscalls.md says so. */
long sys_brk(unsigned long addr);
long sys_arch_prctl(unsigned long code, unsigned long addr);
long sys_set_tid_address(unsigned long tidptr);
long sys_rt_sigaction(unsigned long sig, unsigned long uact, unsigned long uoact, unsigned long size);
long sys_rt_sigprocmask(unsigned long how, unsigned long uset, unsigned long uoset, unsigned long size);
long sys_uname(unsigned long ubuf);
long sys_prctl(unsigned long option, unsigned long arg2);
long sys_prlimit64(unsigned long pid, unsigned long resource, unsigned long unew, unsigned long uold);
long sys_getrandom(unsigned long ubuf, unsigned long len, unsigned long flags);

#endif
