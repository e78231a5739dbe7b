/* exit-while-lazy: what its program tells the test (PVMM_SYS_test_call ops). */
#ifndef EXIT_WHILE_LAZY_CALLS_H
#define EXIT_WHILE_LAZY_CALLS_H

enum exit_while_lazy_call {
	EXIT_WHILE_LAZY_ARRIVED = 1,	/* the process runs on this vCPU, its memory touched */
};

#endif
