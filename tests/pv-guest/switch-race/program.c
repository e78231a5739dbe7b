/*
 * switch-race's process: load this mm on vCPU 1, go back to vCPU 0, then
 * wait in SYS_test_call until the test lets it exit.
 */
#include <ulib.h>

int main(unsigned long arg)
{
	volatile char *p = mmap(4096, UPROT_READ | UPROT_WRITE);

	if ((long)p < 0 || sched_setaffinity(2))
		return 1;
	p[0] = 1;
	if (sched_setaffinity(1))
		return 2;
	return test_call(0, 0) ? 3 : 0;
}
