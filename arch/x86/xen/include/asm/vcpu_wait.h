/*
 * Waiting for another vCPU: for a lock it holds, for a call it has not run
 * yet.
 *
 * On bare metal the CPU waited for is running, and spinning costs little.
 * Under Xen it may not be: it may be preempted, runnable and waiting for
 * the very physical CPU the spinner holds; and when Xen itself runs on
 * CPUs that are shared (Xen in QEMU on a busy host, or nested), the
 * physical CPU it runs on may be stopped while the spinner burns the one
 * both need. A spinner then waits out a whole time slice, of Xen or of the
 * host, for every wait. So a waiter spins only briefly, then sleeps in Xen
 * (SCHEDOP_poll on its kick channel, which is never delivered as an event)
 * until the vCPU it waits for kicks it, the way Linux's Xen PV spinlocks
 * do (arch/x86/xen/spinlock.c). An idle physical CPU halts, and its share
 * of the machine goes to whoever can use it.
 *
 * The hand-off is Dekker's: the waiter announces that it may sleep, then
 * checks its condition; the vCPU that makes the condition true does so,
 * then checks for an announced sleeper, both with a full barrier between.
 * One of them sees the other; a kick sent before the waiter polls leaves
 * the channel pending, and the poll returns at once.
 */
#ifndef ASM_VCPU_WAIT_H
#define ASM_VCPU_WAIT_H

#include <pvmm/atomic.h>

/*
 * Pauses before a waiter sleeps: about what a running vCPU needs to
 * answer a cross-vCPU call (docs/smp.md), so that a waiter whose target
 * runs seldom sleeps.
 */
#define VCPU_WAIT_SPINS 1024

struct vcpu_wait {
	unsigned int spins;
};

#define VCPU_WAIT_INIT { 0 }

/* One pause of a wait: true once the wait has spun long enough to sleep. */
static inline bool vcpu_wait_spun(struct vcpu_wait *w)
{
	cpu_relax();
	return ++w->spins >= VCPU_WAIT_SPINS;
}

/* What, besides a kick, ends a sleep. */
enum vcpu_sleep_wake {
	WAKE_ON_KICK,
	/*
	 * Also an IPI, taken and handled while sleeping: a waiter that other
	 * vCPUs may be waiting for in turn (cross-vCPU calls) must keep
	 * answering them.
	 */
	WAKE_ON_KICK_OR_IPI,
};

/*
 * Announce that this vCPU may sleep, and forget kicks that came before.
 * A full barrier: check the condition waited for after it, then either
 * vcpu_sleep() or not, then vcpu_sleep_finish().
 */
void vcpu_sleep_prepare(enum vcpu_sleep_wake wake);
/*
 * Sleep in Xen until kicked (or as @wake says), for at most 10 ms. It may
 * end early: Xen ends any poll when an event can be delivered (events
 * unmasked), and a poll of several ports (WAKE_ON_KICK_OR_IPI) on any event
 * of the domain. Callers check their condition again after each.
 */
void vcpu_sleep(enum vcpu_sleep_wake wake);
void vcpu_sleep_finish(void);

/*
 * After making true what @cpu may be waiting for (with a full barrier
 * before this call): wake it if it announced a sleep.
 */
void vcpu_kick(unsigned int cpu);

/* Bind this vCPU's kick channel, before any other vCPU can wait for it. */
void vcpu_wait_init(void);

#endif
