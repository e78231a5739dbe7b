/*
 * remote-flush: after munmap (op=munmap) or mprotect(READ) (op=mprotect)
 * returns on one vCPU, a thread of the same process on another vCPU must
 * fault on its next access to the page (a write, for mprotect). pages=N
 * makes each call cover N pages (above 32: a full flush, TLB_FLUSH_MULTI;
 * above 64: several multicalls), the other thread touching the last. The
 * program runs the rounds and reports a stale access; inject=no-remote-flush
 * shows the test catches a missing remote flush.
 */
#include <asm/percpu.h>
#include <asm/smp.h>
#include "user_util.h"

static void remote_flush(void)
{
	unsigned long base = pages_in_use();
	unsigned long rounds = test_option_ulong("rounds", 1000);
	unsigned long pages = test_option_ulong("pages", 1);
	const char *op = "munmap";
	bool mprotect;
	int status;

	test_option("op", &op);
	if (strcmp(op, "munmap") && strcmp(op, "mprotect"))
		test_error("unknown op '%s'; valid: munmap, mprotect", op);
	mprotect = !strcmp(op, "mprotect");
	if (!pages || pages > 1023)
		test_error("pages=%lu: expected 1 to 1023", pages);
	if (nr_cpus < 2) {
		test_skip("needs at least 2 vCPUs, has %u", nr_cpus);
		return;
	}
	status = run_program("remote-flush", rounds * 2048 + pages * 2 + mprotect, 0);
	printk("rounds=%lu\npages=%lu\nexit_status=%d\nipis_sent=%lu\n", rounds, pages, status,
	       ipis_sent_all());
	test_check(status == 0, "the program exited with %d: %s", status,
		   status == 3 ? "an access after the call returned did not fault" : "it failed");
	check_pages_back(base, "the program");
}

static const char *const remote_flush_options[] = { "op", "rounds", "pages", NULL };

REGISTER_TEST(remote_flush, "remote-flush",
	.description = "an access on another vCPU after munmap or mprotect returned faults",
	.options = remote_flush_options,
	.run = remote_flush,
);
