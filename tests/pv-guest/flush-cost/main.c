/*
 * flush-cost: a flush of an mm loaded on k of N vCPUs costs one hypercall
 * for every k (the program checks each operation), lazily loaded or not.
 * Under lazy=leave the first flush also asks the lazy holders to leave
 * for init_mm, and later flushes leave them out; the IPIs that costs are
 * printed for comparison. The test meters each munmap or
 * mprotect chunk between its hook points and tells the program, which
 * asks with PVMM_SYS_test_call (calls.h).
 */
#include <xen/errno.h>
#include <hypercall/meter.h>
#include <asm/smp.h>
#include <pv-mmu/seam.h>
#include <pv-mmu/tlb.h>
#include <pvmm/sched.h>
#include "calls.h"
#include "user_util.h"

/* Per vCPU: the chunk being metered, then the last one's figures. */
static struct {
	struct hypercall_meter meter;
	unsigned long hypercalls;
	cpumask_t remote;
} __attribute__((aligned(64))) last_op[MAX_VCPUS];

static void on_range(const struct mmu_hook_event *e)
{
	unsigned int cpu = smp_processor_id();

	if (e->point == MMU_HOOK_RANGE_BEGIN) {
		meter_begin(&last_op[cpu].meter);
	} else if (e->point == MMU_HOOK_RANGE_END) {
		meter_end(&last_op[cpu].meter);
		last_op[cpu].hypercalls = last_op[cpu].meter.calls;
		last_op[cpu].remote = e->cpus;
	}
}

static cpumask_t lazy_holders(const struct mm *mm)
{
	cpumask_t lazy = CPUMASK_NONE;
	unsigned int cpu;

	for_each_cpu(cpu, mm_holders(mm))
		if (READ_ONCE(tlb_state_of(cpu)->is_lazy))
			cpumask_set(&lazy, cpu);
	return lazy;
}

static long answer(unsigned long op, unsigned long arg)
{
	unsigned int cpu = smp_processor_id();

	switch (op) {
	case LAZY_HOLDERS:
		return lazy_holders(current_task()->mm).bits[0];
	case LAST_OP_HYPERCALLS:
		return last_op[cpu].hypercalls;
	case LAST_OP_REMOTE:
		return last_op[cpu].remote.bits[0];
	default:
		return -XEN_EINVAL;
	}
}

static void flush_cost(void)
{
	unsigned long sent;
	int status;

	if (!mmu_hook_add(on_range))
		test_error("no room for another MMU hook");
	status = run_program("flush-cost", mmu_lazy_leave(), 0);
	sent = ipis_sent_all();
	printk("vcpus=%u\nlazy_policy=%s\nipis_sent=%lu\n", nr_cpus,
	       mmu_lazy_leave() ? "leave" : "flush", sent);
	test_check(status == 0, "the program exited with %d", status);
}

REGISTER_TEST(flush_cost, "flush-cost",
	.description = "one hypercall per flush, whatever the number of vCPUs holding the mm",
	.run = flush_cost,
	.user_call = answer,
);
