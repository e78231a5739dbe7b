/*
 * cow-break-remote: a process and its forked child share a page; the
 * process breaks the share while one of its threads reads the page on
 * vCPU 1, then the child takes the old page over and writes it
 * (program.c). After the break the reader never sees the old page, nor
 * the child's data: the break flushes every holder of the process's mm
 * before the old page loses its reference (xen/pv-mmu/mm.c,
 * mm_break_cow()). inject=no-cow-flush leaves vCPU 1's stale entry.
 */
#include <asm/smp.h>
#include "user_util.h"

static void cow_break_remote(void)
{
	unsigned long base = pages_in_use();
	unsigned long rounds = test_option_ulong("rounds", 100);
	int status;

	if (nr_cpus < 2)
		test_error("needs 2 vCPUs, has %u", nr_cpus);
	status = run_program("cow-break-remote", rounds, 0);
	printk("rounds=%lu\nexit_status=%d\n", rounds, status);
	test_check(status == 0, "the program exited with %d: %s", status,
		   status == 3 ? "the reader saw a page it no longer maps" : "a call failed");
	check_pages_back(base, "the program");
}

static const char *const cow_break_remote_options[] = { "rounds", NULL };

REGISTER_TEST(cow_break_remote, "cow-break-remote",
	.description = "after a copy-on-write break, a thread on another vCPU never reads the old page",
	.options = cow_break_remote_options,
	.run = cow_break_remote,
);
