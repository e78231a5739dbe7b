/*
 * switch-cost: what a context switch between two kernel threads asks of
 * Xen. Two threads pinned to one vCPU hand the CPU to each other with
 * yield(), events masked so no tick adds calls of its own; that vCPU's
 * counters must not move: kernel threads share page tables, stack segment
 * and segment bases, so there is nothing to tell Xen.
 *
 * Hand-offs keep everything but switches out of the count: it starts once
 * both threads run (the test's own vCPU may still be queueing the second
 * one), and the second keeps events masked until the count has ended. It
 * once finished its half of the yields first and unmasked while the first
 * was still counting: a tick already pending came in (xen_version to take
 * it, its iret, the timer re-armed with vcpu_op), 3 calls no switch made.
 */
#include <hypercall/hypercall.h>
#include <hypercall/meter.h>
#include <asm/events.h>
#include <asm/smp.h>
#include <pvmm/sched.h>
#include <pvmm/test.h>

static unsigned long switches_wanted;
static struct hypercall_meter meter;
static struct sched_stats stats_before, stats_after;
static struct hypercall_counts counts_before, counts_after;
static unsigned int running;
static bool counted;

static void ping_pong(void *first)
{
	unsigned long flags = local_irq_save();

	__atomic_fetch_add(&running, 1, __ATOMIC_SEQ_CST);
	if (first) {
		/* Hand-off: the other thread is on this vCPU and running. */
		while (__atomic_load_n(&running, __ATOMIC_SEQ_CST) < 2)
			yield();
		hypercall_counts_snapshot(&counts_before);
		meter_begin(&meter);
		sched_stats_this_cpu(&stats_before);
	}
	for (unsigned long i = 0; i < switches_wanted / 2; i++)
		yield();
	if (first) {
		meter_end(&meter);
		hypercall_counts_snapshot(&counts_after);
		sched_stats_this_cpu(&stats_after);
		__atomic_store_n(&counted, true, __ATOMIC_SEQ_CST);
	} else {
		/* Hand-off: events stay masked here until the count has ended. */
		while (!__atomic_load_n(&counted, __ATOMIC_SEQ_CST))
			yield();
	}
	local_irq_restore(flags);
}

static void switch_cost(void)
{
	unsigned int cpu = nr_cpus - 1;
	struct task *a, *b;
	unsigned long switches;

	switches_wanted = test_option_ulong("switches", 1000);
	a = kthread_create("ping", ping_pong, (void *)1, cpu);
	b = kthread_create("pong", ping_pong, NULL, cpu);
	if (!a || !b)
		test_error("no memory for kernel threads");
	kthread_join(a);
	kthread_join(b);

	switches = stats_after.switches - stats_before.switches;
	printk("kthread_switches=%lu\nkthread_switch_hypercalls=%lu\n", switches, meter.calls);
	test_check(switches >= switches_wanted - 2, "only %lu switches for %lu yields", switches,
		   switches_wanted);
	if (!test_check(meter.calls == 0, "%lu hypercalls for %lu kernel-thread switches", meter.calls,
			switches)) {
		struct hypercall_counts delta;

		hypercall_counts_delta(&counts_before, &counts_after, &delta);
		hypercall_counts_print("measured_vcpu.", &delta);
	}
}

static const char *const switch_cost_options[] = { "switches", NULL };

REGISTER_TEST(switch_cost, "switch-cost",
	.description = "a switch between kernel threads costs no hypercall",
	.options = switch_cost_options,
	.run = switch_cost,
);
