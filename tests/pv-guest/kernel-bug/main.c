/*
 * kernel-bug: a test of the harness itself. The guest trips a BUG_ON() on
 * purpose; it must print the condition, file and line on a BUG: line, the
 * call stack, and end in FAILURE, and the runner must see a kernel bug.
 */
#include <asm/smp.h>
#include <pvmm/bug.h>
#include <pvmm/test.h>

static void kernel_bug(void)
{
	BUG_ON(nr_cpus > 0);
	test_fail("BUG_ON() of a true condition returned");
}

REGISTER_TEST(kernel_bug, "kernel-bug",
	.description = "trip a BUG_ON(): the runner must report a kernel bug",
	.run = kernel_bug,
);
