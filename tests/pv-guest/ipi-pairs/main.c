/*
 * ipi-pairs: IPI round trips between every ordered pair of vCPUs. A kernel
 * thread pinned to each vCPU calls every other vCPU, waiting each time; the
 * callee counts the call in the (caller, callee) cell.
 */
#include <hypercall/hypercall.h>
#include <asm/smp.h>
#include <pvmm/smp_call.h>
#include <pvmm/atomic.h>
#include <pvmm/sched.h>
#include <pvmm/test.h>

static unsigned int calls[MAX_VCPUS][MAX_VCPUS];	/* [caller][callee] */
static unsigned long rounds;
static unsigned long sender_hypercalls[MAX_VCPUS];

static void pong(void *caller)
{
	atomic_fetch_add(&calls[(unsigned long)caller][smp_processor_id()], 1);
}

static void pinger(void *unused)
{
	unsigned int self = smp_processor_id();
	struct hypercall_counts before, after;
	unsigned long kicks = this_cpu()->kicks_sent;

	hypercall_counts_snapshot(&before);
	for (unsigned long r = 0; r < rounds; r++)
		for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
			int rc;

			if (cpu == self)
				continue;
			rc = smp_call_function_single(cpu, pong, (void *)(unsigned long)self, true);
			if (rc != 1)
				test_fail("vCPU %u -> %u: smp_call_function_single returned %d", self, cpu, rc);
		}
	hypercall_counts_snapshot(&after);
	/* Kicks to callers asleep in a wait (<asm/vcpu_wait.h>) are sends too, but no IPI. */
	sender_hypercalls[self] = after.call[__HYPERVISOR_event_channel_op] -
				  before.call[__HYPERVISOR_event_channel_op] -
				  (this_cpu()->kicks_sent - kicks);
}

static void ipi_pairs(void)
{
	struct task *threads[MAX_VCPUS];
	unsigned long sends = 0;

	rounds = test_option_ulong("rounds", 10);
	if (nr_cpus < 2) {
		test_skip("needs at least 2 vCPUs, has %u", nr_cpus);
		return;
	}
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		threads[cpu] = kthread_create("pinger", pinger, NULL, cpu);
		if (!threads[cpu])
			test_error("no memory for a kernel thread");
	}
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		kthread_join(threads[cpu]);

	for (unsigned int i = 0; i < nr_cpus; i++) {
		sends += sender_hypercalls[i];
		for (unsigned int j = 0; j < nr_cpus; j++)
			if (i != j && calls[i][j] != rounds)
				test_fail("vCPU %u -> %u: %u calls arrived, %lu sent", i, j, calls[i][j], rounds);
	}
	printk("round_trips=%lu\nipi_sends=%lu\n", rounds * nr_cpus * (nr_cpus - 1), sends);
	/*
	 * At most one send per call; fewer when a callee had not yet taken an
	 * earlier call's IPI, which then covers this one too.
	 */
	test_check(sends > 0 && sends <= rounds * nr_cpus * (nr_cpus - 1),
		   "%lu event channel sends for %lu calls", sends, rounds * nr_cpus * (nr_cpus - 1));
	test_print_counters();
}

static const char *const ipi_pairs_options[] = { "rounds", NULL };

REGISTER_TEST(ipi_pairs, "ipi-pairs",
	.description = "IPI round trips between every pair of vCPUs",
	.options = ipi_pairs_options,
	.run = ipi_pairs,
);
