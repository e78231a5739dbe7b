/*
 * Tasks made and placed: kernel threads (a task with its own stack,
 * started on one vCPU, joined once it has exited) and the affinity a task
 * asks for itself (see <pvmm/sched.h>).
 */
#include <xen/errno.h>
#include <pvmm/sched.h>
#include <pvmm/atomic.h>
#include <asm/page_alloc.h>
#include <asm/page.h>
#include <asm/switch.h>

#define KTHREAD_PAGES	4	/* task struct at the bottom, stack above it */

static unsigned int last_task_id;

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

struct task *kthread_create(const char *name, void (*fn)(void *), void *arg, unsigned int cpu)
{
	struct task *t;

	if (!cpu_active(cpu))
		return NULL;
	t = task_alloc(name, fn, arg);
	if (t)
		task_start_on(t, cpu, cpumask_of(cpu));
	return t;
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

int sched_setaffinity(cpumask_t mask)
{
	struct task *t = current_task();

	if (cpumask_empty(cpumask_and(mask, cpus_active())))
		return -XEN_EINVAL;
	WRITE_ONCE(t->allowed, mask);
	if (!cpumask_test(mask, smp_processor_id()))
		schedule();	/* leaves this vCPU: see __schedule() */
	return 0;
}
