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
 *
 * Tasks go only to active vCPUs (<asm/smp.h>): whoever queues a task on a
 * vCPU checks that it is active under that vCPU's queue lock, and a vCPU
 * that stops being active sends its tasks away under the same lock
 * (sched_send_tasks_away()), so no task is left on a vCPU going offline.
 */
#include <pvmm/sched.h>
#include <pvmm/spinlock.h>
#include <pvmm/bug.h>
#include <pvmm/lib.h>
#include <asm/ipi.h>
#include <asm/page_alloc.h>
#include <asm/page.h>
#include <asm/time.h>
#include <asm/switch.h>
#include <pvmm/hotplug.h>
#include "sched_rq.h"

#define SLICE_TICKS	2	/* 20 ms */
/*
 * Idle ticks, in a row, with nothing queued or asleep here, after which
 * the tick slows (<asm/time.h>). Not the first: a vCPU that idles between
 * the two ends of a pipe round trip would slow its tick and pay a
 * hypercall to speed it up at its next switch.
 */
#define IDLE_TICKS_BEFORE_SLOW	5	/* 50 ms */

struct runqueue runqueues[MAX_VCPUS];
static struct task boot_task = { .name = "init", .state = TASK_RUNNABLE, .on_cpu = true };
static struct task secondary_idle[MAX_VCPUS];

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

/* Both queues' locks, in index order: migrations go both ways. */
static void lock_two(unsigned int a, unsigned int b)
{
	spin_lock(&runqueues[a < b ? a : b].lock);
	if (a != b)
		spin_lock(&runqueues[a < b ? b : a].lock);
}

static void unlock_two(unsigned int a, unsigned int b)
{
	if (a != b)
		spin_unlock(&runqueues[b].lock);
	spin_unlock(&runqueues[a].lock);
}

/*
 * The vCPU @t goes to: the first active one it is allowed on. A task
 * allowed only on vCPUs that have gone offline may run anywhere from now
 * on, as in Linux (select_fallback_rq()), rather than nowhere. @t is not
 * running, so nobody else writes its mask.
 */
static unsigned int select_cpu(struct task *t)
{
	cpumask_t allowed = cpumask_and(t->allowed, cpus_active());

	if (cpumask_empty(allowed)) {
		printk("sched: task %u (%s) was allowed only on offline vCPUs: it may now run on any\n",
		       t->id, t->name);
		t->allowed = cpumask_first_n(MAX_VCPUS);
		allowed = cpus_active();
	}
	return cpumask_first(allowed);
}

/*
 * Queue a runnable task that is on no queue and on no vCPU, on @cpu or,
 * if @cpu is not active, where select_cpu() says. t->cpu changes with
 * both the old and the new queue locked: a waker that locked the old one
 * sees the move complete, never a task that has run and slept since.
 */
