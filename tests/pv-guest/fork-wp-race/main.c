/*
 * fork-wp-race: a thread of a process writes a counter on vCPU 1 while the
 * main thread forks on vCPU 0 (program.c): the child must see a value
 * from before fork returned, never a later one. fork write-protects the
 * parent's pages in flushed chunks before it returns (xen/pv-mmu/mm.c,
 * docs/tlb.md "Copy-on-write"). In check mode each chunk's flush must
 * reach every holder of the parent; inject=no-fork-flush leaves it out,
 * and check mode names the vCPUs it missed (the child's view does not
 * show it: Xen's flush at the child's first load, before fork returns in
 * the parent, wipes the writer's stale entry).
 */
#include <asm/smp.h>
#include "user_util.h"

static void fork_wp_race(void)
{
	unsigned long base = pages_in_use();
	unsigned long rounds = test_option_ulong("rounds", 50);
	int status;

	if (nr_cpus < 2)
		test_error("needs 2 vCPUs, has %u", nr_cpus);
	status = run_program("fork-wp-race", rounds, 0);
	printk("rounds=%lu\nexit_status=%d\n", rounds, status);
	test_check(status == 0, "the program exited with %d: %s", status,
		   status == 3 ? "a child saw a write from after fork returned" : "a call failed");
	check_pages_back(base, "the program");
}

static const char *const fork_wp_race_options[] = { "rounds", NULL };

REGISTER_TEST(fork_wp_race, "fork-wp-race",
	.description = "a write on another vCPU after fork returned never reaches the child",
	.options = fork_wp_race_options,
	.run = fork_wp_race,
);
