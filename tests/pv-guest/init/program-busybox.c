/*
 * init-busybox's /init: Debian's busybox-static, as Debian ships it, run
 * from the initramfs as a Linux init would run it, each form a fork +
 * execve + wait4 of /bin/busybox, no environment:
 *  - `busybox true` and `busybox false`: the exit status comes back;
 *  - `busybox sh -c` with a loop of builtins, which prints its count and
 *    exits with 3;
 *  - `busybox sh -c` running /bin/busybox in a loop, then a command's
 *    output through $(...) and a pipeline into cat: the shell forks
 *    (glibc's clone with the child's tid words), execs, waits, and joins
 *    its children with pipes and dup2;
 *  - `busybox xargs /bin/busybox false` (its input: the console, at end of
 *    file): xargs runs false once through vfork, and answers 123 for a
 *    command that exited with 1 to 125;
 *  - `busybox gzip -c` of /data/text into a pipe that this process reads:
 *    the bytes must be the ones the host's busybox wrote (/data/text.gz,
 *    made by the build). The output is larger than the pipe, so gzip and
 *    this process take turns on the vCPU: every switch to gzip must give
 *    it back its own FS base (its TLS) and every switch here 0.
 * And, of its own (busybox's processes all put their TLS at the same
 * address, so they cannot tell one FS base from another): two children
 * each set a TLS block of its own with arch_prctl(ARCH_SET_FS) and take
 * turns on the vCPU, reading %fs:0 after every switch back.
 * Each result is one line the spec checks; then the system powers off.
 */
#include <ulib.h>
#include <asm/prctl.h>
#include <linux/reboot.h>

#define GZ_MAX	(64 * 1024)

static char got[GZ_MAX], want[GZ_MAX];

static int run(char *const argv[], int out)
{
	int status = -1;
	long pid = spawn_argv(argv, out);

	if (pid < 0 || waitpid(pid, &status) != pid)
		return -1;
	return exit_code(status);
}

/* All of @fd up to @max bytes: how many, or a negative errno. */
static long read_all(int fd, char *buf, long max)
{
	long n = 0, rc;

	while (n < max && (rc = read(fd, buf + n, max - n)) > 0)
		n += rc;
	return rc < 0 ? rc : n;
}

static void gzip_check(void)
{
	char *argv[] = { "/bin/busybox", "gzip", "-c", "/data/text", NULL };
	int fds[2], status = -1, fd;
	long pid, n, expected;

	if (pipe2(fds, 0)) {
		printf("busybox-init: pipe2 failed\n");
		return;
	}
	pid = spawn_argv(argv, fds[1]);
	close(fds[1]);	/* the child's copy is the only writer: its exit is end of file here */
	n = read_all(fds[0], got, GZ_MAX);
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status) != pid)
		status = -1;
	fd = open("/data/text.gz", O_RDONLY);
	expected = fd < 0 ? fd : read_all(fd, want, GZ_MAX);
	if (fd >= 0)
		close(fd);
	printf("busybox-init: gzip exited with %d, %ld bytes, the host's %ld: %s\n",
	       exit_code(status), n, expected,
	       n == expected && n > 0 && !memcmp(got, want, n) ? "identical" : "DIFFERENT");
}

#define TLS_SWITCHES	100

/* Like glibc's thread control block, each child's starts with a pointer to itself. */
static unsigned long tls_block[2][2];

static int tls_child(int i)
{
	unsigned long *block = tls_block[i], got;

	block[0] = (unsigned long)block;
	if (syscall6(__NR_arch_prctl, ARCH_SET_FS, (long)block, 0, 0, 0, 0))
		return 2;
	for (int n = 0; n < TLS_SWITCHES; n++) {
		sched_yield();	/* to the other child: the two alternate on the one vCPU */
		asm volatile("movq %%fs:0, %0" : "=r"(got));
		if (got != (unsigned long)block)
			return 1;
	}
	return 0;
}

static void tls_check(void)
{
	int status[2] = { -1, -1 };
	long pid[2];

	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			exit(tls_child(i));
	}
	for (int i = 0; i < 2; i++)
		if (pid[i] < 0 || waitpid(pid[i], &status[i]) != pid[i])
			status[i] = -1;
	printf("busybox-init: TLS of 2 processes over %d switches: exited with %d and %d\n",
	       TLS_SWITCHES, exit_code(status[0]), exit_code(status[1]));
}

int main(int argc, char **argv)
{
	char *bb_true[] = { "/bin/busybox", "true", NULL };
	char *bb_false[] = { "/bin/busybox", "false", NULL };
	char *loop[] = { "/bin/busybox", "sh", "-c",
			 "i=0; while [ $i -lt 100 ]; do i=$((i+1)); done; echo loop $i; exit 3", NULL };
	char *commands[] = { "/bin/busybox", "sh", "-c",
			     "for n in 1 2 3; do /bin/busybox true || exit 9; done; "
			     "/bin/busybox false; echo commands ran, the last $?; "
			     "x=$(/bin/busybox echo through); /bin/busybox echo $x a pipe | /bin/busybox cat",
			     NULL };
	char *xargs[] = { "/bin/busybox", "xargs", "/bin/busybox", "false", NULL };

	printf("busybox-init: true exited with %d\n", run(bb_true, -1));
	printf("busybox-init: false exited with %d\n", run(bb_false, -1));
	printf("busybox-init: sh loop exited with %d\n", run(loop, -1));
	printf("busybox-init: sh commands exited with %d\n", run(commands, -1));
	printf("busybox-init: xargs (vfork) exited with %d\n", run(xargs, -1));
	gzip_check();
	tls_check();
	syscall6(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, 0, 0, 0);
	printf("busybox-init: reboot(2) returned\n");
	return 1;
}
