/*
 * brk(2): the heap right after the program's image, as Linux places it
 * (without the randomised gap). The break moves by whole vmas through the
 * vma interface: growing maps [old, new) demand-zero and read-write,
 * shrinking unmaps [new, old), both rounded up to pages. As in Linux, a
 * break that cannot move (below the image, into another mapping, no
 * memory) leaves it where it was, and the call returns it: the caller
 * sees the failure by comparing.
 */
#include <pvmm/linux_state.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <pvmm/vma.h>
#include <asm/page.h>


long sys_brk(unsigned long addr)
{
	struct task *t = current_task();
	struct linux_state *ls = &t->proc->lstate;
	unsigned long old, now;
	long rc = 0;

	/*
	 * Two threads moving the break at once take turns (malloc's own lock
	 * makes it rare): the vma calls below may flush and wait for other
	 * vCPUs, so no spinlock is held across them.
	 */
	while (__atomic_exchange_n(&ls->brk_busy, true, __ATOMIC_ACQUIRE))
		yield();
	old = PAGE_ALIGN(ls->brk);
	now = PAGE_ALIGN(addr);
	if (addr < ls->brk_start || addr >= USER_END)
		rc = -1;
	else if (now > old)
		rc = do_mmap_anon(t->mm, old, now - old, PROT_READ | PROT_WRITE);
	else if (now < old)
		rc = do_munmap(t->mm, now, old - now);
	if (!rc)
		ls->brk = addr;
	addr = ls->brk;
	__atomic_store_n(&ls->brk_busy, false, __ATOMIC_RELEASE);
	return addr;
}
