#include <ulib.h>

int printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	write(1, buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1);
	return n;
}

/* Returning from main ends the process, other threads included. */
void exit_from_main(int status)
{
	exit_group(status);
}

void *map_anon(unsigned long len, int prot)
{
	return mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

long sleep_ns(unsigned long ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000UL, .tv_nsec = ns % 1000000000UL };

	return nanosleep(&ts, NULL);
}

long set_affinity(unsigned long mask)
{
	return sched_setaffinity(0, sizeof(mask), &mask);
}

long set_affinity_cpu(unsigned int cpu)
{
	unsigned long mask[4] = { 0 };	/* up to 256 vCPUs */

	if (cpu >= 256)
		return -EINVAL;
	mask[cpu / 64] = 1UL << (cpu % 64);
	return sched_setaffinity(0, sizeof(mask), mask);
}

long exec_program(const char *name, unsigned long arg)
{
	char number[24];
	char *argv[] = { (char *)name, number, NULL };
	char *envp[] = { NULL };
	char *p = number + sizeof(number);

	*--p = 0;
	do
		*--p = '0' + arg % 10;
	while (arg /= 10);
	argv[1] = p;
	return execve(name, argv, envp);
}

long spawn_argv(char *const argv[], int out)
{
	char *envp[] = { NULL };
	long pid = fork(), rc;

	if (pid)
		return pid;
	if (out >= 0 && dup2(out, 1) != 1)
		exit(126);
	rc = execve(argv[0], argv, envp);
	printf("spawn: execve(%s) = %ld\n", argv[0], rc);
	exit(127);
}

unsigned long program_arg(int argc, char **argv)
{
	unsigned long n = 0;
	const char *s;

	if (argc < 2)
		return 0;
	s = argv[1];
	if (s[0] == '0' && s[1] == 'x') {
		for (s += 2; *s; s++)
			n = n * 16 + (*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
		return n;
	}
	for (; *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (*s - '0');
	return n;
}

/*
 * CLONE_CHILD_CLEARTID: the kernel zeroes the word at the thread's exit and
 * wakes its waiters. Not FUTEX_PRIVATE_FLAG: Linux's wake at thread exit is
 * a shared one, whose key a private waiter's never matches (glibc waits on
 * the tid word without the flag for that reason).
 */
void thread_join(unsigned int *tid)
{
	unsigned int t;

	while ((t = __atomic_load_n(tid, __ATOMIC_ACQUIRE)) != 0)
		futex(tid, FUTEX_WAIT, t);
}
