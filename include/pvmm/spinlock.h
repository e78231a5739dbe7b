/*
 * Ticket spinlocks. The _irqsave variants mask event delivery (the vCPU's
 * evtchn_upcall_mask) first, so an event handler on the same vCPU can
 * never spin on a lock its interrupted context holds.
 *
 * A waiter whose turn does not come soon sleeps in Xen until the unlock
 * that makes its ticket the owner kicks it (<asm/vcpu_wait.h>): the
 * holder, or a vCPU whose ticket comes first, may not be running.
 */
#ifndef PVMM_SPINLOCK_H
#define PVMM_SPINLOCK_H

#include <pvmm/atomic.h>
#include <asm/events.h>
#include <asm/vcpu_wait.h>

typedef struct {
	uint32_t next;		/* next ticket to hand out */
	uint32_t owner;		/* ticket now holding the lock */
	uint32_t sleepers;	/* waiters asleep in Xen, or about to be */
} spinlock_t;

#define SPINLOCK_INIT { 0, 0, 0 }

/* The slow paths (arch/x86/xen/spinlock.c): sleep until @ticket owns @l; wake its owner. */
void spin_lock_sleep(spinlock_t *l, uint32_t ticket);
void spin_unlock_kick(spinlock_t *l, uint32_t owner);

static inline void spin_lock(spinlock_t *l)
{
	uint32_t ticket = atomic_fetch_add(&l->next, 1);
	struct vcpu_wait w = VCPU_WAIT_INIT;

	while (atomic_load_acquire(&l->owner) != ticket)
		if (vcpu_wait_spun(&w)) {
			spin_lock_sleep(l, ticket);
			return;
		}
}

static inline bool spin_trylock(spinlock_t *l)
{
	uint32_t owner = atomic_load_acquire(&l->owner);

	return atomic_cmpxchg(&l->next, owner, owner + 1);
}

static inline void spin_unlock(spinlock_t *l)
{
	uint32_t owner = l->owner + 1;

	atomic_fetch_add(&l->owner, 1);	/* a full barrier: then look for sleepers */
	if (unlikely(READ_ONCE(l->sleepers)))
		spin_unlock_kick(l, owner);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return READ_ONCE(l->owner) != READ_ONCE(l->next);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = local_irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	local_irq_restore(flags);
}

#endif
