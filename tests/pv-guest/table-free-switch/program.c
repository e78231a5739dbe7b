/*
 * table-free-switch's processes. With no argument, the one whose tables
 * are freed: map a 2 MiB region alone in its 512 GiB, touch it on vCPU 1
 * (which loads this mm there), go back to vCPU 0, wait until the test has
 * vCPU 1's switch away held, then unmap the region: its L1, L2 and L3
 * tables are freed. With argument 1, the process vCPU 1 switches to: it
 * exits at once.
 */
#include <ulib.h>
#include "calls.h"

#define REGION	(2UL << 20)
#define FREED	((char *)0x0000300000000000UL)	/* alone in its L4 slot */

int main(int argc, char **argv)
{
	char *p;

	if (program_arg(argc, argv) == 1)
		return 0;
	p = mmap(FREED, REGION, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != FREED || set_affinity(2))
		return 1;
	*(volatile char *)p = 1;
	if (set_affinity(1))
		return 2;
	if (test_call(TABLE_FREE_SWITCH_WAIT, 0))
		return 3;
	if (munmap(FREED, REGION))
		return 4;
	return test_call(TABLE_FREE_SWITCH_UNMAPPED, 0) ? 5 : 0;
}
