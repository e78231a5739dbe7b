/*
 * Copying to and from user memory (uaccess.S). Another thread of the
 * process may unmap or protect the memory between the kernel's check and
 * its access: a fault in these copies does not kill the guest, it ends the
 * copy (through the exception table, traps.c), which returns how many
 * bytes it did NOT copy (0: all of them). The caller checks that the user
 * range lies below USER_END; a fault on the kernel side stays fatal.
 */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

#include <asm/page.h>

/*
 * User memory the kernel may copy: below USER_END. The copies themselves
 * fault pages in or fail, whatever another thread does to the memory
 * meanwhile.
 */
static inline bool user_range_ok(unsigned long addr, unsigned long len)
{
	return addr < USER_END && len <= USER_END - addr;
}

unsigned long copy_user_bytes(void *dst, const void *src, unsigned long n);

static inline unsigned long copy_from_user(void *dst, unsigned long usrc, unsigned long n)
{
	return copy_user_bytes(dst, (const void *)usrc, n);
}

static inline unsigned long copy_to_user(unsigned long udst, const void *src, unsigned long n)
{
	return copy_user_bytes((void *)udst, src, n);
}

#endif
