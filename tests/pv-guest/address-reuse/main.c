/*
 * address-reuse: a process maps a 1 GiB window at a new address, touches
 * one page and unmaps it, cycle after cycle (program.c). munmap frees the
 * page tables the touch made (xen/pv-mmu/range.c) and mmap reuses the
 * holes: pages in use stay flat through the cycles (the program checks
 * them every 1,000), and every page is back at the end. Run in check mode:
 * every freed table is verified empty and flushed from every holder.
 */
#include "user_util.h"

static void address_reuse(void)
{
	unsigned long base = pages_in_use();
	unsigned long cycles = test_option_ulong("cycles", 2000);
	int status = run_program("address-reuse", cycles, 0);

	printk("cycles=%lu\nexit_status=%d\n", cycles, status);
	test_check(status == 0, "the program exited with %d: %s", status,
		   status == 3 ? "pages in use grew across the cycles" :
		   status == 4 ? "mmap did not reuse the hole a munmap left" : "a call failed");
	check_pages_back(base, "the program");
}

static const char *const address_reuse_options[] = { "cycles", NULL };

REGISTER_TEST(address_reuse, "address-reuse",
	.description = "mapping and unmapping 1 GiB windows keeps the page count flat",
	.options = address_reuse_options,
	.run = address_reuse,
);
