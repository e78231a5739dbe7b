/*
 * Each (caller, target) pair owns one call_node, so a call needs no
 * allocation: the caller fills its node for each target, links it into the
 * target's queue and sends all the IPIs as one batch. The target unlinks
 * its queue, clears each node's busy flag once it no longer needs the node
 * (before running a call nobody waits for, after running one somebody
 * does) and, for waited calls, decrements the caller's counter.
 *
 * A vCPU going offline stops taking calls (smp_call_quiesce()): a caller
 * claims its node, then checks that the target is still online, and the
 * target clears its online bit, then waits for every node aimed at it to
 * be free, each with a full barrier between. Either the caller sees the
 * target offline and withdraws, or the target sees the claim and runs the
 * call before it goes.
 *
 * A caller waiting (for a busy node, or for its counter) keeps running its
 * own queue: two vCPUs calling each other with events masked would
 * otherwise wait for each other for ever. When the wait is long it sleeps
 * in Xen, woken by a kick from the target or by a call to it.
 */
#include <xen/errno.h>
#include <pvmm/smp_call.h>
#include <pvmm/lib.h>
#include <pvmm/bug.h>
#include <pvmm/spinlock.h>
#include <asm/ipi.h>
#include <asm/vcpu_wait.h>

struct call_node {
	struct call_node *next;
	smp_call_fn fn;
	void *info;
	unsigned int *remaining;	/* the caller's counter, when it waits */
	unsigned int caller;		/* the vCPU to kick once the node is done with */
	unsigned int busy;
};

struct call_queue {
	spinlock_t lock;
	struct call_node *head, **tail;
} __attribute__((aligned(64)));

static struct call_node call_nodes[MAX_VCPUS][MAX_VCPUS];	/* [caller][target] */
static struct call_queue call_queues[MAX_VCPUS];

static void call_queue_push(unsigned int cpu, struct call_node *node)
{
	struct call_queue *q = &call_queues[cpu];

	node->next = NULL;
	spin_lock(&q->lock);
	if (q->head)
		*q->tail = node;
	else
		q->head = node;
	q->tail = &node->next;
	spin_unlock(&q->lock);
}

void smp_call_handle_queue(void)
{
	struct call_queue *q = &call_queues[smp_processor_id()];
	unsigned long flags = spin_lock_irqsave(&q->lock);
	struct call_node *node = q->head;

	q->head = NULL;
	spin_unlock_irqrestore(&q->lock, flags);

	while (node) {
		struct call_node *next = node->next;
		smp_call_fn fn = node->fn;
		void *info = node->info;
		unsigned int *remaining = node->remaining;
		unsigned int caller = node->caller;

		/* Full barriers, then the kick: the caller may be asleep waiting (vcpu_wait.h). */
		if (!remaining) {
			(void)atomic_xchg(&node->busy, 0);
			vcpu_kick(caller);
		}
		fn(info);
		if (remaining) {
			atomic_store_release(&node->busy, 0);
			atomic_fetch_add(remaining, -1);
			vcpu_kick(caller);
		}
		node = next;
	}
}

/*
 * Wait until *@word is 0, running this vCPU's own calls meanwhile: spin a
 * while, then sleep in Xen until kicked or called (<asm/vcpu_wait.h>).
 */
static void wait_for_zero(const unsigned int *word)
{
	struct vcpu_wait w = VCPU_WAIT_INIT;

	while (atomic_load_acquire(word)) {
		smp_call_handle_queue();
		if (!vcpu_wait_spun(&w))
			continue;
		vcpu_sleep_prepare(WAKE_ON_KICK_OR_IPI);
		if (atomic_load_acquire(word))
			vcpu_sleep(WAKE_ON_KICK_OR_IPI);
		vcpu_sleep_finish();
	}
}

/*
 * Claim @self's free node for @cpu, fill it and link it into @cpu's queue;
 * the IPI is the caller's. False, with nothing queued, if @cpu has gone
 * offline: it left every mm first, so there is nothing there to run.
 */
static bool queue_call(unsigned int self, unsigned int cpu, smp_call_fn fn, void *info,
		       unsigned int *remaining)
{
	struct call_node *node = &call_nodes[self][cpu];

	(void)atomic_xchg(&node->busy, 1);	/* a full barrier: the claim, then the check */
	if (!cpu_online(cpu)) {
		atomic_store_release(&node->busy, 0);
		return false;
	}
	node->fn = fn;
	node->info = info;
	node->remaining = remaining;
	node->caller = self;
	if (remaining)
		atomic_fetch_add(remaining, 1);
	call_queue_push(cpu, node);
	return true;
}

int smp_call_function_many(cpumask_t mask, smp_call_fn fn, void *info, bool wait)
{
	unsigned int self = smp_processor_id(), cpu, remaining = 0;
	cpumask_t targets, queued = CPUMASK_NONE;
	unsigned long flags;

	if (in_interrupt()) {
		printk("smp_call_function: refused on vCPU %u: called from an event handler\n", self);
		return -XEN_EDEADLK;
	}
	flags = local_irq_save();
	mask = cpumask_and(mask, cpus_online());
	targets = cpumask_andnot(mask, cpumask_of(self));

	for_each_cpu(cpu, targets) {
		wait_for_zero(&call_nodes[self][cpu].busy);
		if (queue_call(self, cpu, fn, info, wait ? &remaining : NULL))
			cpumask_set(&queued, cpu);
	}
	send_ipi_mask(queued, IPI_CALL_FUNCTION);
	if (cpumask_test(mask, self)) {
		fn(info);
		cpumask_set(&queued, self);
	}
	if (wait)
		wait_for_zero(&remaining);
	local_irq_restore(flags);
	return cpumask_weight(queued);
}

cpumask_t smp_call_function_many_nowait(cpumask_t mask, smp_call_fn fn, void *info)
{
	unsigned int self = smp_processor_id(), cpu;
	unsigned long flags = local_irq_save();
	cpumask_t queued = CPUMASK_NONE;

	mask = cpumask_andnot(cpumask_and(mask, cpus_online()), cpumask_of(self));
	for_each_cpu(cpu, mask)
		if (!atomic_load_acquire(&call_nodes[self][cpu].busy) &&
		    queue_call(self, cpu, fn, info, NULL))
			cpumask_set(&queued, cpu);
	send_ipi_mask(queued, IPI_CALL_FUNCTION);
	local_irq_restore(flags);
	return queued;
}

int smp_call_function_single(unsigned int cpu, smp_call_fn fn, void *info, bool wait)
{
	if (!cpu_online(cpu))
		return -XEN_ENXIO;
	return smp_call_function_many(cpumask_of(cpu), fn, info, wait);
}

void smp_call_quiesce(void)
{
	unsigned int self = smp_processor_id();

	BUG_ON(cpu_online(self));
	smp_mb();	/* the online bit cleared, then the claims read: see the top */
	for (unsigned int caller = 0; caller < MAX_VCPUS; caller++)
		while (atomic_load_acquire(&call_nodes[caller][self].busy)) {
			smp_call_handle_queue();
			cpu_relax();
		}
}
