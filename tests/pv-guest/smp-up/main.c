/*
 * smp-up: every vCPU of the domain comes up and reports in from its own
 * context, with its own per-CPU area, vcpu_info, timer and IPI channel.
 */
#include <hypercall/hypercall.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <asm/events.h>
#include <pvmm/smp_call.h>
#include <pvmm/atomic.h>
#include <pvmm/sched.h>
#include <pvmm/test.h>

static cpumask_t reported;
static unsigned long ticks[MAX_VCPUS];

static void report_in(void *unused)
{
	unsigned int cpu = smp_processor_id();
	struct percpu *p = this_cpu();

	if (p != &percpu_areas[cpu] || p->self != p)
		test_fail("vCPU %u: per-CPU area %p, expected %p", cpu, p, &percpu_areas[cpu]);
	if (p->timer_port < 0 || p->ipi_port < 0)
		test_fail("vCPU %u: timer port %d, IPI port %d", cpu, p->timer_port, p->ipi_port);
	ticks[cpu] = p->timer_ticks;
	cpumask_set_atomic(&reported, cpu);
}

static void smp_up(void)
{
	unsigned long expected = test_option_ulong("vcpus", 0);
	cpumask_t all = cpumask_first_n(nr_cpus);
	char got[CPUMASK_FORMAT_SIZE], want[CPUMASK_FORMAT_SIZE];
	uint64_t deadline = xen_system_time_ns() + 10000000000ULL;	/* a guard, not a margin */
	unsigned int cpu;
	int ran;

	printk("nr_cpus=%u\nonline_mask=%s\n", nr_cpus, cpumask_format(got, sizeof(got), cpus_online()));
	test_check(!expected || nr_cpus == expected, "pvmm runs %u vCPUs, the test asked for %lu",
		   nr_cpus, expected);
	test_check(cpumask_equal(cpus_online(), all), "online %s, expected %s",
		   cpumask_format(got, sizeof(got), cpus_online()), cpumask_format(want, sizeof(want), all));

	/* Every vCPU's own tick must be running: wait until each has had one. */
	for_each_cpu(cpu, all)
		while (!READ_ONCE(percpu_areas[cpu].timer_ticks) && xen_system_time_ns() < deadline)
			yield();
	ran = smp_call_function_many(all, report_in, NULL, true);
	test_check(ran == (int)nr_cpus, "the call ran on %d vCPUs, expected %u", ran, nr_cpus);
	test_check(cpumask_equal(reported, all), "reported %s, expected %s",
		   cpumask_format(got, sizeof(got), reported), cpumask_format(want, sizeof(want), all));
	for_each_cpu(cpu, all)
		test_check(ticks[cpu] > 0, "vCPU %u has had no timer tick in 10 s", cpu);

	test_print_counters();
}

static const char *const smp_up_options[] = { "vcpus", NULL };

REGISTER_TEST(smp_up, "smp-up",
	.description = "every vCPU comes up and reports in",
	.options = smp_up_options,
	.run = smp_up,
);
