/* table-free-switch's PVMM_SYS_test_call operations, shared by main.c and program.c. */
#ifndef TABLE_FREE_SWITCH_CALLS_H
#define TABLE_FREE_SWITCH_CALLS_H

#define TABLE_FREE_SWITCH_WAIT		0	/* wait until vCPU 1's switch away is held */
#define TABLE_FREE_SWITCH_UNMAPPED	1	/* munmap has returned: vCPU 1 may go on */

#endif
