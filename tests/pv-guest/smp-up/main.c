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
	atomic_fetch_or(&reported, cpumask_of(cpu));
}

static void smp_up(void)
{
	unsigned long expected = test_option_ulong("vcpus", 0);
	cpumask_t all = nr_cpus == 64 ? ~(cpumask_t)0 : cpumask_of(nr_cpus) - 1;
	unsigned int cpu;
	int ran;

	printk("nr_cpus=%u\nonline_mask=0x%llx\n", nr_cpus, (unsigned long long)cpu_online_mask);
	test_check(!expected || nr_cpus == expected, "Xen gave %u vCPUs, the test asked for %lu",
		   nr_cpus, expected);
	test_check(cpu_online_mask == all, "online 0x%llx, expected 0x%llx",
		   (unsigned long long)cpu_online_mask, (unsigned long long)all);

	/* Every vCPU's own tick must be running: wait for a few of ours first. */
	sleep_ns(50 * 1000000ULL);
	ran = smp_call_function_many(all, report_in, NULL, true);
	test_check(ran == (int)nr_cpus, "the call ran on %d vCPUs, expected %u", ran, nr_cpus);
	test_check(reported == all, "reported 0x%llx, expected 0x%llx",
		   (unsigned long long)reported, (unsigned long long)all);
	for_each_cpu(cpu, all)
		test_check(ticks[cpu] > 0, "vCPU %u has had no timer tick", cpu);

	test_print_counters();
}

static const char *const smp_up_options[] = { "vcpus", NULL };

REGISTER_TEST(smp_up, "smp-up",
	.description = "every vCPU comes up and reports in",
	.options = smp_up_options,
	.run = smp_up,
);
