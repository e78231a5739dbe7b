/*
 * smoke: the guest boots, its memory and events work, and the hypercall
 * counters count exactly the calls made.
 */
#include <hypercall/hypercall.h>
#include <asm/events.h>
#include <asm/page_alloc.h>
#include <asm/direct_map.h>
#include <asm/page.h>
#include <asm/time.h>
#include <pvmm/test.h>

static void check_memory(void)
{
	unsigned long before = pages_free();
	unsigned long *page = alloc_page();

	printk("pages_total=%lu\npages_free=%lu\ndirect_map_pages=%lu\n",
	       pages_total(), before, direct_map_pages());
	test_check(direct_map_pages() == start_info->nr_pages,
		   "direct map covers %lu of %lu pages", direct_map_pages(), start_info->nr_pages);
	if (!test_check(page != NULL, "no page to allocate"))
		return;
	test_check(page[0] == 0 && page[PAGE_SIZE / sizeof(*page) - 1] == 0, "page not zeroed");
	page[0] = 0x5a5a5a5a;	/* writable */
	test_check(pages_free() == before - 1, "free count %lu after one allocation from %lu",
		   pages_free(), before);
	free_page(page);
	test_check(pages_free() == before, "free count %lu, expected %lu", pages_free(), before);
}

/* The timer delivers events while the vCPU blocks in Xen. */
static void check_timer(unsigned long ticks)
{
	unsigned long start = this_cpu()->timer_ticks;
	uint64_t t0 = xen_system_time_ns();

	local_irq_disable();
	while (this_cpu()->timer_ticks - start < ticks)
		block_until_event();
	local_irq_enable();
	printk("timer_ticks=%lu\nblocked_ns=%llu\n", this_cpu()->timer_ticks - start,
	       (unsigned long long)(xen_system_time_ns() - t0));
	test_check(xen_system_time_ns() > t0, "system time did not advance");
}

/*
 * A known set of calls, with events masked so that no upcall adds its own:
 * the counters must move by exactly these and nothing else.
 */
static void check_counters(void)
{
	struct hypercall_counts before, after, delta, expect = { 0 };
	struct mmuext_op ops[2] = {
		{ .cmd = MMUEXT_TLB_FLUSH_LOCAL },
		{ .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = (unsigned long)start_info },
	};
	struct mmuext_op flush = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
	multicall_entry_t mc[2];
	unsigned long flags = local_irq_save();
	long rc;

	for (int i = 0; i < 2; i++)
		mc[i] = (multicall_entry_t){
			.op = __HYPERVISOR_mmuext_op,
			.args = { (unsigned long)&flush, 1, 0, DOMID_SELF },
		};

	hypercall_counts_snapshot(&before);
	for (int i = 0; i < 3; i++) {
		rc = HYPERVISOR_xen_version(XENVER_version, NULL);
		if (rc < 0)
			report_hypercall_failure("xen_version", rc, "XENVER_version, NULL");
	}
	rc = HYPERVISOR_mmuext_op(ops, 2, NULL, DOMID_SELF);
	if (rc)
		report_hypercall_failure("mmuext_op", rc, "TLB_FLUSH_LOCAL + INVLPG_LOCAL, count=2");
	rc = HYPERVISOR_multicall(mc, 2);
	if (rc || multicall_first_failure(mc, 2) >= 0)
		report_hypercall_failure("multicall", rc ? rc : (long)mc[multicall_first_failure(mc, 2)].result,
					 "2 x mmuext_op(TLB_FLUSH_LOCAL)");
	hypercall_counts_snapshot(&after);
	local_irq_restore(flags);

	expect.call[__HYPERVISOR_xen_version] = 3;
	expect.call[__HYPERVISOR_mmuext_op] = 1;
	expect.call[__HYPERVISOR_multicall] = 1;
	expect.mc_entry[__HYPERVISOR_mmuext_op] = 2;
	expect.mmuext[MMUEXT_TLB_FLUSH_LOCAL] = 3;
	expect.mmuext[MMUEXT_INVLPG_LOCAL] = 1;
	hypercall_counts_delta(&before, &after, &delta);
	if (!test_check(!memcmp(&delta, &expect, sizeof(delta)), "counters moved by:")) {
		hypercall_counts_print("  counted.", &delta);
		hypercall_counts_print("  expected.", &expect);
	}
}

static void smoke(void)
{
	check_memory();
	check_timer(test_option_ulong("ticks", 3));
	check_counters();

	test_print_counters();
}

static const char *const smoke_options[] = { "ticks", NULL };

REGISTER_TEST(smoke, "smoke",
	.description = "boot, memory, timer events and exact hypercall counting",
	.options = smoke_options,
	.run = smoke,
);
