/*
 * user-costs: what the MMU layer's common operations cost in hypercalls.
 *  - two processes taking turns on one vCPU: each switch between them is
 *    exactly one hypercall (CR3 and kernel stack in one multicall);
 *  - a process and a kernel thread taking turns: the switch to the kernel
 *    thread and the one back to the same process cost nothing;
 *  - fork+exit+wait and a 64-page mmap/touch/munmap, measured by the
 *    costs program (printed, not asserted: they include timer ticks).
 */
#include <asm/switch.h>
#include <asm/smp.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include "user_util.h"

#define ROUNDS 200

static void kthread_yielder(void *unused)
{
	for (int i = 0; i < ROUNDS; i++)
		yield();
}

static struct switch_stats stats_delta(const struct switch_stats *a, const struct switch_stats *b)
{
	return (struct switch_stats){
		.mm_switches = b->mm_switches - a->mm_switches,
		.mm_switch_hypercalls = b->mm_switch_hypercalls - a->mm_switch_hypercalls,
		.same_mm = b->same_mm - a->same_mm,
		.same_mm_hypercalls = b->same_mm_hypercalls - a->same_mm_hypercalls,
		.to_kthread = b->to_kthread - a->to_kthread,
		.to_kthread_hypercalls = b->to_kthread_hypercalls - a->to_kthread_hypercalls,
	};
}

static void print_stats(const char *what, const struct switch_stats *d)
{
	printk("%s.mm_switches=%lu\n%s.mm_switch_hypercalls=%lu\n"
	       "%s.to_kthread=%lu\n%s.to_kthread_hypercalls=%lu\n"
	       "%s.same_mm=%lu\n%s.same_mm_hypercalls=%lu\n",
	       what, d->mm_switches, what, d->mm_switch_hypercalls, what, d->to_kthread, what,
	       d->to_kthread_hypercalls, what, d->same_mm, what, d->same_mm_hypercalls);
}

static void user_costs(void)
{
	unsigned int cpu = nr_cpus - 1;
	struct switch_stats before, after, d;
	struct task *k;
	int a, b;

	/* Two processes, one vCPU. */
	before = switch_stats[cpu];
	a = process_spawn("yielder", ROUNDS, cpu);
	b = process_spawn("yielder", ROUNDS, cpu);
	test_check(process_wait_spawned(a) == 0 && process_wait_spawned(b) == 0, "a yielder failed");
	after = switch_stats[cpu];
	d = stats_delta(&before, &after);
	print_stats("two_processes", &d);
	test_check(d.mm_switches >= ROUNDS, "only %lu switches between the processes", d.mm_switches);
	test_check(d.mm_switch_hypercalls == d.mm_switches,
		   "%lu hypercalls for %lu switches between processes: one each expected",
		   d.mm_switch_hypercalls, d.mm_switches);

	/* A process and a kernel thread, one vCPU. */
	before = switch_stats[cpu];
	a = process_spawn("yielder", ROUNDS, cpu);
	k = kthread_create("kyielder", kthread_yielder, NULL, cpu);
	if (!k)
		test_error("no memory for a kernel thread");
	test_check(process_wait_spawned(a) == 0, "the yielder failed");
	kthread_join(k);
	after = switch_stats[cpu];
	d = stats_delta(&before, &after);
	print_stats("process_and_kthread", &d);
	test_check(d.to_kthread >= ROUNDS / 2 && d.to_kthread_hypercalls == 0,
		   "%lu hypercalls for %lu switches to a kernel thread: none expected",
		   d.to_kthread_hypercalls, d.to_kthread);
	test_check(d.same_mm >= ROUNDS / 2 && d.same_mm_hypercalls == 0,
		   "%lu hypercalls for %lu switches back to the same process: none expected",
		   d.same_mm_hypercalls, d.same_mm);

	test_check(run_program("costs", 0, cpu) == 0, "the costs program failed");
}

REGISTER_TEST(user_costs,
	.name = "user-costs",
	.description = "hypercalls per process switch, kernel-thread round trip, fork, mmap",
	.run = user_costs,
);
