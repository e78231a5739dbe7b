/*
 * fork-wp-race's process: a thread on vCPU 1 writes a rising counter into
 * a private page without stopping while the main thread on vCPU 0 forks,
 * ARG times. Once fork has returned, the parent reads the counter (mark)
 * and lets the writer go on well past it, then sends mark to the child
 * through a pipe; the child reads the counter in its copy-on-write view
 * and exits 3 if it is above mark: a write that landed in the page the
 * child shares after fork returned, through a writable entry fork's flush
 * should have removed.
 */
#include <ulib.h>

#define AHEAD	1000	/* how far past mark the writer goes before the child looks */

static volatile unsigned long *counter;
static char stack[16384] __attribute__((aligned(16)));

static void writer(unsigned long cpu)
{
	if (set_affinity(1UL << cpu))
		exit_group(1);
	for (unsigned long c = 1;; c++)
		*counter = c;
}

static int child(int fd)
{
	unsigned long mark, seen;

	if (read(fd, &mark, sizeof(mark)) != sizeof(mark))	/* into a shared page: copied */
		return 2;
	seen = *counter;
	if (seen > mark) {
		printf("fork-wp-race: STALE: the child sees %lu, written after fork returned at %lu\n",
		       seen, mark);
		return 3;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long rounds = program_arg(argc, argv);

	counter = map_anon(4096, PROT_READ | PROT_WRITE);
	if ((long)counter < 0 || vcpus() < 2 || set_affinity(1) ||
	    thread_start(writer, stack + sizeof(stack), 1) < 0)
		return 1;
	for (unsigned long r = 1; r <= rounds; r++) {
		unsigned long mark, start = *counter;
		int fds[2], status;
		long pid;

		while (*counter < start + AHEAD)
			;	/* the writer is running on vCPU 1 */
		if (pipe2(fds, 0))
			return 1;
		pid = fork();
		if (pid == 0)
			exit(child(fds[0]));
		if (pid < 0)
			return 1;
		mark = *counter;
		while (*counter < mark + AHEAD)
			;
		if (write(fds[1], &mark, sizeof(mark)) != sizeof(mark) || waitpid(pid, &status) != pid)
			return 1;
		close(fds[0]);
		close(fds[1]);
		if (exit_code(status)) {
			printf("fork-wp-race: round %lu: the child exited with %d\n", r, exit_code(status));
			return exit_code(status) == 3 ? 3 : 1;
		}
	}
	printf("fork-wp-race: %lu forks, the child never saw a write from after fork returned\n", rounds);
	return 0;
}
