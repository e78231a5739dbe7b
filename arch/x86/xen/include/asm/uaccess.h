/*
 * Copying to and from user memory (uaccess.S). Another thread of the
 * process may unmap or protect the memory between the kernel's check and
 * its access: a fault in these copies does not kill the guest, it ends the
 * copy (through the exception table, traps.c), which returns how many
 * bytes it did NOT copy (0: all of them).
 *
 * Each copy checks its own user range first, as Linux's copy_to_user()
 * does with access_ok(): a range that is not wholly below USER_END (a
 * kernel address, a non-canonical one, one that wraps) copies nothing and
 * returns @n, so no caller can hand the kernel's memory to a user by
 * forgetting a check; and only through the mm this task may reach, loaded
 * (uaccess_mm()). A fault on the kernel side stays fatal.
 */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

#include <asm/page.h>

/*
 * User memory the kernel may copy: below USER_END, which is below the
 * non-canonical hole, so a range that passes is canonical and cannot wrap.
 * The copies themselves fault pages in or fail, whatever another thread
 * does to the memory meanwhile. A system call may also check a whole range
 * up front, before it changes anything, as Linux's read() and write() do.
 */
static inline bool user_range_ok(unsigned long addr, unsigned long len)
{
	return addr < USER_END && len <= USER_END - addr;
}

unsigned long copy_user_bytes(void *dst, const void *src, unsigned long n);

struct mm;
/*
 * The mm whose user memory a copy may reach on this vCPU now, or NULL
 * (traps.c): the calling task's own (a kernel thread's declared borrow,
 * kthread_borrow_mm()), provided it is this vCPU's loaded_mm AND the mm
 * Xen really has (xen_mm). Otherwise the tables under the copy are another
 * process's, or about to be: a kernel thread with nothing borrowed, a lazy
 * vCPU's leftover, a switch still queued. Linux's nmi_uaccess_okay().
 */
struct mm *uaccess_mm(void);

static inline unsigned long copy_from_user(void *dst, unsigned long usrc, unsigned long n)
{
	if (!user_range_ok(usrc, n) || !uaccess_mm())
		return n;
	return copy_user_bytes(dst, (const void *)usrc, n);
}

static inline unsigned long copy_to_user(unsigned long udst, const void *src, unsigned long n)
{
	if (!user_range_ok(udst, n) || !uaccess_mm())
		return n;
	return copy_user_bytes((void *)udst, src, n);
}

#endif
