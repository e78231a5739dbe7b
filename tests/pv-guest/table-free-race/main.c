/*
 * table-free-race: munmap frees the page tables of a 2 MiB region while a
 * thread of the process on vCPU 1 keeps reading it, and the frames are
 * used again at once (program.c): every read after munmap returned must
 * fault, none may see the old page or the reused one. In check mode every
 * freed table must be empty and flushed from every vCPU that held the mm
 * when it was unlinked; inject=table-free-before-flush frees the tables
 * before the flush, and check mode reports vCPU 1.
 */
#include <asm/smp.h>
#include "user_util.h"

static void table_free_race(void)
{
	unsigned long base = pages_in_use();
	unsigned long rounds = test_option_ulong("rounds", 100);
	int status;

	if (nr_cpus < 2)
		test_error("needs 2 vCPUs, has %u", nr_cpus);
	status = run_program("table-free-race", rounds, 0);
	printk("rounds=%lu\nexit_status=%d\n", rounds, status);
	test_check(status == 0, "the program exited with %d: %s", status,
		   status == 3 ? "a read after munmap returned did not fault" : "a call failed");
	check_pages_back(base, "the program");
}

static const char *const table_free_race_options[] = { "rounds", NULL };

REGISTER_TEST(table_free_race, "table-free-race",
	.description = "a read after munmap freed the region's tables faults, never sees a reused frame",
	.options = table_free_race_options,
	.run = table_free_race,
);
