/*
 * user-costs' process: hypercalls per fork+exit+wait and per 64-page mmap/touch/munmap,
 * demand-faulted and with MAP_POPULATE, from the counters (this vCPU's; the children run on it too). The
 * figures include every syscall's iret and any timer tick meanwhile.
 */
#include <ulib.h>

#define ROUNDS 20

int main(int argc, char **argv)
{
	long before;
	int status;

	before = hypercalls();
	for (int i = 0; i < ROUNDS; i++) {
		long pid = fork();

		if (pid == 0)
			exit(0);
		if (pid < 0 || waitpid(pid, &status) != pid)
			return 1;
	}
	printf("fork_exit_wait.hypercalls=%ld.%02ld\n", (hypercalls() - before) / ROUNDS,
	       (hypercalls() - before) * 100 / ROUNDS % 100);

	for (int populate = 0; populate < 2; populate++) {
		int flags = MAP_PRIVATE | MAP_ANONYMOUS | (populate ? MAP_POPULATE : 0);

		before = hypercalls();
		for (int i = 0; i < ROUNDS; i++) {
			char *p = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, flags, -1, 0);

			if ((long)p < 0)
				return 2;
			for (int pg = 0; pg < 64; pg++)
				p[pg * 4096] = 1;
			if (munmap(p, 64 * 4096))
				return 3;
		}
		printf("mmap64%s_touch_munmap.hypercalls=%ld.%02ld\n", populate ? "_populate" : "",
		       (hypercalls() - before) / ROUNDS, (hypercalls() - before) * 100 / ROUNDS % 100);
	}
	return 0;
}
