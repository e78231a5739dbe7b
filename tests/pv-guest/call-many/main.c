/*
 * call-many: smp_call_function_many() runs the function on exactly the
 * online vCPUs of the mask, caller included or not, waiting or not; an
 * IPI to any number of vCPUs costs the caller one hypercall; offline vCPUs
 * are left out; a call from an event handler is refused.
 */
#include <xen/errno.h>
#include <hypercall/hypercall.h>
#include <hypercall/meter.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <asm/events.h>
#include <pvmm/smp_call.h>
#include <pvmm/atomic.h>
#include <pvmm/sched.h>
#include <pvmm/test.h>

static cpumask_t ran;
static int nested_rc[MAX_VCPUS];

static void mark(void *unused)
{
	atomic_fetch_or(&ran, cpumask_of(smp_processor_id()));
}

static void call_from_handler(void *unused)
{
	nested_rc[smp_processor_id()] = smp_call_function_single(0, mark, NULL, true);
	mark(NULL);
}

/* Wait (bounded) until @expect have run a call that was not waited for. */
static void wait_for(cpumask_t expect)
{
	uint64_t deadline = xen_system_time_ns() + 5000000000ULL;

	while (atomic_load_acquire(&ran) != expect && xen_system_time_ns() < deadline)
		cpu_relax();
}

static void check_call(const char *what, cpumask_t mask, bool wait)
{
	cpumask_t expect = mask & cpu_online_mask;
	cpumask_t remote = expect & ~cpumask_of(smp_processor_id());
	struct hypercall_meter m;
	unsigned long calls, flags;
	int rc;

	ran = 0;
	/* Events masked, so that a tick handled meanwhile adds no calls of its own. */
	flags = local_irq_save();
	meter_begin(&m);
	rc = smp_call_function_many(mask, mark, NULL, wait);
	meter_end(&m);
	local_irq_restore(flags);
	if (!wait)
		wait_for(expect);
	calls = m.calls;

	test_check(rc == (int)cpumask_weight(expect), "%s: returned %d, expected %u", what, rc,
		   cpumask_weight(expect));
	test_check(ran == expect, "%s: ran on 0x%llx, expected exactly 0x%llx", what,
		   (unsigned long long)ran, (unsigned long long)expect);
	/* One plain send or one multicall of sends: never one per target. */
	test_check(calls == (remote ? 1 : 0), "%s: %lu hypercalls for %u remote vCPUs", what,
		   calls, cpumask_weight(remote));
	printk("%s.hypercalls=%lu\n", what, calls);
}

static void call_many(void)
{
	cpumask_t all = cpumask_of(nr_cpus) - 1;
	cpumask_t odd = all & 0xaaaaaaaaaaaaaaaaULL;
	int rc;

	if (nr_cpus < 3) {
		test_skip("needs at least 3 vCPUs, has %u", nr_cpus);
		return;
	}
	check_call("all", all, true);
	check_call("all_nowait", all, false);
	check_call("others", all & ~1ULL, true);
	check_call("none", 0, true);
	check_call("self", 1, true);
	check_call("odd", odd, true);
	check_call("odd_and_self", odd | 1, true);
	check_call("odd_nowait", odd, false);
	check_call("with_offline", ~0ULL, true);

	rc = smp_call_function_single(nr_cpus, mark, NULL, true);
	test_check(rc == -XEN_ENXIO, "call to offline vCPU %u returned %d, expected -ENXIO", nr_cpus, rc);

	/* From an event handler (the IPI handler on vCPU 1): refused, not deadlocked. */
	ran = 0;
	nested_rc[1] = 1;
	rc = smp_call_function_single(1, call_from_handler, NULL, true);
	test_check(rc == 1 && nested_rc[1] == -XEN_EDEADLK,
		   "nested call from vCPU 1's handler returned %d, expected -EDEADLK", nested_rc[1]);
	test_check(ran == cpumask_of(1), "nested call: ran on 0x%llx, expected only vCPU 1",
		   (unsigned long long)ran);

	test_print_counters();
}

REGISTER_TEST(call_many, "call-many",
	.description = "smp_call_function_many to all, none, subsets, offline vCPUs, from a handler",
	.run = call_many,
);
