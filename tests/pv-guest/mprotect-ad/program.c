/*
 * mprotect-ad's process: maps a page, writes it, arms the test and makes
 * the page read-only. The test writes the page while the mprotect's update
 * is queued (main.c); the program then reads that write back.
 */
#include <ulib.h>
#include "calls.h"

int main(int argc, char **argv)
{
	volatile char *p = map_anon(4096, PROT_READ | PROT_WRITE);

	if ((long)p < 0)
		return 1;
	p[0] = 1;
	if (test_call(ARM, (unsigned long)p))
		return 2;
	if (mprotect((void *)p, 4096, PROT_READ))
		return 3;
	if (p[WRITE_OFFSET] != WRITTEN)
		return 4;	/* the kernel's write during the mprotect did not land */
	return 0;
}
