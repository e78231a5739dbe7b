/*
 * fork-size: a fork of a 1,024-page process allocates tables and a task,
 * not copies (copy-on-write); every page comes back after.
 */
#include "user_util.h"

static void fork_size(void)
{
	run_expecting("fork-size", 0, 0, 0);
}

REGISTER_TEST(fork_size, "fork-size",
	.description = "a fork of a 1,024-page process allocates fewer than 32 pages",
	.run = fork_size,
);
