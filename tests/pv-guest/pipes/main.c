/* pipes: Linux's pipes between processes, on one vCPU and across two; every page back. */
#include "user_util.h"

static void pipes(void)
{
	run_expecting("pipes", 0, 0, 0);
}

REGISTER_TEST(pipes, "pipes",
	.description = "pipes: blocking reads and writes, end of file, -EPIPE, across vCPUs",
	.run = pipes,
);
