/* switch-race's PVMM_SYS_test_call operations, shared by main.c and program.c. */
#ifndef SWITCH_RACE_CALLS_H
#define SWITCH_RACE_CALLS_H

#define SWITCH_RACE_WAIT_FOR_EXIT	0	/* the torn-down process: wait until it may exit */
#define SWITCH_RACE_ANSWER_IN_NEW_MM	1	/* on vCPU 1: answer the teardown, then return */

#endif
