/*
 * remote-munmap, remote-mprotect: after munmap (mprotect) returns on one
 * vCPU, a thread of the same process on another vCPU must fault on its
 * next access to the page (write, for mprotect). The remote program runs
 * the rounds and reports a stale access; inject=no-remote-flush shows the
 * test catches a missing remote flush.
 */
#include <asm/percpu.h>
#include <asm/smp.h>
#include "user_util.h"

static void remote(unsigned long mode)
{
	unsigned long base = pages_in_use();
	unsigned long rounds = test_option_ulong("rounds", 1000);
	int status;

	if (nr_cpus < 2) {
		test_skip("needs at least 2 vCPUs, has %u", nr_cpus);
		return;
	}
	status = run_program("remote", rounds * 2 + mode, 0);
	printk("rounds=%lu\nexit_status=%d\nipis_sent=%lu\n", rounds, status, ipis_sent_all());
	test_check(status == 0, "remote exited with %d: %s", status,
		   status == 3 ? "an access after the call returned did not fault" : "it failed");
	check_pages_back(base, "remote");
}

static void remote_munmap(void)
{
	remote(0);
}

static void remote_mprotect(void)
{
	remote(1);
}

static const char *const remote_options[] = { "rounds", NULL };

REGISTER_TEST(remote_munmap,
	.name = "remote-munmap",
	.description = "an access on another vCPU after munmap returned faults",
	.options = remote_options,
	.run = remote_munmap,
);

REGISTER_TEST(remote_mprotect,
	.name = "remote-mprotect",
	.description = "a write on another vCPU after mprotect(READ) returned faults",
	.options = remote_options,
	.run = remote_mprotect,
);
