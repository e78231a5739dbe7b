/*
 * Tasks and the scheduler: one run queue per vCPU, round robin with a
 * 20 ms time slice, preemption when an event upcall returns to a context
 * that had events enabled, timed sleep, wake-up, CPU affinity, and an idle
 * task per vCPU that blocks in Xen. Kernel threads have no mm of their own.
 */
#ifndef PVMM_SCHED_H
#define PVMM_SCHED_H

#include <stdint.h>
#include <asm/smp.h>
#include <pvmm/spinlock.h>

enum task_state {
	TASK_RUNNABLE,
	TASK_SLEEPING,
	TASK_DEAD,
};

struct task {
	unsigned long rsp;		/* saved by switch_stacks(); must stay first */
	unsigned int id;
	const char *name;
	enum task_state state;
	unsigned int cpu;		/* the run queue it belongs to */
	cpumask_t allowed;		/* vCPUs it may run on */
	bool on_cpu;			/* running, or still switching away */
	bool on_rq;			/* waiting in a run queue */
	unsigned int slice_ticks;	/* timer ticks in its current slice */
	uint64_t wake_at;		/* for a timed sleep, else 0 */
	struct task *rq_next, *sleep_next;
	struct task *joiner;		/* a task waiting for this one to end */
	struct task *wq_next;		/* in the wait queue it waits on */
	struct task *wq_slot;		/* its sched_wait() slot while it does */
	void (*fn)(void *arg);
	void *arg;
	unsigned long pages;		/* the allocation holding task and stack */
	unsigned long kstack_top;	/* where Xen puts the frame on entry from user mode */
	struct mm *mm;			/* NULL for a kernel thread */
	struct process *proc;		/* NULL for a kernel thread */
	bool reap;			/* freed by the scheduler when it exits (nobody joins it) */
	unsigned long fault_entry;	/* user fault handler of this thread, or 0 */
	unsigned long fault_stack;
	unsigned long clear_child_tid;	/* CLONE_CHILD_CLEARTID: zeroed and woken at exit, or 0 */
	unsigned long set_child_tid;	/* CLONE_CHILD_SETTID: gets its tid before it first runs, or 0 */
	unsigned long fs_base;		/* its user FS base (TLS: arch_prctl), loaded by each switch to it */
	unsigned long sigmask;		/* rt_sigprocmask's blocked set (kernel/signal.c) */
	struct mm *borrowed_mm;		/* a kernel thread's declared borrow (kthread_borrow_mm()) */
};

struct sched_stats {
	unsigned long switches;		/* context switches */
	unsigned long preemptions;	/* of them, forced by the timer or an IPI */
};

static inline struct task *current_task(void)
{
	return this_cpu()->current;
}

/*
 * A kernel thread that means to reach @mm's user memory through the tables
 * its vCPU lazily keeps loaded says so (Linux's kthread_use_mm(), without
 * the switch: the borrow is the point). Its user copies then reach @mm while
 * this vCPU's loaded_mm and xen_mm are @mm, and fail with -EFAULT otherwise
 * (asm/uaccess.h); kthread_unborrow_mm() ends it.
 */
static inline void kthread_borrow_mm(struct mm *mm)
{
	current_task()->borrowed_mm = mm;
}

static inline void kthread_unborrow_mm(void)
{
	current_task()->borrowed_mm = NULL;
}

void sched_init(void);
/* Make the calling context this vCPU's idle task and run its idle loop. */
void cpu_idle(void) __attribute__((noreturn));
void schedule(void);
/* A new kernel thread running @fn(@arg) on @cpu, queued there. */
struct task *kthread_create(const char *name, void (*fn)(void *), void *arg, unsigned int cpu);
/* A new task, not yet queued (its creator fills in mm and proc): NULL if out of memory. */
struct task *task_alloc(const char *name, void (*fn)(void *), void *arg);
/* Queue a new task on @cpu, allowed on @allowed. */
void task_start_on(struct task *t, unsigned int cpu, cpumask_t allowed);
/*
 * Block until @done(@arg) holds. The waker makes it hold, then wakes the
 * task it finds in *@slot; this publishes itself there before each check.
 */
void sched_wait(bool (*done)(void *), void *arg, struct task **slot);
/* Tasks waiting for one event, any number of them (each has its own slot). */
struct wait_queue {
	spinlock_t lock;
	struct task *head;	/* linked through task->wq_next */
};

/* sched_wait() on a queue: block until @done(@arg) holds. */
void wait_queue_wait(struct wait_queue *q, bool (*done)(void *), void *arg);
/* Wake every task waiting on @q (after making what they wait for hold). */
void wake_up_all(struct wait_queue *q);
/* Wait until @t has ended, then free it. */
void kthread_join(struct task *t);
void task_exit(void) __attribute__((noreturn));
void sleep_ns(uint64_t ns);
void wake_up(struct task *t);
/*
 * On a vCPU no longer active, from its idle task: move every task queued
 * or in a timed sleep here to active vCPUs (<pvmm/hotplug.h>).
 */
void sched_send_tasks_away(void);
/* Move the calling task to the vCPUs of @mask: 0, or -XEN_EINVAL if none is active. */
int sched_setaffinity(cpumask_t mask);
void yield(void);

/* Called from event handlers. */
void set_need_resched(void);
/* The tick's work; false if this vCPU can take its ticks slowly from now on. */
bool sched_tick(void);
/* At the end of an event upcall: preempt if asked to and allowed to. */
void preempt_on_upcall_return(bool interrupted_events_enabled);

void sched_stats_this_cpu(struct sched_stats *out);
/* One line of this vCPU's scheduler state (debug dumps). */
void sched_dump_this_cpu(void);
void sched_stats_all(struct sched_stats *out);

#endif
