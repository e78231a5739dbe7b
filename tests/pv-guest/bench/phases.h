/*
 * What the benchmark's programs share: the phase protocol (docs/bench.md),
 * and the echo child of their pipe round trips. Each
 * phase repeats one operation ITERATIONS times. Phases are delimited for
 * Xen's trace by the first touch of a fresh page of a marker mapping at
 * MARKER_BASE + k pages: a page fault Xen records with that address under
 * either kernel, so dom0 can split the domain's hypercalls, multicall
 * entries, faults and emulations by phase. Phase k runs between markers 2k
 * and 2k + 1; its warm-up runs before marker 2k, in a window nobody counts.
 * The first and the last phase do nothing and are named "marker": the
 * runner takes the lower of their two counts, counter by counter, as what
 * a marker itself costs (one window alone has caught a context switch
 * that belonged to no phase, and shifted every figure). The program
 * prints each phase's name and iterations, which the runner reads, and,
 * under pvmm, the IPIs the kernel sent between the phase's markers: Xen's
 * trace does not say which event-channel operation a guest made, so only
 * the kernel can count them (-ENOSYS on Linux: no line); likewise the
 * pages its allocator handed out between them, page tables included. A
 * phase's setup may say how many pages one run of its operation touches
 * (phase_touches()), which the report sets against the pages allocated.
 */
#ifndef BENCH_PHASES_H
#define BENCH_PHASES_H

#include <ulib.h>
#include <bench_markers.h>	/* MARKER_BASE: the protocol, as any program marks its phases */

#define ITERATIONS	20
#define WARM_UP		3
#define MAX_PHASES	24

static int phase_now;		/* the phase whose setup runs */
static long pages_touched[MAX_PHASES];

/* From a phase's setup: one run of its operation touches @touched pages. */
static inline void phase_touches(long touched)
{
	pages_touched[phase_now] = touched;
}

struct phase {
	const char *name;
	void (*op)(void);
	void (*setup)(void), (*teardown)(void);	/* around the phase, outside its window */
};

/* Run @n phases, then print them: 0, or -1 if the markers could not be mapped or n > MAX_PHASES. */
static inline int run_phases(const struct phase *phases, int n)
{
	volatile char *markers = mmap((void *)MARKER_BASE, 2 * n * 4096, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	long ipis[MAX_PHASES], pages[MAX_PHASES];

	if ((long)markers < 0 || n > MAX_PHASES)
		return -1;
	for (int k = 0; k < n; k++) {
		phase_now = k;
		if (phases[k].setup)
			phases[k].setup();
		for (int i = 0; i < WARM_UP; i++)
			phases[k].op();	/* warm: first-touch faults of the paths it uses */
		/* Read outside the window: the call's own return is a hypercall. */
		ipis[k] = ipis_sent();
		pages[k] = pages_allocated();
		markers[2 * k * 4096] = 1;	/* a fresh page: a fault Xen traces with its address */
		for (int i = 0; i < ITERATIONS; i++)
			phases[k].op();
		markers[(2 * k + 1) * 4096] = 1;
		if (ipis[k] >= 0)
			ipis[k] = ipis_sent() - ipis[k];
		if (pages[k] >= 0)
			pages[k] = pages_allocated() - pages[k];
		if (phases[k].teardown)
			phases[k].teardown();
	}
	for (int k = 0; k < n; k++)
		printf("bench: phase %d %s iterations=%d\n", k, phases[k].name, ITERATIONS);
	for (int k = 0; k < n && ipis[0] >= 0; k++)
		printf("bench: phase %d ipis_sent=%ld\n", k, ipis[k]);
	for (int k = 0; k < n && pages[0] >= 0; k++)
		printf("bench: phase %d pages_allocated=%ld\n", k, pages[k]);
	for (int k = 0; k < n; k++)
		if (pages_touched[k])
			printf("bench: phase %d pages_touched=%ld\n", k, pages_touched[k]);
	return 0;
}

/*
 * A child that writes back every byte it reads, on vCPU @cpu (-1: where it
 * is), until the parent closes its end: its pid, or -1. The parent keeps
 * @to_child[1] and @to_parent[0].
 */
static inline long start_echo(int to_child[2], int to_parent[2], int cpu)
{
	long pid;
	char c;

	if (pipe2(to_child, 0) || pipe2(to_parent, 0))
		return -1;
	pid = fork();
	if (pid == 0) {
		if (cpu >= 0)
			set_affinity_cpu(cpu);
		/* Only the parent's ends stay open: closing its write end is this read's end of file. */
		close(to_child[1]);
		close(to_parent[0]);
		while (read(to_child[0], &c, 1) == 1)
			write(to_parent[1], &c, 1);
		exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	return pid;
}

#endif
