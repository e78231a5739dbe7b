/*
 * table-free-race's process: a thread on vCPU 1 reads a page of a 2 MiB
 * region in a loop while the main thread on vCPU 0 unmaps the region. The
 * region is alone in its 512 GiB, so the munmap frees its L1, L2 and L3
 * tables; the main thread then maps another region and fills it, which
 * takes those table frames (kept for tables) and the data frames again.
 * Once munmap has returned, the reader's next access must fault: a read
 * that succeeds went through a translation, or a walk, that the flush
 * should have removed. ARG = rounds.
 */
#include <ulib.h>

#define REGION	(2UL << 20)
#define FREED	((char *)0x0000300000000000UL)	/* alone in its L4 slot */
#define REUSED	((char *)0x0000310000000000UL)
#define MARKER	0x5eedUL
/* Pages of REUSED filled each round: the allocator hands out the frames just freed first. */
#define REUSED_PAGES	8

static volatile unsigned long round, warm, done_round, faulted, stale, stale_value;
static volatile unsigned long *volatile page;
static char handler_stack[8192] __attribute__((aligned(16)));

/* The reader's body, entered afresh at the start and after every fault. */
static void reader(unsigned long fault_addr, unsigned long error_code)
{
	if (fault_addr)
		faulted = round;
	for (;;) {
		unsigned long r, v;

		while ((r = round) == faulted || r == stale || r == 0)
			;
		(void)*page;
		warm = r;
		while (done_round != r)
			(void)*page;
		/* munmap has returned on vCPU 0: this read must fault. */
		v = *page;
		stale_value = v;
		stale = r;
	}
}

static void thread_entry(unsigned long cpu)
{
	if (set_affinity(1UL << cpu))
		exit(1);
	set_fault_handler(reader, handler_stack + sizeof(handler_stack));
	reader(0, 0);
}

static void *map_at(char *addr)
{
	return mmap(addr, REGION, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
}

int main(int argc, char **argv)
{
	unsigned long rounds = program_arg(argc, argv);
	char *stack = map_anon(16384, PROT_READ | PROT_WRITE);

	if ((long)stack < 0 || vcpus() < 2 || set_affinity(1) ||
	    thread_start(thread_entry, stack + 16384, 1) < 0)
		return 1;
	for (unsigned long r = 1; r <= rounds; r++) {
		unsigned long offset = (r * 4096 * 37) % REGION;

		if (map_at(FREED) != FREED)
			return 4;
		*(volatile unsigned long *)(FREED + offset) = r;
		page = (volatile unsigned long *)(FREED + offset);
		round = r;
		while (warm != r && faulted != r)
			;
		for (volatile unsigned long d = 0; d < (r * 7919) % 2000; d++)
			;	/* vary when the munmap lands in the reader's loop */
		if (munmap(FREED, REGION))
			return 2;
		done_round = r;
		/* The freed frames go back into use: tables for REUSED's range, and its data. */
		if (map_at(REUSED) != REUSED)
			return 4;
		for (unsigned long pg = 0; pg < REUSED_PAGES; pg++)
			*(volatile unsigned long *)(REUSED + pg * 4096) = MARKER;
		*(volatile unsigned long *)(REUSED + offset) = MARKER;
		while (faulted != r && stale != r)
			;
		if (stale == r) {
			printf("table-free-race: STALE: round %lu: vCPU 1 read 0x%lx (%s) at %p after munmap returned\n",
			       r, stale_value, stale_value == MARKER ? "the reused page" : "the old page",
			       (void *)page);
			return 3;
		}
		if (munmap(REUSED, REGION))
			return 2;
	}
	printf("table-free-race: %lu rounds, every access after munmap faulted\n", rounds);
	return 0;
}
