/* user-threads: the threads of one process, one per vCPU, share its memory. */
#include <asm/smp.h>
#include "user_util.h"

static void user_threads(void)
{
	printk("threads=%u\n", nr_cpus);
	run_expecting("user-threads", 0, 0, 0);
	test_print_counters();
}

REGISTER_TEST(user_threads, "user-threads",
	.description = "threads of one process on every vCPU share memory",
	.run = user_threads,
);
