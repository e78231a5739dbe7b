/*
 * fork-size: a process with 1,024 touched private pages forks. A
 * copy-on-write fork allocates the child's page tables and task, never
 * copies of its pages: the pages in use grow by less than MAX_NEW across
 * the fork (an eager copy adds over 1,024). The child waits on a pipe, so
 * it is alive, holding every share, when the parent counts.
 */
#include <ulib.h>

#define PAGES		1024
#define PAGE		4096UL
/*
 * The child's tables (two top tables, an L3, an L2 and a few L1s: four of
 * them for these pages), its task and kernel stack, the stack pages either
 * side breaks by writing: a few dozen at most.
 */
#define MAX_NEW		32

int main(void)
{
	char *p = mmap(0, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	int go[2], status = -1;
	long before, grew, pid;
	char c;

	if ((long)p < 0 || pipe2(go, 0)) {
		printf("fork-size: mmap or pipe2 failed\n");
		return 1;
	}
	for (int i = 0; i < PAGES; i++)
		p[i * PAGE] = (char)i;
	before = pages_in_use();
	pid = fork();
	if (pid == 0) {
		if (read(go[0], &c, 1) != 1)
			exit_group(2);
		for (int i = 0; i < PAGES; i++)
			if (p[i * PAGE] != (char)i)
				exit_group(3);
		exit_group(0);
	}
	grew = pages_in_use() - before;
	if (pid < 0 || write(go[1], "x", 1) != 1 || waitpid(pid, &status) != pid ||
	    exit_code(status) != 0) {
		printf("fork-size: the child failed (fork %ld, status %d)\n", pid, status);
		return 1;
	}
	printf("fork-size: a fork of a %d-page process allocated %ld pages\n", PAGES, grew);
	if (grew >= MAX_NEW) {
		printf("fork-size: %ld new pages at fork: more than tables and a task (< %d)\n", grew,
		       MAX_NEW);
		return 1;
	}
	return 0;
}
