/*
 * orphan-reap: grandchildren that outlive their parents, more of them than
 * the kernel has process slots; every fork must succeed (an orphan is
 * reaped when it exits) and every page come back.
 */
#include "user_util.h"

static void orphan_reap(void)
{
	run_expecting("orphan-reap", test_option_ulong("rounds", 300), 0, 0);
}

static const char *const orphan_reap_options[] = { "rounds", NULL };

REGISTER_TEST(orphan_reap, "orphan-reap",
	.description = "300 orphaned grandchildren, each reaped by the kernel when it exits",
	.options = orphan_reap_options,
	.run = orphan_reap,
);
