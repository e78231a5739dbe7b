/*
 * flush-cost: a flush of an mm loaded on k of N vCPUs costs one hypercall
 * for every k (the flushcost program checks each operation), lazily
 * loaded or not. Under lazy=leave the lazy holders are sent to init_mm
 * instead; the IPIs that costs are printed for comparison.
 */
#include <asm/percpu.h>
#include <asm/smp.h>
#include <asm/tlb_check.h>
#include "user_util.h"

static void flush_cost(void)
{
	int status = run_program("flushcost", tlb_lazy_leave, 0);
	unsigned long sent = ipis_sent_all();

	printk("vcpus=%u\nlazy_policy=%s\nipis_sent=%lu\n", nr_cpus, tlb_lazy_leave ? "leave" : "flush",
	       sent);
	test_check(status == 0, "flushcost exited with %d", status);
}

REGISTER_TEST(flush_cost,
	.name = "flush-cost",
	.description = "one hypercall per flush, whatever the number of vCPUs holding the mm",
	.run = flush_cost,
);
