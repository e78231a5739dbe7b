/* huge-range's PVMM_SYS_test_call operations (main.c answers them, program.c asks). */
#ifndef HUGE_RANGE_CALLS_H
#define HUGE_RANGE_CALLS_H

/* 16 TiB: 2^32 pages, 2^26 chunks of 64 if a change walked every page. */
#define HUGE_LEN		(1UL << 44)

/* Make [ARG, ARG + HUGE_LEN) read-only, metered: the hypercalls it made, or -errno. */
#define METERED_MPROTECT	1
/* Unmap [ARG, ARG + HUGE_LEN), metered: the hypercalls it made, or -errno. */
#define METERED_MUNMAP		2

#endif
