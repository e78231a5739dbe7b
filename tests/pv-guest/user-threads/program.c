/*
 * user-threads' process: one thread per vCPU, each pinned to its own, sharing memory:
 * each adds to a shared counter with an atomic and to its own slot, and
 * writes a word the main thread reads back.
 */
#include <ulib.h>

#define ROUNDS 20000

static unsigned long total, own[64], seen[64];
static volatile int done[64];
static unsigned long *shared_page;

static void worker(unsigned long i)
{
	if (sched_setaffinity(1UL << i))
		exit(1);
	for (int r = 0; r < ROUNDS; r++) {
		__atomic_fetch_add(&total, 1, __ATOMIC_SEQ_CST);
		own[i]++;
		if (r % 4096 == 0)
			yield();
	}
	shared_page[i] = 0x1000 + i;
	__atomic_store_n(&done[i], 1, __ATOMIC_RELEASE);
	exit(0);
}

int main(unsigned long arg)
{
	long n = vcpus();

	shared_page = mmap(4096, UPROT_READ | UPROT_WRITE);
	if ((long)shared_page < 0 || n > 64)
		return 1;
	for (long i = 1; i < n; i++) {
		char *stack = mmap(16384, UPROT_READ | UPROT_WRITE);

		if ((long)stack < 0 || clone(worker, stack + 16384, i) < 0)
			return 2;
	}
	for (int r = 0; r < ROUNDS; r++)
		__atomic_fetch_add(&total, 1, __ATOMIC_SEQ_CST);
	own[0] = ROUNDS;
	for (long i = 1; i < n; i++) {
		while (!__atomic_load_n(&done[i], __ATOMIC_ACQUIRE))
			yield();
		seen[i] = shared_page[i];
	}
	printf("user-threads: %ld threads, total %lu\n", n, total);
	for (long i = 1; i < n; i++)
		if (own[i] != ROUNDS || seen[i] != 0x1000 + (unsigned long)i)
			return 3;
	return total == (unsigned long)n * ROUNDS ? 0 : 4;
}
