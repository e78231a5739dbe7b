/*
 * munmap-fault: mmap, touch, munmap, touch again. The second touch kills
 * that process only, with the faulting address printed (the runner checks
 * it is the address the program touched); the kernel goes on. Then the
 * same for a write to a page mprotect made read-only.
 */
#include <uapi/pvmm_syscall.h>
#include "user_util.h"

static void munmap_fault(void)
{
	unsigned long base = pages_in_use();
	int status = run_program("munmap-touch", 0, 0);

	printk("exit_status=%d\n", status);
	test_check(status == EXIT_KILLED, "munmap-touch exited with %d, expected to be killed (%d)",
		   status, EXIT_KILLED);
	check_pages_back(base, "the killed process");
	/* The kernel survives: another process runs normally. */
	test_check(run_program("hello", 7, 0) == 7, "a process after the kill did not run");

	/* A write to memory mprotect made read-only kills it the same way. */
	status = run_program("mprotect-write", 0, 0);
	test_check(status == EXIT_KILLED, "mprotect-write exited with %d, expected to be killed (%d)",
		   status, EXIT_KILLED);
	check_pages_back(base, "the second killed process");
}

REGISTER_TEST(munmap_fault,
	.name = "munmap-fault",
	.description = "touching munmapped memory kills only that process",
	.run = munmap_fault,
);
