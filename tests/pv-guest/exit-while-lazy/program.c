/* exit-while-lazy's process: run on each vCPU of the mask ARG in turn, touching memory, then end on vCPU 0. */
#include <ulib.h>

int main(unsigned long arg)
{
	volatile char *p = mmap(8 * 4096, UPROT_READ | UPROT_WRITE);

	if ((long)p < 0)
		return 1;
	for (unsigned int cpu = 0; cpu < 64; cpu++) {
		if (!(arg & (1UL << cpu)))
			continue;
		if (sched_setaffinity(1UL << cpu))
			return 2;
		for (int i = 0; i < 8; i++)
			p[i * 4096] = cpu;
	}
	return sched_setaffinity(1) ? 3 : 0;
}
