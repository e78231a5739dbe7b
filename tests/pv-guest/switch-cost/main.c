/*
 * switch-cost: what a context switch between two kernel threads asks of
 * Xen. Two threads pinned to one vCPU hand the CPU to each other with
 * yield(), events masked so no tick adds calls of its own; that vCPU's
 * counters must not move: kernel threads share page tables, stack segment
 * and segment bases, so there is nothing to tell Xen.
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

static void ping_pong(void *first)
{
	unsigned long flags = local_irq_save();

	if (first) {
		meter_begin(&meter);
		sched_stats_this_cpu(&stats_before);
	}
	for (unsigned long i = 0; i < switches_wanted / 2; i++)
		yield();
	if (first) {
		meter_end(&meter);
		sched_stats_this_cpu(&stats_after);
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
	test_check(meter.calls == 0, "%lu hypercalls for %lu kernel-thread switches", meter.calls,
		   switches);
}

static const char *const switch_cost_options[] = { "switches", NULL };

REGISTER_TEST(switch_cost, "switch-cost",
	.description = "a switch between kernel threads costs no hypercall",
	.options = switch_cost_options,
	.run = switch_cost,
);
