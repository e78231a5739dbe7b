/*
 * cow-teardown-uaccess: a system call writes a user buffer in a page the
 * process shares copy-on-write with its parent, before the process has
 * written that page itself: the kernel's copy breaks the share (the
 * exception-table fixup goes through handle_mm_fault()) and succeeds,
 * where it used to fail with -EFAULT. The parent's page keeps its data.
 */
#include <ulib.h>

int main(int argc, char **argv)
{
	char *p = map_anon(4096, PROT_READ | PROT_WRITE);
	int fds[2], status;
	long pid, got;

	if ((long)p < 0 || pipe2(fds, 0))
		return 1;
	p[0] = p[100] = 'P';
	pid = fork();
	if (pid == 0) {
		got = read(fds[0], p + 100, 1);	/* the kernel writes the shared page */
		if (got != 1) {
			printf("cow-teardown-uaccess: read into a shared page returned %ld\n", got);
			exit(2);
		}
		exit(p[100] == 'C' && p[0] == 'P' ? 0 : 3);
	}
	if (pid < 0 || write(fds[1], "C", 1) != 1 || waitpid(pid, &status) != pid)
		return 1;
	if (exit_code(status))
		return exit_code(status);
	return p[100] == 'P' ? 0 : 4;	/* the child's read must not reach the parent's page */
}
