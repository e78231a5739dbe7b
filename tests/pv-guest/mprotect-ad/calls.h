/* mprotect-ad's PVMM_SYS_test_call operation (main.c answers, program.c asks). */
#ifndef MPROTECT_AD_CALLS_H
#define MPROTECT_AD_CALLS_H

/* ARG: a mapped, written page of the caller; arms the test for the caller's next mprotect. */
#define ARM		1

/* Where in the page the test writes WRITTEN while the mprotect's update is queued. */
#define WRITE_OFFSET	8
#define WRITTEN		0x5a

#endif
