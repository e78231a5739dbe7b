/*
 * The scheduler (see <pvmm/sched.h>).
 *
 * Locking: each run queue's lock protects its queue, its sleepers and the
 * state of the tasks that belong to it (task->cpu names the queue). It is
 * taken with events masked and held ACROSS the context switch: the task
 * switched to releases it in finish_task_switch(). So a waker on another
 * vCPU can never see a task that has decided to sleep but is still on its
 * stack: by the time it gets the lock, the switch is complete and on_cpu
 * is false.
 */
#include <xen/errno.h>
#include <pvmm/sched.h>
#include <pvmm/spinlock.h>
#include <pvmm/bug.h>
#include <pvmm/lib.h>
#include <asm/ipi.h>
#include <asm/page_alloc.h>
#include <asm/page.h>
#include <asm/time.h>
#include <asm/switch.h>
#include <asm/uaccess.h>

#define SLICE_TICKS	2	/* 20 ms */
#define KTHREAD_PAGES	4	/* task struct at the bottom, stack above it */

struct runqueue {
	spinlock_t lock;
	struct task *head, *tail;	/* runnable, not running */
	struct task *curr, *idle;
	struct task *sleepers;		/* timed sleeps, woken by the tick */
	bool need_resched;
	struct sched_stats stats;
} __attribute__((aligned(64)));

static struct runqueue runqueues[MAX_VCPUS];
static struct task boot_task = { .name = "init", .state = TASK_RUNNABLE, .on_cpu = true };
static struct task secondary_idle[MAX_VCPUS];
static unsigned int last_task_id;

static struct runqueue *this_rq(void)
{
	return &runqueues[smp_processor_id()];
}

static void enqueue(struct runqueue *rq, struct task *t)
{
	t->rq_next = NULL;
	if (rq->tail)
		rq->tail->rq_next = t;
	else
		rq->head = t;
	rq->tail = t;
	t->on_rq = true;
}

static struct task *dequeue(struct runqueue *rq)
{
	struct task *t = rq->head;

	if (t) {
		rq->head = t->rq_next;
		if (!rq->head)
			rq->tail = NULL;
		t->on_rq = false;
	}
	return t;
}

/* Make @cpu schedule soon. Called with its run queue locked. */
static void kick(unsigned int cpu)
{
	if (cpu == smp_processor_id())
		runqueues[cpu].need_resched = true;
	else
		send_ipi_mask(cpumask_of(cpu), IPI_RESCHEDULE);
}

/* Queue a task that is on no queue and on no vCPU on @cpu. */
static void move_to(struct task *t, unsigned int cpu)
{
	struct runqueue *rq = &runqueues[cpu];
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	t->cpu = cpu;
	enqueue(rq, t);
	kick(cpu);
	spin_unlock_irqrestore(&rq->lock, flags);
}

static unsigned int first_allowed_cpu(const struct task *t)
{
	return cpumask_first(cpumask_and(t->allowed, cpus_online()));
}

/* Runs on the next task's stack with its run queue locked: completes the switch. */
static void finish_task_switch(struct task *prev)
{
	struct runqueue *rq = this_rq();
	bool migrate = prev->state == TASK_RUNNABLE && prev != rq->idle && !prev->on_rq;

	atomic_store_release(&prev->on_cpu, false);
	smp_mb();	/* on_cpu cleared before the joiner is read: see sched_wait() */
	spin_unlock(&rq->lock);
	if (migrate)
		move_to(prev, first_allowed_cpu(prev));
	else if (prev->state == TASK_DEAD && prev->reap)
		free_pages(prev, prev->pages);	/* off its stack now */
	else if (prev->state == TASK_DEAD && READ_ONCE(prev->joiner))
		wake_up(prev->joiner);
}

/*
 * Pick the next task and switch to it. Called with events masked and
 * rq->lock held; returns (in the same task, once it runs again) with the
 * lock released.
 */
