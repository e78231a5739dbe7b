/* munmap-fault-mprotect: a page made read-only can still be read; writing it kills this process. */
#include <ulib.h>

int main(int argc, char **argv)
{
	volatile char *p = map_anon(2 * 4096, PROT_READ | PROT_WRITE);

	if ((long)p < 0)
		return 1;
	p[0] = 'a';
	p[4096] = 'b';
	if (mprotect((void *)p, 4096, PROT_READ))
		return 2;
	if (p[0] != 'a')
		return 3;
	p[4096] = 'c';	/* the other page is still writable */
	printf("munmap-fault-mprotect: writing 0x%016lx after mprotect(READ)\n", (unsigned long)p);
	p[0] = 'x';
	printf("munmap-fault-mprotect: still alive after writing read-only memory\n");
	return 4;
}
