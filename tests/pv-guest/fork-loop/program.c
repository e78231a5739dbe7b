/*
 * fork-loop: fork, exit and wait, ARG times (default 1000); every 100
 * iterations the pages in use must be back to the baseline.
 */
#include <ulib.h>

static int fork_exit_wait(int i)
{
	int status = -1;
	long pid = fork();

	if (pid == 0)
		exit(i & 0x7f);
	if (pid < 0) {
		printf("fork-loop: fork %d failed: %ld\n", i, pid);
		return 1;
	}
	if (waitpid(pid, &status) != pid || exit_code(status) != (i & 0x7f)) {
		printf("fork-loop: child %ld of iteration %d: status %d\n", pid, i, status);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long arg = program_arg(argc, argv);
	unsigned long n = arg ? arg : 1000;
	long base;

	if (fork_exit_wait(0))	/* warm up: the stack pages this path touches */
		return 1;
	base = pages_in_use();
	for (unsigned long i = 1; i <= n; i++) {
		if (fork_exit_wait(i))
			return 1;
		if (i % 100 == 0 && pages_in_use() != base) {
			printf("fork-loop: after %lu iterations %ld pages in use, baseline %ld\n", i,
			       pages_in_use(), base);
			return 1;
		}
	}
	printf("fork-loop: %lu fork/exit/wait, pages in use %ld (baseline %ld)\n", n, pages_in_use(), base);
	return 0;
}
