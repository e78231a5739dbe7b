/*
 * futex(2), the part that joins threads: FUTEX_WAIT and FUTEX_WAKE on a
 * 32-bit word of the caller's memory (kernel/futex.c).
 */
#ifndef PVMM_FUTEX_H
#define PVMM_FUTEX_H

long sys_futex(unsigned long uaddr, unsigned long op, unsigned long val);
/* Wake every waiter on the word at @uaddr (and, harmlessly, those on any other). */
void futex_wake_all(unsigned long uaddr);

#endif
