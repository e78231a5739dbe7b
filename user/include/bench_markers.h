/*
 * Marking a benchmark's phases, for any static x86-64 program (with a libc
 * or without: this header and linux_syscall.h beside it make their own
 * system calls) that make bench counts under every kernel (docs/bench.md,
 * "Your own workload").
 *
 * A phase is a window that Xen's trace can find: it starts with the first
 * touch of one fresh page of a marker mapping and ends with the first
 * touch of the next, at MARKER_BASE + 2k pages and MARKER_BASE + 2k + 1
 * pages for phase k. A first touch is a page fault Xen records with its
 * address under any kernel. The first and the last phase must do nothing
 * and be named "marker": the runner takes the lower of their counts as
 * what a marker itself costs and takes it off every other phase.
 *
 *	if (bench_markers_map(n) < 0) ...	once, n phases in all
 *	for each phase k:
 *		warm it up (a run or two outside the window, for first-touch faults)
 *		bench_phase_begin(k);
 *		run it ITERATIONS times
 *		bench_phase_end(k);
 *	bench_phase_line(k, name, iterations)	for every k, after the last phase
 *
 * A name is letters, digits and '_'. The lines go to standard output,
 * where the runner reads them: print nothing else starting with "bench:".
 */
#ifndef BENCH_MARKERS_H
#define BENCH_MARKERS_H

#include <asm/unistd_64.h>
#include <linux/mman.h>
#include "linux_syscall.h"

#define MARKER_BASE		0x500000000000UL	/* tests/pv-guest/runner/judge.py reads the same */
#define MARKER_PAGE		4096UL
#define BENCH_MAX_PHASES	64

/* Map the markers of @phases phases, untouched: 0, or a negative errno. */
static inline long bench_markers_map(int phases)
{
	long rc;

	if (phases < 2 || phases > BENCH_MAX_PHASES)
		return -22;	/* EINVAL: at least the two "marker" phases */
	rc = syscall6(__NR_mmap, (long)MARKER_BASE, 2 * phases * MARKER_PAGE,
			   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	return rc < 0 ? rc : 0;
}

static inline void bench_touch(unsigned long page)
{
	*(volatile char *)(MARKER_BASE + page * MARKER_PAGE) = 1;
}

static inline void bench_phase_begin(int k)
{
	bench_touch(2 * k);
}

static inline void bench_phase_end(int k)
{
	bench_touch(2 * k + 1);
}

/* Decimal @v at the end of @buf: where it starts. */
static inline char *bench_decimal(char *end, unsigned long v)
{
	do
		*--end = '0' + v % 10;
	while (v /= 10);
	return end;
}

/* "bench: phase K NAME iterations=N", the line the runner reads, on standard output. */
static inline void bench_phase_line(int k, const char *name, unsigned long iterations)
{
	char line[160], num[24], *p = line, *s;
	const char *parts[] = { "bench: phase ", NULL, " ", name, " iterations=", NULL, "\n" };

	num[sizeof(num) - 1] = 0;
	for (unsigned int i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		s = (char *)parts[i];
		if (i == 1 || i == 5)	/* the numbers, each in turn in num[] */
			s = bench_decimal(num + sizeof(num) - 1, i == 1 ? (unsigned long)k : iterations);
		while (*s && p < line + sizeof(line))
			*p++ = *s++;
	}
	syscall6(__NR_write, 1, (long)line, p - line, 0, 0, 0);
}

#endif
