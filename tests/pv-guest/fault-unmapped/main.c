/*
 * fault-unmapped: a test of the harness itself. The guest reads an address
 * nothing maps; the fault report must name that address and the run must
 * end in FAILURE. The runner compares fault_expected_address with the
 * address in the report.
 */
#include <asm/page_alloc.h>
#include <asm/direct_map.h>
#include <asm/page.h>
#include <pvmm/test.h>

static void fault_unmapped(void)
{
	/* Just past the direct map, offset into the page so the whole address shows. */
	volatile unsigned long *p = pfn_to_virt(direct_map_pages()) + 0x128;

	printk("fault_expected_address=0x%016lx\n", (unsigned long)p);
	(void)*p;
	test_fail("read of unmapped address %p did not fault", p);
}

REGISTER_TEST(fault_unmapped, "fault-unmapped",
	.description = "touch an unmapped address: the fault report must name it",
	.run = fault_unmapped,
);
