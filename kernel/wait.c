/*
 * Wait queues (see <pvmm/sched.h>): any number of tasks waiting for one
 * condition, each through its own sched_wait() slot.
 */
#include <pvmm/sched.h>
#include <pvmm/spinlock.h>

void wait_queue_wait(struct wait_queue *q, bool (*done)(void *), void *arg)
{
	struct task *me = current_task(), **link;
	unsigned long flags = spin_lock_irqsave(&q->lock);

	me->wq_next = q->head;
	q->head = me;
	spin_unlock_irqrestore(&q->lock, flags);
	/*
	 * A waker makes @done hold before it walks the queue: either it finds
	 * this task's slot published and wakes it, or this task's check, made
	 * after publishing, already sees @done.
	 */
	sched_wait(done, arg, &me->wq_slot);
	flags = spin_lock_irqsave(&q->lock);
	for (link = &q->head; *link != me; link = &(*link)->wq_next)
		;
	*link = me->wq_next;
	me->wq_slot = NULL;
	spin_unlock_irqrestore(&q->lock, flags);
}

void wake_up_all(struct wait_queue *q)
{
	unsigned long flags = spin_lock_irqsave(&q->lock);

	/* Under the queue's lock: a task leaves it, and may end, only after this. */
	for (struct task *t = q->head; t; t = t->wq_next) {
		struct task *sleeper = __atomic_load_n(&t->wq_slot, __ATOMIC_SEQ_CST);

		if (sleeper)
			wake_up(sleeper);
	}
	spin_unlock_irqrestore(&q->lock, flags);
}
