/* What the scheduler reports: its state for debug dumps, and its counters. */
#include <pvmm/sched.h>
#include <pvmm/spinlock.h>
#include <pvmm/lib.h>
#include <asm/time.h>
#include "sched_rq.h"

void sched_dump_this_cpu(void)
{
	struct runqueue *rq = this_rq();
	unsigned int queued = 0, sleepers = 0;
	uint64_t now = xen_system_time_ns();
	long next_wake_ms = -1;

	/* Read without the lock: this runs when something may be stuck holding it. */
	for (struct task *t = READ_ONCE(rq->head); t && queued < 1000; t = t->rq_next)
		queued++;
	for (struct task *t = READ_ONCE(rq->sleepers); t && sleepers < 1000; t = t->sleep_next) {
		long ms = t->wake_at > now ? (long)((t->wake_at - now) / 1000000) : 0;

		sleepers++;
		if (next_wake_ms < 0 || ms < next_wake_ms)
			next_wake_ms = ms;
	}
	printk("  current %s (task %u, state %d), %u queued, %u sleeping (next wake in %ld ms),"
	       " rq lock %s, need_resched %d\n",
	       rq->curr ? rq->curr->name : "-", rq->curr ? rq->curr->id : 0,
	       rq->curr ? (int)rq->curr->state : -1, queued, sleepers, next_wake_ms,
	       spin_is_locked(&rq->lock) ? "held" : "free", rq->need_resched);
}

void sched_stats_this_cpu(struct sched_stats *out)
{
	*out = this_rq()->stats;
}

void sched_stats_all(struct sched_stats *out)
{
	*out = (struct sched_stats){ 0 };
	for (unsigned int cpu = 0; cpu < MAX_VCPUS; cpu++) {
		out->switches += runqueues[cpu].stats.switches;
		out->preemptions += runqueues[cpu].stats.preemptions;
	}
}
