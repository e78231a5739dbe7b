/*
 * remote-flush's process: a thread on the last vCPU accesses a page in a loop (reads, or
 * writes for mprotect) while the main thread on vCPU 0 unmaps it (munmap)
 * or makes it read-only (mprotect). Once that call has returned, the
 * other thread's next access must fault: a TLB entry that survived the
 * remote flush would let it through. ARG = rounds * 2048 + pages * 2 +
 * mode (0 munmap, 1 mprotect): each round maps, touches and unmaps or
 * protects PAGES pages (above 32, one full flush; above 64, several
 * multicalls), and the other thread accesses the last of them. The main
 * thread varies the moment of the call each round.
 */
#include <ulib.h>

static volatile unsigned long round, warm, done_round, faulted, stale;
static volatile unsigned long *volatile page;
static unsigned long mode;
static char handler_stack[8192] __attribute__((aligned(16)));

static void access(volatile unsigned long *p)
{
	if (mode)
		*p = round;
	else
		(void)*p;
}

/* The thread's body, entered afresh at the start and after every fault. */
static void accessor(unsigned long fault_addr, unsigned long error_code)
{
	if (fault_addr)
		faulted = round;
	for (;;) {
		unsigned long r;

		while ((r = round) == faulted || r == stale || r == 0)
			;
		access(page);
		warm = r;
		while (done_round != r)
			access(page);
		/* The call has returned on the other vCPU: this access must fault. */
		access(page);
		stale = r;
	}
}

static void thread_entry(unsigned long cpu)
{
	if (set_affinity(1UL << cpu))
		exit(1);
	set_fault_handler(accessor, handler_stack + sizeof(handler_stack));
	accessor(0, 0);
}

int main(int argc, char **argv)
{
	unsigned long arg = program_arg(argc, argv);
	unsigned long rounds = arg / 2048, pages = arg / 2 % 1024, len = pages * 4096, n = vcpus();
	char *stack = map_anon(16384, PROT_READ | PROT_WRITE);

	mode = arg & 1;
	if (!pages)
		return 1;
	if (n < 2 || (long)stack < 0 || set_affinity(1) ||
	    thread_start(thread_entry, stack + 16384, n - 1) < 0)
		return 1;
	for (unsigned long r = 1; r <= rounds; r++) {
		char *region = map_anon(len, PROT_READ | PROT_WRITE);
		volatile unsigned long *p = (volatile unsigned long *)(region + len - 4096);
		long rc;

		if ((long)region < 0)
			return 4;
		for (unsigned long pg = 0; pg < pages; pg++)
			region[pg * 4096] = 1;
		page = p;
		round = r;
		while (warm != r && faulted != r)
			;
		for (volatile unsigned long d = 0; d < (r * 7919) % 2000; d++)
			;	/* vary when the call lands in the other thread's loop */
		rc = mode ? mprotect(region, len, PROT_READ) : munmap(region, len);
		if (rc)
			return 2;
		done_round = r;
		while (faulted != r && stale != r)
			;
		if (stale == r) {
			printf("remote-flush: STALE: round %lu: vCPU %lu %s 0x%lx after %s returned\n", r, n - 1,
			       mode ? "wrote" : "read", (unsigned long)p, mode ? "mprotect" : "munmap");
			return 3;
		}
		if (mode)
			munmap(region, len);
	}
	printf("remote-flush: %lu rounds, every access after %s faulted\n", rounds, mode ? "mprotect" : "munmap");
	return 0;
}
