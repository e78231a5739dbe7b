/*
 * syscall-fuzz: a fuzzing process per vCPU (program.c), each with threads
 * of its own, makes system calls with hostile arguments while the others
 * do the same; run in check mode, every switch, flush and teardown checks
 * its invariants. The guest must not fault or hit a BUG (the runner's
 * kernel-bug check), every answer must be one the call can give, and every
 * page must come back. seed=S picks the streams (printed, to replay a
 * failure), calls=N the calls per main thread; calls_total is what every
 * thread of every fuzzer made (forked children's few aside).
 */
#include <xen/errno.h>
#include <asm/smp.h>
#include <pvmm/process.h>
#include "user_util.h"

#define MAX_CALLS	((1UL << 20) - 1)	/* what the program's argument holds */
#define FUZZ_CALLS_MADE	1	/* program.c's report of the calls its threads made */

static unsigned long calls_total;

static long answer(unsigned long op, unsigned long arg)
{
	if (op != FUZZ_CALLS_MADE)
		return -XEN_EINVAL;
	__atomic_fetch_add(&calls_total, arg, __ATOMIC_RELAXED);
	return 0;
}

static void syscall_fuzz(void)
{
	unsigned long seed = test_option_ulong("seed", 1);
	unsigned long calls = test_option_ulong("calls", 3000);
	unsigned long base = pages_in_use();
	int pid[MAX_VCPUS];

	if (calls > MAX_CALLS || seed >> 40)
		test_error("calls=%lu seed=%lu: at most %lu calls and a 40-bit seed", calls, seed,
			   MAX_CALLS);
	printk("seed=%lu\ncalls_per_thread=%lu\n", seed, calls);
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		pid[cpu] = process_spawn("syscall-fuzz", (seed + cpu) << 20 | calls, cpu);
		if (pid[cpu] < 0)
			test_error("cannot start the fuzzer on vCPU %u", cpu);
	}
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		int status = process_wait_spawned(pid[cpu]);

		test_check(status == 0, "the fuzzer started on vCPU %u (seed %lu) exited with %d", cpu,
			   seed + cpu, status);
	}
	printk("calls_total=%lu\n", calls_total);
	check_pages_back(base, "the fuzzers");
}

static const char *const syscall_fuzz_options[] = { "seed", "calls", NULL };

REGISTER_TEST(syscall_fuzz, "syscall-fuzz",
	.description = "system calls with hostile arguments from every vCPU, in check mode",
	.options = syscall_fuzz_options,
	.run = syscall_fuzz,
	.user_call = answer,
);
