/*
 * orphan-reap: ARG rounds (default 300, more than the kernel's 128 process
 * slots) of a child that forks a grandchild and exits before it. Each
 * grandchild outlives its parent, so the kernel, as Linux's init does for
 * its adopted children, must reap it when it exits: a slot kept by a dead
 * orphan is never given back, and a later fork fails with -EAGAIN.
 *
 * No sleep orders the steps: the grandchild waits for end-of-file on a pipe
 * whose only writer is its parent, so it exits only once it is an orphan;
 * it then tells this process through a second pipe, read once a round, so
 * that at most one grandchild is still on its way out when the next round
 * forks.
 */
#include <ulib.h>

static void grandchild(int orphaned, int done)
{
	char c;

	if (read(orphaned, &c, 1) != 0)	/* end-of-file: its parent has exited */
		exit_group(1);
	exit_group(write(done, "x", 1) == 1 ? 0 : 1);
}

static int round_of(int i, const int done[2])
{
	int orphaned[2], status = -1;
	long pid;
	long got;
	char c;

	if (pipe2(orphaned, 0)) {
		printf("orphan-reap: round %d: pipe2 failed\n", i);
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		long g = fork();

		if (g == 0) {
			close(orphaned[1]);
			grandchild(orphaned[0], done[1]);
		}
		exit_group(g < 0 ? 2 : 0);	/* closes the pipe's last write end */
	}
	close(orphaned[0]);
	close(orphaned[1]);
	if (pid < 0 || waitpid(pid, &status) != pid || exit_code(status) != 0) {
		printf("orphan-reap: round %d: the child's fork or the child failed (fork %ld, status %d)\n",
		       i, pid, status);
		return 1;
	}
	got = read(done[0], &c, 1);
	if (got != 1) {
		printf("orphan-reap: round %d: reading the grandchild's word gave %ld\n", i, got);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long arg = program_arg(argc, argv);
	unsigned long n = arg ? arg : 300;
	int done[2];

	if (pipe2(done, 0)) {
		printf("orphan-reap: pipe2 failed\n");
		return 1;
	}
	for (unsigned long i = 0; i < n; i++)
		if (round_of(i, done))
			return 1;
	printf("orphan-reap: %lu grandchildren outlived their parents and were reaped\n", n);
	return 0;
}
