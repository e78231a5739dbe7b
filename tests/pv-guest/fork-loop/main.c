/*
 * fork-loop: a process forks, its child exits and it waits, 1,000 times;
 * the program checks the pages in use against its baseline every 100, and
 * this test checks that every page is back once the process is gone.
 */
#include "user_util.h"

static void fork_loop(void)
{
	run_expecting("fork-loop", test_option_ulong("iterations", 1000), 0, 0);
}

static const char *const fork_loop_options[] = { "iterations", NULL };

REGISTER_TEST(fork_loop, "fork-loop",
	.description = "1,000 fork/exit/wait with the page count checked every 100",
	.options = fork_loop_options,
	.run = fork_loop,
);
