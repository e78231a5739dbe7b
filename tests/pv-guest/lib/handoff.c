#include <asm/time.h>
#include <pvmm/sched.h>
#include <pvmm/test.h>
#include "handoff.h"

static bool signalled(void *h)
{
	return __atomic_load_n(&((struct handoff *)h)->done, __ATOMIC_SEQ_CST);
}

void handoff_wait(struct handoff *h)
{
	sched_wait(signalled, h, &h->waiter);
}

void handoff_signal(struct handoff *h)
{
	struct task *waiter;

	__atomic_store_n(&h->done, true, __ATOMIC_SEQ_CST);
	waiter = __atomic_load_n(&h->waiter, __ATOMIC_SEQ_CST);
	if (waiter)
		wake_up(waiter);
}

void wait_until_set(volatile bool *flag, const char *what)
{
	uint64_t deadline = xen_system_time_ns() + 10000000000ULL;

	while (!*flag) {
		if (xen_system_time_ns() > deadline)
			test_error("%s never happened", what);
		yield();
	}
}
