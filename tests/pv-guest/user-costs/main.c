/*
 * user-costs: what the MMU layer's common operations cost in hypercalls.
 *  - two processes taking turns on one vCPU: each switch between them is
 *    exactly one hypercall (CR3 and kernel stack in one multicall);
 *  - a process and a kernel thread taking turns: the switch to the kernel
 *    thread and the one back to the same process cost nothing;
 *  - fork+exit+wait and a 64-page mmap/touch/munmap, measured by the
 *    costs program (printed, not asserted: they include timer ticks).
 */
#include <asm/smp.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include "switch_stats.h"
#include "user_util.h"

#define ROUNDS 200

static void kthread_yielder(void *unused)
{
	for (int i = 0; i < ROUNDS; i++)
		yield();
}

static void user_costs(void)
{
	unsigned int cpu = nr_cpus - 1;
	struct switch_stats before, after, d;
	struct task *k;
	int a, b;

	switch_stats_start();
	/* Two processes, one vCPU. */
	before = switch_stats_of(cpu);
	a = process_spawn("yielder", ROUNDS, cpu);
	b = process_spawn("yielder", ROUNDS, cpu);
	test_check(process_wait_spawned(a) == 0 && process_wait_spawned(b) == 0, "a yielder failed");
	after = switch_stats_of(cpu);
	d = switch_stats_delta(&before, &after);
	switch_stats_print("two_processes", &d);
	test_check(d.mm_switches >= ROUNDS, "only %lu switches between the processes", d.mm_switches);
	test_check(d.mm_switch_hypercalls == d.mm_switches,
		   "%lu hypercalls for %lu switches between processes: one each expected",
		   d.mm_switch_hypercalls, d.mm_switches);

	/* A process and a kernel thread, one vCPU. */
	before = switch_stats_of(cpu);
	a = process_spawn("yielder", ROUNDS, cpu);
	k = kthread_create("kyielder", kthread_yielder, NULL, cpu);
	if (!k)
		test_error("no memory for a kernel thread");
	test_check(process_wait_spawned(a) == 0, "the yielder failed");
	kthread_join(k);
	after = switch_stats_of(cpu);
	d = switch_stats_delta(&before, &after);
	switch_stats_print("process_and_kthread", &d);
	test_check(d.to_kthread >= ROUNDS / 2 && d.to_kthread_hypercalls == 0,
		   "%lu hypercalls for %lu switches to a kernel thread: none expected",
		   d.to_kthread_hypercalls, d.to_kthread);
	test_check(d.same_mm >= ROUNDS / 2 && d.same_mm_hypercalls == 0,
		   "%lu hypercalls for %lu switches back to the same process: none expected",
		   d.same_mm_hypercalls, d.same_mm);

	test_check(run_program("user-costs", 0, cpu) == 0, "the user-costs program failed");
}

REGISTER_TEST(user_costs, "user-costs",
	.description = "hypercalls per process switch, kernel-thread round trip, fork, mmap",
	.run = user_costs,
);
