/*
 * teardown-soak: a soak process per vCPU (program.c) while
 * kernel threads on every vCPU yield and sleep at random, borrowing
 * whatever mm is loaded. Run in check mode (check=1), every switch, flush
 * and teardown verifies its invariants; at the end every page is back.
 */
#include <asm/smp.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include "user_util.h"

static volatile bool stop;

static void interloper(void *arg)
{
	unsigned long seed = (unsigned long)arg * 2654435761UL + 1;

	while (!READ_ONCE(stop)) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		if (seed >> 62 == 0)
			sleep_ns((seed >> 40) % 2000000);
		else
			yield();
	}
}

static void teardown_soak(void)
{
	unsigned long lifetimes = test_option_ulong("lifetimes", 10000);
	unsigned long base = pages_in_use();
	struct task *k[MAX_VCPUS];
	int pid[MAX_VCPUS];

	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		k[cpu] = kthread_create("interloper", interloper, (void *)(unsigned long)cpu, cpu);
		pid[cpu] = process_spawn("teardown-soak", (lifetimes + nr_cpus - 1) / nr_cpus, cpu);
		if (!k[cpu] || pid[cpu] < 0)
			test_error("cannot start the soak on vCPU %u", cpu);
	}
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		int status = process_wait_spawned(pid[cpu]);

		test_check(status == 0, "the soak on vCPU %u exited with %d", cpu, status);
	}
	WRITE_ONCE(stop, true);
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		kthread_join(k[cpu]);
	printk("lifetimes=%lu\n", lifetimes);
	check_pages_back(base, "the soak");
}

static const char *const teardown_soak_options[] = { "lifetimes", NULL };

REGISTER_TEST(teardown_soak, "teardown-soak",
	.description = "processes forking, threading and exiting on all vCPUs, kernel threads between",
	.options = teardown_soak_options,
	.run = teardown_soak,
);
