/* hello: system calls work from ring 3, and the exit status reaches the parent. */
#include <ulib.h>

int main(int argc, char **argv)
{
	unsigned long arg = program_arg(argc, argv);
	long pid = getpid();
	char *p;

	printf("hello: pid %ld, argument %lu, %ld vCPUs\n", pid, arg, vcpus());
	yield();
	sleep_ns(1000000);
	p = map_anon(8192, PROT_READ | PROT_WRITE);
	if ((long)p < 0)
		return 1;
	p[0] = 'x';
	p[4096] = 'y';
	if (p[0] != 'x' || p[4096] != 'y' || munmap(p, 8192))
		return 2;
	return arg;
}
