/*
 * late-arrival's process. The main thread (vCPU 0) maps and touches a
 * page, starts the late thread, and unmaps the page once the test is
 * armed. The late thread moves to LATE_CPU and parks in the kernel; the
 * test lets it go on only while the main thread's munmap has read the
 * holders and not yet issued its update: it loads the mm late, reads the
 * page (caching the translation the update is about to remove), says so,
 * and once the munmap has returned reads it again, which must fault.
 * Exit status: the late thread's verdict, 0 if that read faulted.
 */
#include <ulib.h>
#include "calls.h"

static struct late_shared shared;
static volatile char *page;
static char late_stack[16384] __attribute__((aligned(16)));
static char handler_stack[4096] __attribute__((aligned(16)));

static void faulted(unsigned long addr, unsigned long error_code)
{
	shared.result = addr == (unsigned long)page ? 0 : 4;
	exit(0);
}

static void late_thread(unsigned long unused)
{
	if (set_fault_handler(faulted, handler_stack + sizeof(handler_stack)) ||
	    set_affinity(1UL << LATE_CPU) || test_call(PARK, 0)) {
		shared.result = 5;
		exit(0);
	}
	(void)*page;	/* loads the mm here, after the holders were read */
	shared.touched = 1;
	while (!shared.done)
		;	/* in user mode: a kernel entry would flush the TLB (docs/tlb.md) */
	(void)*page;
	shared.result = 3;
	exit(0);
}

/* Touch every page of [p, p + len): nothing the threads use may fault under the munmap. */
static void touch(char *p, unsigned long len)
{
	for (unsigned long off = 0; off < len; off += 4096)
		((volatile char *)p)[off] = 0;
}

int main(int argc, char **argv)
{
	page = map_anon(4096, PROT_READ | PROT_WRITE);
	if ((long)page < 0)
		return 1;
	*page = 1;
	touch(late_stack, sizeof(late_stack));
	touch(handler_stack, sizeof(handler_stack));
	shared.result = NO_RESULT;
	if (thread_start(late_thread, late_stack + sizeof(late_stack), 0) < 0 ||
	    test_call(ARM, (unsigned long)&shared))
		return 2;
	if (munmap((void *)page, 4096))
		return 6;
	shared.done = 1;
	while (shared.result == NO_RESULT)
		yield();
	if (shared.result == 3)
		printf("late-arrival: vCPU %d read 0x%lx after the munmap returned\n", LATE_CPU,
		       (unsigned long)page);
	return shared.result;
}
