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
	run_expecting("munmap-fault-munmap", 0, 0, EXIT_KILLED);
	/* The kernel survives: another process runs normally. */
	run_expecting("hello", 7, 0, 7);
	/* A write to memory mprotect made read-only kills it the same way. */
	run_expecting("munmap-fault-mprotect", 0, 0, EXIT_KILLED);
}

REGISTER_TEST(munmap_fault, "munmap-fault",
	.description = "touching munmapped memory kills only that process",
	.run = munmap_fault,
);
