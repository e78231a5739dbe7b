/* restore-stack: what its program tells the test (PVMM_SYS_test_call ops). */
#ifndef RESTORE_STACK_CALLS_H
#define RESTORE_STACK_CALLS_H

enum restore_stack_call {
	RESTORE_STACK_ENTERED = 1,	/* the program entered the kernel once more */
};

#endif
