/* flush-cost's PVMM_SYS_test_call operations (main.c answers them, program.c asks). */
#ifndef FLUSH_COST_CALLS_H
#define FLUSH_COST_CALLS_H

/* Hypercalls made by this vCPU's last munmap/mprotect chunk. */
#define LAST_OP_HYPERCALLS	1
/* The other vCPUs its flush reached, as a mask (of vCPUs 0 to 63: flush-cost runs on at most 64). */
#define LAST_OP_REMOTE		2
/* The vCPUs that hold the caller's mm lazily (a kernel thread runs there), as a mask (0 to 63). */
#define LAZY_HOLDERS		3

#endif