static void __schedule(struct runqueue *rq)
{
	struct task *prev = rq->curr, *next;
	unsigned int cpu = smp_processor_id();

	rq->need_resched = false;
	prev->slice_ticks = 0;
	/* A task no longer allowed here is not queued: finish_task_switch() moves it. */
	if (prev != rq->idle && prev->state == TASK_RUNNABLE && cpumask_test(prev->allowed, cpu))
		enqueue(rq, prev);
	next = dequeue(rq);
	if (!next)
		next = rq->idle;
	if (next == prev) {
		spin_unlock(&rq->lock);
		return;
	}
	next->on_cpu = true;
	rq->curr = next;
	this_cpu()->current = next;
	rq->stats.switches++;
	prev = arch_switch_to(prev, next);
	finish_task_switch(prev);
}

void schedule(void)
{
	struct runqueue *rq;
	unsigned long flags = local_irq_save();

	rq = this_rq();
	spin_lock(&rq->lock);
	__schedule(rq);
	local_irq_restore(flags);
}

void yield(void)
{
	schedule();
}

void set_need_resched(void)
{
	this_rq()->need_resched = true;
}

void preempt_on_upcall_return(bool interrupted_events_enabled)
{
	struct runqueue *rq = this_rq();

	/* Never preempt a context that had events masked: it may hold a lock. */
	if (!rq->need_resched || !interrupted_events_enabled || !rq->curr)
		return;
	spin_lock(&rq->lock);
	if (rq->curr != rq->idle)
		rq->stats.preemptions++;
	__schedule(rq);
}

void sched_tick(void)
{
	struct runqueue *rq = this_rq();
	uint64_t now = xen_system_time_ns();
	struct task **link;

	if (!rq->curr)
		return;		/* the scheduler is not running here yet */
	spin_lock(&rq->lock);
	for (link = &rq->sleepers; *link;) {
		struct task *t = *link;

		if (t->wake_at > now) {
			link = &t->sleep_next;
			continue;
		}
		*link = t->sleep_next;
		t->wake_at = 0;
		t->state = TASK_RUNNABLE;
		enqueue(rq, t);
	}
	if (rq->head && (rq->curr == rq->idle || ++rq->curr->slice_ticks >= SLICE_TICKS))
		rq->need_resched = true;
	spin_unlock(&rq->lock);
}

void wake_up(struct task *t)
{
	unsigned long flags = local_irq_save();
	struct runqueue *rq;

	/* t->cpu only changes under the lock of the queue it names. */
	for (;;) {
		unsigned int cpu = READ_ONCE(t->cpu);

		rq = &runqueues[cpu];
		spin_lock(&rq->lock);
		if (READ_ONCE(t->cpu) == cpu)
			break;
		spin_unlock(&rq->lock);
	}
	if (t->state == TASK_SLEEPING) {
		if (t->wake_at) {
			struct task **link = &rq->sleepers;

			while (*link != t)
				link = &(*link)->sleep_next;
			*link = t->sleep_next;
			t->wake_at = 0;
		}
		t->state = TASK_RUNNABLE;
		enqueue(rq, t);
		kick(t->cpu);
	}
	spin_unlock(&rq->lock);
	local_irq_restore(flags);
}

void sleep_ns(uint64_t ns)
{
	unsigned long flags = local_irq_save();
	struct runqueue *rq = this_rq();
	struct task *t = current_task();

	spin_lock(&rq->lock);
	t->wake_at = xen_system_time_ns() + ns;
	t->state = TASK_SLEEPING;
	t->sleep_next = rq->sleepers;
	rq->sleepers = t;
	__schedule(rq);
	local_irq_restore(flags);
}

int sched_setaffinity(cpumask_t mask)
{
	struct task *t = current_task();

	if (cpumask_empty(cpumask_and(mask, cpus_online())))
		return -XEN_EINVAL;
	WRITE_ONCE(t->allowed, mask);
	if (!cpumask_test(mask, smp_processor_id()))
		schedule();	/* leaves this vCPU: see __schedule() */
	return 0;
}

/* The system call, with Linux's arguments: bits past the MAX_VCPUS that pvmm keeps are ignored. */
long sys_sched_setaffinity(unsigned long pid, unsigned long len, unsigned long umask)
{
	cpumask_t mask = CPUMASK_NONE;

	if (pid)
		return -XEN_ESRCH;	/* only the caller itself */
	if (!len || len % sizeof(uint64_t))
		return -XEN_EINVAL;
	if (len > sizeof(mask))
		len = sizeof(mask);
	if (!user_range_ok(umask, len) || copy_from_user(&mask, umask, len))
		return -XEN_EFAULT;
	return sched_setaffinity(mask);
}

