/*
 * munmap-fault-munmap: mmap, touch, munmap, touch again: the second touch
 * must kill this process. The length given to munmap ends one byte into
 * the last page: as on Linux, it is rounded up, and that page goes too.
 */
#include <ulib.h>

int main(int argc, char **argv)
{
	volatile char *p = map_anon(4 * 4096, PROT_READ | PROT_WRITE);
	volatile char *last = p + 3 * 4096 + 100;

	if ((long)p < 0)
		return 1;
	*last = 1;
	if (munmap((void *)p, 3 * 4096 + 1))
		return 2;
	printf("munmap-fault-munmap: touching 0x%016lx after munmap\n", (unsigned long)last);
	(void)*last;
	printf("munmap-fault-munmap: still alive after touching unmapped memory\n");
	return 3;
}
