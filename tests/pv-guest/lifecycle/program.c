/*
 * lifecycle's process: children for ever, until the kernel kills it. Each
 * child maps and touches memory, starts a thread on another vCPU, and
 * ends with exit_group while the thread may still run, so its mm is torn
 * down wherever its last thread stops; the parent reaps it and tells the
 * test. Killed, the process's mm goes the same way. With argv[1] = 1 (the
 * test's storm option) every child also unmaps half of what it touched
 * (a remote flush while its thread may hold the mm), and every other child
 * starts no thread (pvmm refuses an exec beside other threads) and ends in
 * an exec of yielder instead (its old mm torn down by exec): every kind of teardown pvmm has, on every vCPU, while the
 * toolstack migrates the domain under log-dirty mode.
 */
#include <ulib.h>
#include "calls.h"

static unsigned long seed;
static long nvcpus;
static bool storm;

static unsigned long rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static void thread(unsigned long cpu)
{
	volatile char *p = map_anon(2 * 4096, PROT_READ | PROT_WRITE);

	set_affinity_cpu(cpu);
	if ((long)p > 0)
		p[0] = p[4096] = 1;
	exit(0);
}

static int child(void)
{
	volatile char *p = map_anon(4 * 4096, PROT_READ | PROT_WRITE);
	char *stack = map_anon(16384, PROT_READ | PROT_WRITE);
	bool exec = storm && (rnd() & 1);

	if ((long)p < 0 || (long)stack < 0)
		return 10;
	if (!exec && thread_start(thread, stack + 16384, rnd() % nvcpus) < 0)
		return 11;
	for (int i = 0; i < 4; i++)
		p[i * 4096] = (char)i;
	if (storm) {
		if (munmap((void *)p, 2 * 4096) < 0)
			return 12;
		if (exec) {
			exec_program("yielder", 1);
			return 13;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	seed = 0x2545f4914f6cdd1dUL ^ (unsigned long)getpid() * 0x100000001b3UL;
	nvcpus = vcpus();
	storm = program_arg(argc, argv) == 1;
	for (;;) {
		int status = -1;
		long pid = fork();

		if (pid == 0)
			exit_group(child());
		if (pid < 0 || waitpid(pid, &status) != pid || status != 0) {
			printf("lifecycle: pid %ld: fork or child failed (status %d)\n", pid, status);
			return 1;
		}
		test_call(LIFECYCLE_LIFETIME, 0);
	}
}