struct task *task_alloc(const char *name, void (*fn)(void *), void *arg)
{
	struct task *t = alloc_pages(KTHREAD_PAGES);

	if (!t)
		return NULL;
	t->id = atomic_fetch_add(&last_task_id, 1) + 1;
	t->name = name;
	t->state = TASK_RUNNABLE;
	t->fn = fn;
	t->arg = arg;
	t->pages = KTHREAD_PAGES;
	t->kstack_top = (unsigned long)t + KTHREAD_PAGES * PAGE_SIZE;
	arch_task_init(t, (void *)t->kstack_top);
	return t;
}

void task_start_on(struct task *t, unsigned int cpu, cpumask_t allowed)
{
	t->allowed = allowed;
	move_to(t, cpu);
}

/* Where a new task starts (from arch code), on its own stack. */
void task_start(struct task *prev)
{
	struct task *t;

	finish_task_switch(prev);
	local_irq_enable();
	t = current_task();
	t->fn(t->arg);
	task_exit();
}

struct task *kthread_create(const char *name, void (*fn)(void *), void *arg, unsigned int cpu)
{
	struct task *t;

	if (!cpu_online(cpu))
		return NULL;
	t = task_alloc(name, fn, arg);
	if (t)
		task_start_on(t, cpu, cpumask_of(cpu));
	return t;
}

void task_exit(void)
{
	struct runqueue *rq;

	local_irq_disable();
	rq = this_rq();
	spin_lock(&rq->lock);
	current_task()->state = TASK_DEAD;
	__schedule(rq);
	panic("task %u ran again after it exited", current_task()->id);
}

void sched_wait(bool (*done)(void *), void *arg, struct task **slot)
{
	struct task *me = current_task();

	for (;;) {
		unsigned long flags = local_irq_save();
		struct runqueue *rq = this_rq();

		spin_lock(&rq->lock);
		me->state = TASK_SLEEPING;
		/* Published before the check; the waker makes @done hold, then reads the slot. */
		__atomic_store_n(slot, me, __ATOMIC_SEQ_CST);
		if (done(arg)) {
			me->state = TASK_RUNNABLE;
			spin_unlock(&rq->lock);
			local_irq_restore(flags);
			return;
		}
		__schedule(rq);
		local_irq_restore(flags);
	}
}

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

static bool task_gone(void *task)
{
	struct task *t = task;

	return atomic_load_acquire(&t->state) == TASK_DEAD && !atomic_load_acquire(&t->on_cpu);
}

void kthread_join(struct task *t)
{
	sched_wait(task_gone, t, &t->joiner);
	free_pages(t, t->pages);
}

static void idle_loop(void *unused)
{
	struct runqueue *rq = this_rq();

	for (;;) {
		local_irq_disable();
		if (READ_ONCE(rq->head)) {
			spin_lock(&rq->lock);
			__schedule(rq);
		} else {
			/* Unmasks and blocks atomically: a wake-up IPI cannot be missed. */
			block_until_event();
		}
	}
}

void cpu_idle(void)
{
	unsigned int cpu = smp_processor_id();
	struct runqueue *rq = this_rq();
	struct task *t = &secondary_idle[cpu];

	t->name = "idle";
	t->cpu = cpu;
	t->allowed = cpumask_of(cpu);
	t->state = TASK_RUNNABLE;
	t->on_cpu = true;
	rq->idle = rq->curr = t;
	this_cpu()->current = t;
	idle_loop(NULL);
	__builtin_unreachable();
}

void sched_init(void)
{
	struct runqueue *rq = this_rq();

	boot_task.allowed = cpumask_first_n(MAX_VCPUS);
	rq->curr = &boot_task;
	this_cpu()->current = &boot_task;
	rq->idle = task_alloc("idle", idle_loop, NULL);
	if (!rq->idle)
		panic("no memory for the boot vCPU's idle task");
	rq->idle->allowed = cpumask_of(0);
}

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
