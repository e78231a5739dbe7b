/*
 * Ticket spinlocks. The _irqsave variants mask event delivery (the vCPU's
 * evtchn_upcall_mask) first, so an event handler on the same vCPU can
 * never spin on a lock its interrupted context holds.
 */
#ifndef PVMM_SPINLOCK_H
#define PVMM_SPINLOCK_H

#include <pvmm/atomic.h>
#include <asm/events.h>

typedef struct {
	uint32_t next;		/* next ticket to hand out */
	uint32_t owner;		/* ticket now holding the lock */
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_lock(spinlock_t *l)
{
	uint32_t ticket = atomic_fetch_add(&l->next, 1);

	while (atomic_load_acquire(&l->owner) != ticket)
		cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
	uint32_t owner = atomic_load_acquire(&l->owner);

	return atomic_cmpxchg(&l->next, owner, owner + 1);
}

static inline void spin_unlock(spinlock_t *l)
{
	atomic_store_release(&l->owner, l->owner + 1);
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
