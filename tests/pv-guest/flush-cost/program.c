/*
 * flush-cost's process: what a flush costs with the mm loaded on k other vCPUs, for
 * every k up to 17 (past the 15 holders where one flush once stopped being one
 * hypercall), then every 8th and the last: above 16 vCPUs a round per k would
 * start some n * n / 2 spinning readers (2,000 at 64 vCPUs, over 90 s beside a
 * busy host), and the k between add no case the sampled ones lack. Threads pinned to vCPUs 1..k keep reading the process's memory
 * (so its mm is loaded there) while the main thread, on vCPU 0, unmaps one
 * page, changes the protection of 8, and unmaps 40 (above the 32-page
 * ceiling: a full flush). The test reports each operation's hypercalls
 * (counted with events masked) and the vCPUs its flush reached (calls.h). Then the
 * same with the k vCPUs only lazily holding the mm (their threads have
 * exited; the idle task borrows it). Every operation must be one
 * hypercall (under lazy=flush, the default), reaching exactly the holders.
 * ARG 1: the kernel runs lazy=leave (measure() says what changes).
 */
#include <ulib.h>
#include "calls.h"

static volatile int running, stop;
static volatile char *mem;

static void reader(unsigned long cpu)
{
	if (set_affinity(1UL << cpu))
		exit(1);
	__atomic_fetch_add(&running, 1, __ATOMIC_SEQ_CST);
	while (!stop)
		(void)mem[0];
	__atomic_fetch_sub(&running, 1, __ATOMIC_SEQ_CST);
	exit(0);
}

/*
 * The three operations with the mm held by @holders (vCPUs 1..k). With
 * @asked_to_leave (lazy=leave, lazy holders), the first flush also asks the
 * holders to leave, without waiting for them: one more hypercall (the
 * IPIs), the same mask. Once they have left (the process waits for that:
 * the calls run when they will), the later flushes leave them out.
 */
static int measure(const char *phase, long k, unsigned long holders, int asked_to_leave,
		   char *region)
{
	struct { const char *what; long rc; } ops[3];
	long cost[3], remote[3], want_cost[3], want_remote[3];

	ops[0].what = "one_page";
	ops[0].rc = munmap(region, 4096);
	cost[0] = test_call(LAST_OP_HYPERCALLS, 0);
	remote[0] = test_call(LAST_OP_REMOTE, 0);
	want_cost[0] = asked_to_leave && k ? 2 : 1;
	want_remote[0] = holders;
	if (asked_to_leave)
		while (test_call(LAZY_HOLDERS, 0))
			yield();
	ops[1].what = "mprotect_8";
	ops[1].rc = mprotect(region + 4096, 8 * 4096, PROT_READ);
	cost[1] = test_call(LAST_OP_HYPERCALLS, 0);
	remote[1] = test_call(LAST_OP_REMOTE, 0);
	ops[2].what = "range_40";
	ops[2].rc = munmap(region + 9 * 4096, 40 * 4096);
	cost[2] = test_call(LAST_OP_HYPERCALLS, 0);
	remote[2] = test_call(LAST_OP_REMOTE, 0);
	want_cost[1] = want_cost[2] = 1;
	want_remote[1] = want_remote[2] = asked_to_leave ? 0 : holders;
	for (int i = 0; i < 3; i++) {
		printf("flush.%s.k%ld.%s.hypercalls=%ld\n", phase, k, ops[i].what, cost[i]);
		if (ops[i].rc || cost[i] != want_cost[i] || remote[i] != want_remote[i]) {
			printf("flush-cost: %s k=%ld %s: rc %ld, %ld hypercalls (%ld expected), reached 0x%lx (0x%lx expected)\n",
			       phase, k, ops[i].what, ops[i].rc, cost[i], want_cost[i], remote[i],
			       want_remote[i]);
			return 1;
		}
	}
	return 0;
}

#define STACK_SIZE	16384

static bool measured(long k, long n)
{
	return k <= 17 || k % 8 == 0 || k == n - 1;
}

/* vCPUs 1..k, as the kernel's holder mask names them (k < 64). */
static unsigned long vcpus_1_to(long k)
{
	return k == 63 ? ~1UL : (1UL << (k + 1)) - 2;
}

int main(int argc, char **argv)
{
	unsigned long arg = program_arg(argc, argv);
	long n = vcpus();
	int bad = 0;
	/*
	 * One mapping for every reader's stack, two per vCPU used in turn: a
	 * reader of the last round may still be on its way out of its own.
	 * (A mapping per reader per round ran out of vmas at 16 vCPUs.)
	 */
	char *stacks = map_anon(2 * n * STACK_SIZE, PROT_READ | PROT_WRITE);
	unsigned long holders;

	if ((long)stacks < 0 || set_affinity(1))
		return 1;
	mem = map_anon(4096, PROT_READ | PROT_WRITE);
	if ((long)mem < 0)
		return 1;
	mem[0] = 1;
	for (long k = 0; k < n; k++) {
		char *region;

		if (!measured(k, n))
			continue;
		region = map_anon(64 * 4096, PROT_READ | PROT_WRITE);
		if ((long)region < 0)
			return 2;
		holders = vcpus_1_to(k);
		for (int pg = 0; pg < 64; pg++)
			region[pg * 4096] = 1;
		stop = 0;
		for (long cpu = 1; cpu <= k; cpu++) {
			char *stack = stacks + (2 * cpu + k % 2 + 1) * STACK_SIZE;

			if (thread_start(reader, stack, cpu) < 0)
				return 2;
		}
		while (running != k)
			yield();
		bad |= measure("active", k, holders, 0, region);
		munmap(region, 64 * 4096);
		stop = 1;
		while (running)
			yield();
		/* The readers are gone: vCPUs 1..k keep the mm loaded, lazily. */
		region = map_anon(64 * 4096, PROT_READ | PROT_WRITE);
		if ((long)region < 0)
			return 2;
		for (int pg = 0; pg < 64; pg++)
			region[pg * 4096] = 1;
		while ((unsigned long)test_call(LAZY_HOLDERS, 0) != holders)
			yield();	/* until every reader's vCPU runs a kernel thread */
		bad |= measure("lazy", k, holders, arg != 0, region);
		munmap(region, 64 * 4096);
	}
	return bad;
}
