/*
 * futex(2) for joining threads. One wait queue serves every word: a waker
 * bumps a generation count and wakes them all, and each waiter goes back
 * to user mode, where it looks at its word again (a futex waiter must
 * expect spurious wake-ups anyway). Thread joins are rare and brief; a
 * hash of queues would only pay off for lock-heavy programs, which pvmm
 * does not run.
 *
 * No wake-up is lost: a waiter reads the generation before it compares
 * its word, so a waker that changed the word after that comparison has
 * also changed the generation by the time it wakes the queue.
 */
#include <xen/errno.h>
#include <linux/futex.h>
#include <pvmm/futex.h>
#include <pvmm/sched.h>
#include <asm/uaccess.h>

static struct wait_queue futex_queue;
static unsigned long futex_generation;

static bool generation_moved(void *seen)
{
	return __atomic_load_n(&futex_generation, __ATOMIC_ACQUIRE) != *(unsigned long *)seen;
}

static long futex_wait(unsigned long uaddr, unsigned int val)
{
	unsigned long seen = __atomic_load_n(&futex_generation, __ATOMIC_ACQUIRE);
	unsigned int now;

	if (copy_from_user(&now, uaddr, sizeof(now)))
		return -XEN_EFAULT;
	if (now != val)
		return -XEN_EAGAIN;
	wait_queue_wait(&futex_queue, generation_moved, &seen);
	return 0;
}

void futex_wake_all(unsigned long uaddr)
{
	__atomic_fetch_add(&futex_generation, 1, __ATOMIC_RELEASE);
	wake_up_all(&futex_queue);
}

/*
 * FUTEX_WAIT (no timeout) and FUTEX_WAKE, private or not (pvmm shares no
 * memory between processes). FUTEX_WAKE wakes every waiter and returns 0:
 * how many were waiting on this word is not counted.
 */
long sys_futex(unsigned long uaddr, unsigned long op, unsigned long val)
{
	op &= ~(unsigned long)FUTEX_PRIVATE_FLAG;
	if (op != FUTEX_WAIT && op != FUTEX_WAKE)
		return -XEN_ENOSYS;
	/* Linux's get_futex_key(): a misaligned word, then one outside user space, even for a wake. */
	if (uaddr & 3)
		return -XEN_EINVAL;
	if (!user_range_ok(uaddr, sizeof(unsigned int)))
		return -XEN_EFAULT;
	if (op == FUTEX_WAIT)
		return futex_wait(uaddr, (unsigned int)val);
	futex_wake_all(uaddr);
	return 0;
}
