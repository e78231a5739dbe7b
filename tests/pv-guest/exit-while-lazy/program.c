/*
 * exit-while-lazy's process: run on vCPUs 1 to ARG in turn, touching memory
 * and saying so on each (its borrower waits for that), then end on vCPU 0.
 */
#include <ulib.h>
#include "calls.h"

int main(int argc, char **argv)
{
	unsigned long arg = program_arg(argc, argv);
	volatile char *p = map_anon(8 * 4096, PROT_READ | PROT_WRITE);

	if ((long)p < 0)
		return 1;
	for (unsigned int cpu = 1; cpu <= arg; cpu++) {
		if (set_affinity_cpu(cpu))
			return 2;
		for (int i = 0; i < 8; i++)
			p[i * 4096] = cpu;
		if (test_call(EXIT_WHILE_LAZY_ARRIVED, 0))
			return 4;
	}
	return set_affinity_cpu(0) ? 3 : 0;
}
