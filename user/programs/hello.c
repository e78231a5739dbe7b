/* hello: system calls work from ring 3, and the exit status reaches the parent. */
#include <ulib.h>

int main(unsigned long arg)
{
	long pid = getpid();
	char *p;

	printf("hello: pid %ld, argument %lu, %ld vCPUs\n", pid, arg, vcpus());
	yield();
	sleep_ns(1000000);
	p = mmap(8192, UPROT_READ | UPROT_WRITE);
	if ((long)p < 0)
		return 1;
	p[0] = 'x';
	p[4096] = 'y';
	if (p[0] != 'x' || p[4096] != 'y' || munmap(p, 8192))
		return 2;
	return arg;
}
