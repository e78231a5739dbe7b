/*
 * switch-race's processes. With no argument, the process whose mm is torn
 * down: load this mm on vCPU 1, go back to vCPU 0, then wait in
 * PVMM_SYS_test_call until the test lets it exit. With argument 1, the one
 * vCPU 1 switches to: it stays in PVMM_SYS_test_call until the teardown
 * is over, so that vCPU 1 answers the teardown's request inside it.
 */
#include <ulib.h>
#include "calls.h"

int main(int argc, char **argv)
{
	volatile char *p;

	if (program_arg(argc, argv) == 1)
		return test_call(SWITCH_RACE_ANSWER_IN_NEW_MM, 0) ? 4 : 0;
	p = map_anon(4096, PROT_READ | PROT_WRITE);

	if ((long)p < 0 || set_affinity(2))
		return 1;
	p[0] = 1;
	if (set_affinity(1))
		return 2;
	return test_call(SWITCH_RACE_WAIT_FOR_EXIT, 0) ? 3 : 0;
}
