/*
 * The slow paths of <pvmm/spinlock.h>: a waiter whose ticket does not come
 * soon sleeps in Xen, and the unlock that makes its ticket the owner kicks
 * it (<asm/vcpu_wait.h>).
 *
 * Ticket order makes the kick exact: of all the sleepers on a lock, only
 * the one holding the new owner's ticket may go on, so only it is woken.
 * Each vCPU records the one (lock, ticket) it sleeps for; an unlock looks
 * through the records only when the lock counts sleepers.
 */
#include <asm/smp.h>
#include <asm/vcpu_wait.h>
#include <pvmm/spinlock.h>

static struct {
	spinlock_t *lock;
	uint32_t ticket;
} __attribute__((aligned(64))) sleeping_on[MAX_VCPUS];

void spin_lock_sleep(spinlock_t *l, uint32_t ticket)
{
	unsigned int cpu = smp_processor_id();
	bool asleep;

	/* The ticket first: a record whose lock matches is whole. */
	WRITE_ONCE(sleeping_on[cpu].ticket, ticket);
	WRITE_ONCE(sleeping_on[cpu].lock, l);
	atomic_fetch_add(&l->sleepers, 1);
	do {
		/* Pairs with spin_unlock(): it moves the owner, then looks for us. */
		vcpu_sleep_prepare(WAKE_ON_KICK);
		asleep = atomic_load_acquire(&l->owner) != ticket;
		if (asleep)
			vcpu_sleep(WAKE_ON_KICK);
		vcpu_sleep_finish();
	} while (asleep);
	WRITE_ONCE(sleeping_on[cpu].lock, NULL);
	atomic_fetch_add(&l->sleepers, -1);
}

void spin_unlock_kick(spinlock_t *l, uint32_t owner)
{
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		if (READ_ONCE(sleeping_on[cpu].lock) == l &&
		    READ_ONCE(sleeping_on[cpu].ticket) == owner) {
			vcpu_kick(cpu);
			return;
		}
}
