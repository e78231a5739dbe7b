/*
 * Raw hypercalls through the hypercall page Xen filled in at boot.
 *
 * Each stub is 32 bytes at hypercall_page + 32 * nr. Arguments go in
 * %rdi, %rsi, %rdx, %r10, %r8; the result comes back in %rax. The stubs
 * preserve %rcx and %r11 themselves, but Xen may clobber every argument
 * register (a debug hypervisor poisons them), so they are outputs here.
 *
 * Nothing outside hypercall/ calls these: the typed wrappers in
 * <hypercall/hypercall.h> count every call first.
 */
#ifndef HYPERCALL_RAW_H
#define HYPERCALL_RAW_H

#include <xen/xen.h>

extern char hypercall_page[];

#define _hypercall(nr, a1, a2, a3, a4, a5) ({				\
	register long __a1 asm("rdi") = (long)(a1);			\
	register long __a2 asm("rsi") = (long)(a2);			\
	register long __a3 asm("rdx") = (long)(a3);			\
	register long __a4 asm("r10") = (long)(a4);			\
	register long __a5 asm("r8") = (long)(a5);			\
	long __res;							\
	asm volatile("call hypercall_page + %c[off]"			\
		     : "=a"(__res), "+r"(__a1), "+r"(__a2), "+r"(__a3),	\
		       "+r"(__a4), "+r"(__a5)				\
		     : [off] "i"((nr) * 32)				\
		     : "memory", "r9");					\
	__res;								\
})

#define _hypercall1(nr, a1)		_hypercall(nr, a1, 0, 0, 0, 0)
#define _hypercall2(nr, a1, a2)		_hypercall(nr, a1, a2, 0, 0, 0)
#define _hypercall3(nr, a1, a2, a3)	_hypercall(nr, a1, a2, a3, 0, 0)
#define _hypercall4(nr, a1, a2, a3, a4)	_hypercall(nr, a1, a2, a3, a4, 0)

#endif
