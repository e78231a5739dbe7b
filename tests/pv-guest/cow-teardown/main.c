/*
 * cow-teardown: processes sharing pages copy-on-write exit in every order,
 * child first or parent first, with threads breaking shares on other
 * vCPUs while the other side's teardown runs (program.c). Each process
 * sees its own data throughout, and every page comes back: each shared
 * page is freed once, with its last reference. Run in check mode. First,
 * a system call writes a buffer in a shared page (program-uaccess.c): the
 * kernel's copy breaks the share instead of failing with -EFAULT.
 * inject=no-fork-page-ref makes fork share pages without taking a
 * reference: the first teardown frees pages the other side still maps.
 */
#include <asm/smp.h>
#include "user_util.h"

static void cow_teardown(void)
{
	unsigned long base = pages_in_use();
	unsigned long rounds = test_option_ulong("rounds", 40);
	int status;

	if (nr_cpus < 2)
		test_error("needs 2 vCPUs, has %u", nr_cpus);
	/* A system call writing a buffer in a shared page breaks the share: no -EFAULT. */
	run_expecting("cow-teardown-uaccess", 0, 0, 0);
	status = run_program("cow-teardown", rounds, 0);
	printk("rounds=%lu\nexit_status=%d\n", rounds, status);
	test_check(status == 0, "the program exited with %d", status);
	check_pages_back(base, "the program");
}

static const char *const cow_teardown_options[] = { "rounds", NULL };

REGISTER_TEST(cow_teardown, "cow-teardown",
	.description = "processes sharing pages exit in every order: own data seen, every page back",
	.options = cow_teardown_options,
	.run = cow_teardown,
);
