/*
 * cow-teardown's process M, ARG rounds. Each round M forks S, S maps
 * PAGES pages, fills them and starts a thread on another vCPU that writes
 * the first half over and over (each first write breaks a share), then
 * forks C, which starts a thread of its own that checks every page and
 * writes the second half. The two exit in the round's order:
 *
 *   0  C first, at once; S then checks its pages and exits;
 *   1  S first breaks every share, then lets C check and exit, then exits;
 *   2  S first, at once (exit_group with its thread running), C orphaned;
 *      C then checks, writes every page (now its last references) and exits;
 *   3  as 2, with C's thread breaking shares while S's teardown runs (in 2
 *      it starts after).
 *
 * Each side must see its own data throughout; M waits for both. The
 * kernel then checks that every page came back (main.c).
 */
#include <ulib.h>

#define PAGES		16
#define WORDS		(4096 / sizeof(unsigned long))
#define VALUE(r, i)	((r) << 16 | (i))

static volatile unsigned long *pages;
static unsigned long round, other_cpu;
static char stack[16384] __attribute__((aligned(16)));

/* Every page still holds what S wrote before the fork; 0 if so. */
static int check(void)
{
	for (unsigned long i = 0; i < PAGES; i++)
		if (pages[i * WORDS] != VALUE(round, i)) {
			printf("cow-teardown: round %lu: pid %ld: page %lu holds 0x%lx, not 0x%lx\n",
			       round, getpid(), i, pages[i * WORDS], VALUE(round, i));
			return 5;
		}
	return 0;
}

/* Rewrite [first, end) with the same values: each first write breaks a share. */
static void rewrite(unsigned long first, unsigned long end)
{
	for (unsigned long i = first; i < end; i++)
		pages[i * WORDS] = VALUE(round, i);
}

static void s_thread(unsigned long cpu)
{
	if (set_affinity(1UL << cpu))
		exit_group(1);
	for (;;)
		rewrite(0, PAGES / 2);
}

static void c_thread(unsigned long cpu)
{
	if (set_affinity(1UL << cpu))
		exit_group(1);
	for (;;) {
		if (check())
			exit_group(5);
		rewrite(PAGES / 2, PAGES);
	}
}

/* C: @go[0] says when to go on (orders 1-3); in orders 2-3 its verdict goes to M on @done[1]. */
static int run_c(unsigned long order, int go[2], int done[2])
{
	char b, verdict;

	if (order != 2 && thread_start(c_thread, stack + sizeof(stack), other_cpu) < 0)
		return 1;
	if (order != 0 && read(go[0], &b, 1) != 1)
		return 1;
	if (order == 2 && thread_start(c_thread, stack + sizeof(stack), other_cpu) < 0)
		return 1;
	if (order < 2)
		return check();
	rewrite(0, PAGES);	/* S is gone: the last references, taken over */
	verdict = check();
	return write(done[1], &verdict, 1) == 1 ? verdict : 1;
}

static int run_s(unsigned long order, int go[2], int done[2])
{
	int status;
	long c;

	pages = map_anon(PAGES * 4096, PROT_READ | PROT_WRITE);
	if ((long)pages < 0)
		return 1;
	rewrite(0, PAGES);
	if (thread_start(s_thread, stack + sizeof(stack), other_cpu) < 0)
		return 1;
	c = fork();
	if (c == 0)
		exit_group(run_c(order, go, done));
	if (c < 0)
		return 1;
	if (order >= 2)
		exit_group(0);	/* before C, its thread still writing */
	if (order == 1) {
		rewrite(0, PAGES);
		if (write(go[1], "g", 1) != 1)
			return 1;
	}
	if (waitpid(c, &status) != c || exit_code(status))
		return 6;
	return check();
}

int main(int argc, char **argv)
{
	unsigned long rounds = program_arg(argc, argv), n = vcpus();

	for (round = 1; round <= rounds; round++) {
		unsigned long order = round % 4;
		int go[2], done[2], status;
		char verdict = 1;
		long s;

		other_cpu = 1 + round % (n - 1);
		if (n < 2 || pipe2(go, 0) || pipe2(done, 0))
			return 1;
		s = fork();
		if (s == 0)
			exit_group(run_s(order, go, done));
		if (s < 0 || waitpid(s, &status) != s || exit_code(status)) {
			printf("cow-teardown: round %lu (order %lu): S ended with %d\n", round, order,
			       s < 0 ? -1 : exit_code(status));
			return 2;
		}
		close(done[1]);
		if (order >= 2) {
			/* C, orphaned: let it go on, read its verdict, then the end of the pipe (its exit). */
			if (write(go[1], "g", 1) != 1 || read(done[0], &verdict, 1) != 1 || verdict ||
			    read(done[0], &verdict, 1) != 0) {
				printf("cow-teardown: round %lu (order %lu): C's verdict %d\n", round, order,
				       verdict);
				return 3;
			}
		}
		close(done[0]);
		close(go[0]);
		close(go[1]);
	}
	printf("cow-teardown: %lu rounds, every process saw its own data\n", rounds);
	return 0;
}
