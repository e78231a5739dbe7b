/*
 * teardown-soak's process: process lifetimes, ARG of them (counting each thread): fork a
 * child that clones 0-2 threads onto random vCPUs, touches, maps and
 * unmaps memory, sometimes execs, and ends by returning from main while
 * its threads may still be running anywhere (exit_group), so its mm is
 * torn down wherever the last of them stops.
 */
#include <ulib.h>

static unsigned long seed;
static long nvcpus;

static unsigned long rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static void thread(unsigned long cpu)
{
	volatile char *p = map_anon(4 * 4096, PROT_READ | PROT_WRITE);

	set_affinity(1UL << cpu);
	if ((long)p > 0) {
		for (int i = 0; i < 4; i++)
			p[i * 4096] = 1;
		munmap((void *)p, 4 * 4096);
	}
	for (unsigned long spin = rnd() % 20000; spin; spin--)
		;
	exit(0);
}

static int child(void)
{
	int threads = rnd() % 3;
	volatile char *p = map_anon(8 * 4096, PROT_READ | PROT_WRITE);

	for (int t = 0; t < threads; t++) {
		char *stack = map_anon(16384, PROT_READ | PROT_WRITE);

		if ((long)stack < 0 || thread_start(thread, stack + 16384, rnd() % nvcpus) < 0)
			return 10;
	}
	set_affinity(1UL << (rnd() % nvcpus));
	for (int i = 0; i < 8; i++)
		p[i * 4096] = (char)i;
	if (rnd() % 4 == 0)
		munmap((void *)(p + 4096), 2 * 4096);
	if (rnd() % 8 == 0 && threads == 0)
		exec_program("yielder", 3);	/* a new mm, the old one torn down */
	return threads;		/* exit_group: threads still running go too */
}

int main(int argc, char **argv)
{
	unsigned long arg = program_arg(argc, argv);
	unsigned long lifetimes = 0;

	seed = 0x9e3779b97f4a7c15UL ^ (unsigned long)getpid() * 0x100000001b3UL;
	nvcpus = vcpus();
	while (lifetimes < arg) {
		int status = -1;
		long pid = fork();

		if (pid == 0)
			exit_group(child());
		if (pid < 0 || waitpid(pid, &status) != pid || exit_code(status) > 2) {
			printf("teardown-soak: pid %ld: fork or child failed (status %d)\n", pid, status);
			return 1;
		}
		lifetimes += 1 + status;	/* the process and its threads */
	}
	printf("teardown-soak: %lu lifetimes from pid %ld\n", lifetimes, getpid());
	return 0;
}
