/* exit-while-lazy's process: run on vCPUs 1 to ARG in turn, touching memory, then end on vCPU 0. */
#include <ulib.h>

int main(unsigned long arg)
{
	volatile char *p = mmap(8 * 4096, UPROT_READ | UPROT_WRITE);

	if ((long)p < 0)
		return 1;
	for (unsigned int cpu = 1; cpu <= arg; cpu++) {
		if (sched_setaffinity_cpu(cpu))
			return 2;
		for (int i = 0; i < 8; i++)
			p[i * 4096] = cpu;
	}
	return sched_setaffinity_cpu(0) ? 3 : 0;
}
