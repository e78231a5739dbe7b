/* hopper: run on vCPU 1 (loading this mm there), go back to vCPU 0, sleep ARG ms, exit. */
#include <ulib.h>

int main(unsigned long arg)
{
	volatile char *p = mmap(4096, UPROT_READ | UPROT_WRITE);

	if ((long)p < 0 || sched_setaffinity(2))
		return 1;
	p[0] = 1;
	if (sched_setaffinity(1))
		return 2;
	sleep_ns(arg * 1000000);
	return 0;
}
