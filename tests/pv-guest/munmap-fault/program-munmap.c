/* munmap-fault-munmap: mmap, touch, munmap, touch again: the second touch must kill this process. */
#include <ulib.h>

int main(int argc, char **argv)
{
	volatile char *p = map_anon(4 * 4096, PROT_READ | PROT_WRITE);

	if ((long)p < 0)
		return 1;
	p[100] = 1;
	if (munmap((void *)p, 4 * 4096))
		return 2;
	printf("munmap-fault-munmap: touching 0x%016lx after munmap\n", (unsigned long)&p[100]);
	(void)p[100];
	printf("munmap-fault-munmap: still alive after touching unmapped memory\n");
	return 3;
}
