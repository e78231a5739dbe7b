/*
 * pipes' process: Linux's pipe semantics, between a parent and a forked
 * child. A byte goes back and forth over two pipes ROUNDS times with both
 * processes on one vCPU, then on two (each blocked reader woken from the
 * other vCPU), and each round trip's hypercalls are printed. Then: a
 * write larger than the ring arrives whole through several reads; a
 * reader sees end of file once the last write end is closed, the child's
 * included; a writer gets -EPIPE once no read end is left; bad descriptors
 * get -EBADF; two children writing 512-byte records into one pipe at once,
 * each record arrives whole (writes up to PIPE_BUF are atomic). Exit 0 if
 * all of that held, else the number of the check.
 */
#include <ulib.h>

#define ROUNDS	200
#define BIG	(3 * 4096 + 100)

static char big[BIG], got[BIG];

/* ROUNDS round trips of one byte: the child echoes what the parent sends. */
static int ping_pong(unsigned int child_cpu)
{
	int to_child[2], to_parent[2], status;
	long pid, before;
	char c = 0;

	if (pipe2(to_child, 0) || pipe2(to_parent, O_CLOEXEC))
		return 1;
	pid = fork();
	if (pid == 0) {
		if (set_affinity_cpu(child_cpu))
			exit(10);
		close(to_child[1]);
		close(to_parent[0]);
		while (read(to_child[0], &c, 1) == 1)
			if (write(to_parent[1], &c, 1) != 1)
				exit(11);
		exit(0);	/* end of file: the parent closed its end */
	}
	if (pid < 0)
		return 2;
	close(to_child[0]);
	close(to_parent[1]);
	if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1)
		return 3;	/* warm up: the child runs, its pages are in */
	before = hypercalls();
	for (int i = 0; i < ROUNDS; i++) {
		char sent = (char)i;

		if (write(to_child[1], &sent, 1) != 1 || read(to_parent[0], &c, 1) != 1 || c != sent)
			return 4;
	}
	printf("pipe_round_trip_vcpus_%u.hypercalls=%ld.%02ld\n", child_cpu ? 2 : 1,
	       (hypercalls() - before) / ROUNDS, (hypercalls() - before) * 100 / ROUNDS % 100);
	close(to_child[1]);	/* the child's read sees end of file */
	if (waitpid(pid, &status) != pid || exit_code(status) != 0)
		return 5;
	close(to_parent[0]);
	return 0;
}

static int big_write(void)
{
	int fds[2], status;
	long pid, n = 0, r;

	for (int i = 0; i < BIG; i++)
		big[i] = (char)(i * 7);
	if (pipe2(fds, 0))
		return 20;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		exit(write(fds[1], big, BIG) == BIG ? 0 : 21);	/* blocks until the reader makes room */
	}
	close(fds[1]);
	while ((r = read(fds[0], got + n, BIG - n)) > 0)
		n += r;
	if (r != 0 || n != BIG || waitpid(pid, &status) != pid || exit_code(status) != 0)
		return 22;
	for (int i = 0; i < BIG; i++)
		if (got[i] != big[i])
			return 23;
	close(fds[0]);
	return 0;
}

static int ends(void)
{
	int fds[2];
	char c;

	if (pipe2(fds, 0))
		return 30;
	close(fds[0]);
	if (write(fds[1], "x", 1) != -EPIPE)
		return 31;
	close(fds[1]);
	if (read(fds[0], &c, 1) != -EBADF || write(99, "x", 1) != -EBADF || close(fds[1]) != -EBADF)
		return 32;
	if (pipe2(fds, O_NONBLOCK) != -EINVAL || pipe2((int *)0xffffffff80000000UL, 0) != -EFAULT)
		return 33;
	if (read(0, &c, 1) != 0)
		return 34;	/* the console: end of file */
	return 0;
}

#define RECORD		512
#define RECORDS		64

/* Two writers on two vCPUs (when there are two), one reader: no record is interleaved. */
static int atomic_records(void)
{
	static char rec[RECORD];
	int fds[2], status;
	long pid[2], got_bytes = 0, r;

	if (pipe2(fds, 0))
		return 40;
	for (int w = 0; w < 2; w++) {
		pid[w] = fork();
		if (pid[w] == 0) {
			close(fds[0]);
			set_affinity_cpu(vcpus() > 1 ? w : 0);
			for (int i = 0; i < RECORD; i++)
				rec[i] = (char)('A' + w);
			for (int i = 0; i < RECORDS; i++)
				if (write(fds[1], rec, RECORD) != RECORD)
					exit(41);
			exit(0);
		}
	}
	close(fds[1]);
	/* Read a record at a time; a short read is finished before the record is checked. */
	for (;;) {
		long n = 0;

		while (n < RECORD && (r = read(fds[0], rec + n, RECORD - n)) > 0)
			n += r;
		if (!n)
			break;
		if (n != RECORD)
			return 42;
		for (int i = 1; i < RECORD; i++)
			if (rec[i] != rec[0])
				return 43;	/* two writers' bytes in one record */
		got_bytes += n;
	}
	for (int w = 0; w < 2; w++)
		if (waitpid(pid[w], &status) != pid[w] || exit_code(status) != 0)
			return 44;
	close(fds[0]);
	return got_bytes == 2 * RECORDS * RECORD ? 0 : 45;
}

int main(int argc, char **argv)
{
	int rc;

	if ((rc = ping_pong(0)) || (vcpus() > 1 && (rc = ping_pong(1))) || (rc = big_write()) || (rc = ends()) ||
	    (rc = atomic_records()))
		printf("pipes: check %d failed\n", rc);
	return rc;
}
