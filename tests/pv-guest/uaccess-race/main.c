/*
 * uaccess-race: a system call reads user memory that another thread of the
 * process unmaps at that very moment, thousands of times (program.c). The
 * kernel's copy faults and the exception table ends it: the call fails with
 * -EFAULT and the guest lives on. The test checks that the program only
 * ever got -EBUSY or -EFAULT, that some copies really were cut short by a
 * fault (the kernel's count of fixups: the race was landed), and that every
 * page came back.
 */
#include <asm/percpu.h>
#include <asm/smp.h>
#include "user_util.h"

static unsigned long fixups_so_far(void)
{
	unsigned long n = 0;

	for (unsigned int cpu = 0; cpu < MAX_VCPUS; cpu++)
		n += READ_ONCE(percpu_areas[cpu].uaccess_fixups);
	return n;
}

static void uaccess_race(void)
{
	unsigned long rounds = test_option_ulong("rounds", 2000);
	unsigned long fixups = fixups_so_far();

	if (nr_cpus < 2)
		test_error("needs 2 vCPUs, has %u", nr_cpus);
	run_expecting("uaccess-race", rounds, 0, 0);
	fixups = fixups_so_far() - fixups;
	printk("rounds=%lu\nuaccess_fixups=%lu\n", rounds, fixups);
	test_check(fixups > 0, "no user copy was cut short by a fault in %lu rounds", rounds);
}

static const char *const uaccess_race_options[] = { "rounds", NULL };

REGISTER_TEST(uaccess_race, "uaccess-race",
	.description = "a system call's user buffer unmapped under it: -EFAULT, never a dead guest",
	.options = uaccess_race_options,
	.run = uaccess_race,
);
