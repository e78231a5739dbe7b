/*
 * uaccess-race's process: a thread on vCPU 1 maps a fresh page for each of
 * ARG rounds, writes a program name into it, publishes it and unmaps the
 * page it published before; the main thread, on vCPU 0, keeps passing the
 * newest name it sees to exec, which reads it byte by byte. Each exec reads the name and then refuses
 * (the process has two threads) with -EBUSY, or fails with -EFAULT when
 * the page went away under the read (-ENOENT once the other thread has
 * ended: exec goes on to look the name up). Any other answer, or a dead guest,
 * is a failure. Exit 0 when every answer was one of the two.
 */
#include <ulib.h>

/* Long, so that each exec reads many bytes: each is a chance for the unmap to land. */
static const char name[] = "uaccess-race-a-program-name-that-is-long-and-never-exists-0";
static char *volatile published;
static volatile int finished;
static char stack[16384] __attribute__((aligned(16)));

static void unmapper(unsigned long rounds)
{
	if (set_affinity(2))
		exit(1);
	for (unsigned long r = 0; r < rounds; r++) {
		char *fresh = map_anon(4096, PROT_READ | PROT_WRITE), *old = published;

		if ((long)fresh < 0)
			exit(2);
		for (unsigned int i = 0; i < sizeof(name); i++)
			fresh[i] = name[i];
		published = fresh;
		munmap(old, 4096);
	}
	finished = 1;
	exit(0);
}

int main(int argc, char **argv)
{
	unsigned long rounds = program_arg(argc, argv);
	long calls = 0, busy = 0, faulted = 0;
	char *first = map_anon(4096, PROT_READ | PROT_WRITE);

	if ((long)first < 0 || set_affinity(1))
		return 1;
	for (unsigned int i = 0; i < sizeof(name); i++)
		first[i] = name[i];
	published = first;
	if (thread_start(unmapper, stack + sizeof(stack), rounds) < 0)
		return 2;
	while (!finished) {
		long rc = exec_program(published, 0);

		calls++;
		if (rc == -EBUSY || (rc == -ENOENT && finished)) {
			busy++;		/* ENOENT: the unmapper ended during the call */
		} else if (rc == -EFAULT) {
			faulted++;
		} else {
			printf("uaccess-race: exec answered %ld\n", rc);
			return 3;
		}
	}
	printf("uaccess-race: %ld calls: %ld read the name, %ld faulted\n", calls, busy, faulted);
	return 0;
}
