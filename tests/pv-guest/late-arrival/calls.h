/* late-arrival's PVMM_SYS_test_call operations and shared state (main.c answers, program.c asks). */
#ifndef LATE_ARRIVAL_CALLS_H
#define LATE_ARRIVAL_CALLS_H

/* The vCPU the late thread runs on. */
#define LATE_CPU	1

/* The late thread, on LATE_CPU: block until the test lets it go on. */
#define PARK		1
/*
 * The main thread: ARG is the address of its struct late_shared. Returns
 * once LATE_CPU has left the process's mm; arms the test for its munmap.
 */
#define ARM		2

struct late_shared {
	volatile unsigned long touched;	/* the late thread read the page */
	volatile unsigned long done;	/* the main thread's munmap returned */
	volatile long result;		/* the late thread's verdict: 0, or why not */
};

/* result before the late thread has given one */
#define NO_RESULT	99

#endif