static void move_to(struct task *t, unsigned int cpu)
{
	unsigned long flags = local_irq_save();
	unsigned int from;

	for (;;) {
		from = READ_ONCE(t->cpu);
		lock_two(from, cpu);
		if (t->cpu == from && cpu_active(cpu))
			break;
		unlock_two(from, cpu);
		if (!cpu_active(cpu))
			cpu = select_cpu(t);
	}
	t->cpu = cpu;
	enqueue(&runqueues[cpu], t);
	kick(cpu);
	unlock_two(from, cpu);
	local_irq_restore(flags);
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
		move_to(prev, select_cpu(prev));
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
	/*
	 * A task no longer allowed here, or on a vCPU no longer active, is not
	 * queued: finish_task_switch() moves it. An inactive vCPU runs its idle
	 * task, which sends the queue away and takes the vCPU offline.
	 */
	if (prev != rq->idle && prev->state == TASK_RUNNABLE && cpumask_test(prev->allowed, cpu) &&
	    cpu_active(cpu))
		enqueue(rq, prev);
	next = cpu_active(cpu) ? dequeue(rq) : NULL;
	if (!next)
		next = rq->idle;
	if (next == prev) {
		spin_unlock(&rq->lock);
		return;
	}
	/*
	 * A task switched to has its context saved: it switched out (on_cpu
	 * cleared after) or never ran. One still marked on a vCPU would resume
	 * from a stale context; say so rather than jump into it.
	 */
	if (unlikely(atomic_load_acquire(&next->on_cpu)))
		panic("sched: vCPU %u switching from task %u (%s) to task %u (%s), still marked running",
		      cpu, prev->id, prev->name, next->id, next->name);
	next->on_cpu = true;
	/* A task runs with the 10 ms tick: its slice, and its timed sleeps, need it. */
	if (next != rq->idle) {
		rq->idle_ticks = 0;
		tick_keep_pace();
	}
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

bool sched_tick(void)
{
	struct runqueue *rq = this_rq();
	uint64_t now = xen_system_time_ns();
	struct task **link;
	bool needed;

	if (!rq->curr)
		return true;	/* the scheduler is not running here yet */
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
	if (rq->curr != rq->idle || rq->head || rq->sleepers)
		rq->idle_ticks = 0;
	else if (rq->idle_ticks < IDLE_TICKS_BEFORE_SLOW)
		rq->idle_ticks++;
	needed = rq->idle_ticks < IDLE_TICKS_BEFORE_SLOW;
	spin_unlock(&rq->lock);
	return needed;
}

void wake_up(struct task *t)
{
	unsigned long flags = local_irq_save();
	bool elsewhere = false;
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
		/* It slept on a vCPU that has gone offline since: queue it elsewhere. */
		elsewhere = !cpu_active(t->cpu);
		if (!elsewhere) {
			enqueue(rq, t);
			kick(t->cpu);
		}
	}
	spin_unlock(&rq->lock);
	if (elsewhere)
		move_to(t, select_cpu(t));
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

static void idle_loop(void *unused)
{
	struct runqueue *rq = this_rq();

	for (;;) {
		local_irq_disable();
		if (!cpu_active(smp_processor_id())) {
			cpu_go_offline();	/* returns once the vCPU is back */
			local_irq_enable();
		} else if (READ_ONCE(rq->head)) {
			spin_lock(&rq->lock);
			__schedule(rq);
		} else {
			/* Sleepers sent here from a vCPU going offline need the tick. */
			if (READ_ONCE(rq->sleepers))
				tick_keep_pace();
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

/* This vCPU's first timed sleeper to where select_cpu() says, still asleep; false if none. */
static bool send_sleeper_away(unsigned int self)
{
	struct runqueue *rq = &runqueues[self];
	struct task *t;
	unsigned int to;

	spin_lock(&rq->lock);
	t = rq->sleepers;
	to = t ? select_cpu(t) : self;
	spin_unlock(&rq->lock);
	if (!t)
		return false;
	lock_two(self, to);
	/* Unless a waker took it meanwhile: then the next call looks at the next one. */
	if (rq->sleepers == t && cpu_active(to)) {
		rq->sleepers = t->sleep_next;
		t->sleep_next = runqueues[to].sleepers;
		runqueues[to].sleepers = t;
		t->cpu = to;
		kick(to);	/* its idle task may have slowed the tick it now needs */
	}
	unlock_two(self, to);
	return true;
}

void sched_send_tasks_away(void)
{
	unsigned int self = smp_processor_id();
	struct runqueue *rq = this_rq();
	struct task *t;

	BUG_ON(cpu_active(self));
	/* Nothing joins either list now: queuing here needs the vCPU active. */
	while (send_sleeper_away(self))
		;
	for (;;) {
		spin_lock(&rq->lock);
		t = dequeue(rq);
		spin_unlock(&rq->lock);
		if (!t)
			break;
		move_to(t, select_cpu(t));
	}
}
