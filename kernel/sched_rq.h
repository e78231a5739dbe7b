/*
 * The run queues, shared by the scheduler (sched.c) and what reports on it
 * (sched_report.c). Private to kernel/; the locking rules are sched.c's.
 */
#ifndef KERNEL_SCHED_RQ_H
#define KERNEL_SCHED_RQ_H

#include <pvmm/sched.h>
#include <pvmm/spinlock.h>

struct runqueue {
	spinlock_t lock;
	struct task *head, *tail;	/* runnable, not running */
	struct task *curr, *idle;
	struct task *sleepers;		/* timed sleeps, woken by the tick */
	bool need_resched;
	unsigned int idle_ticks;	/* ticks in a row that found nothing to do */
	struct sched_stats stats;
} __attribute__((aligned(64)));

extern struct runqueue runqueues[MAX_VCPUS];

static inline struct runqueue *this_rq(void)
{
	return &runqueues[smp_processor_id()];
}

#endif
