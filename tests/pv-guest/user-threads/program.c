/*
 * user-threads' process: one thread per vCPU, each pinned to its own, sharing memory:
 * each adds to a shared counter with an atomic and to its own slot, and
 * writes a word the main thread reads back once it has joined the thread
 * the way Linux programs do (CLONE_CHILD_CLEARTID and FUTEX_WAIT).
 */
#include <ulib.h>

#define ROUNDS 20000

static unsigned long total, own[64], seen[64];
static unsigned int tids[64];
static unsigned long *shared_page;

static void worker(unsigned long i)
{
	if (set_affinity(1UL << i))
		exit(1);
	for (int r = 0; r < ROUNDS; r++) {
		__atomic_fetch_add(&total, 1, __ATOMIC_SEQ_CST);
		own[i]++;
		if (r % 4096 == 0)
			yield();
	}
	shared_page[i] = 0x1000 + i;
	exit(0);
}

int main(int argc, char **argv)
{
	long n = vcpus();

	shared_page = map_anon(4096, PROT_READ | PROT_WRITE);
	if ((long)shared_page < 0 || n > 64)
		return 1;
	for (long i = 1; i < n; i++) {
		char *stack = map_anon(16384, PROT_READ | PROT_WRITE);

		long tid = (long)stack < 0 ? -1 : thread_start_tid(worker, stack + 16384, i, &tids[i]);

		if (tid < 0 || (tids[i] && tids[i] != (unsigned int)tid))
			return 2;	/* CLONE_PARENT_SETTID wrote another tid (0: it has exited already) */
	}
	for (int r = 0; r < ROUNDS; r++)
		__atomic_fetch_add(&total, 1, __ATOMIC_SEQ_CST);
	own[0] = ROUNDS;
	for (long i = 1; i < n; i++) {
		thread_join(&tids[i]);
		seen[i] = shared_page[i];
	}
	printf("user-threads: %ld threads, total %lu\n", n, total);
	for (long i = 1; i < n; i++)
		if (own[i] != ROUNDS || seen[i] != 0x1000 + (unsigned long)i)
			return 3;
	return total == (unsigned long)n * ROUNDS ? 0 : 4;
}
