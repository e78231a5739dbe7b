/* user-threads: the threads of one process, one per vCPU, share its memory. */
#include <hypercall/hypercall.h>
#include <asm/smp.h>
#include "user_util.h"

static void user_threads(void)
{
	unsigned long base = pages_in_use();
	int status = run_program("threads", 0, 0);

	printk("threads=%u\nexit_status=%d\n", nr_cpus, status);
	test_check(status == 0, "threads exited with %d", status);
	check_pages_back(base, "threads");
	test_print_counters();
}

REGISTER_TEST(user_threads,
	.name = "user-threads",
	.description = "threads of one process on every vCPU share memory",
	.run = user_threads,
);
