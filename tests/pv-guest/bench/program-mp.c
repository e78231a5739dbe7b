/*
 * bench-mp: the benchmark's workloads that spread over every vCPU of the
 * domain, one static program for pvmm and Linux alike, run as /init;
 * phases as phases.h says. The measuring process runs on vCPU 0; what runs
 * on the others depends on the phase:
 *
 * - pipe_round_trip_2_vcpus: a byte to a child on vCPU 1 and back.
 * - mapN_unmap_loaded_on_all: N populated pages mapped and unmapped while
 *   a thread of the process spins reading its memory on every other vCPU,
 *   so the mm is loaded on all of them and every unmap must reach each TLB.
 *   map8_unmap_loaded_on_1 and _on_half: the same with spinners on vCPUs
 *   1..k only, k = 1 and k = N / 2 (so k of N vCPUs hold the mm, k < N).
 * - fork_threads_exit_lazy: a child runs a short thread on every other
 *   vCPU, then exits; those vCPUs idle lazily holding its mm, so its
 *   teardown must make each of them leave it.
 * - switch_mix: a token goes round four tasks, two threads of this
 *   process and two of a child: this thread (vCPU 0), the child's first
 *   (vCPU 0), this process's second (vCPU 1), the child's second (vCPU 1),
 *   back here. Each hop is a pipe write and a blocking read; every switch
 *   on a vCPU changes mm, and two hops a round wake the other vCPU.
 *
 * It counts the vCPUs itself (sched_setaffinity fails past the last), so
 * the same archive runs at any vCPU count; then it powers the domain off.
 */
#include <linux/reboot.h>
#include "phases.h"

#define STACK_SIZE	16384
#define MAX_CPUS	64

static unsigned int nr_vcpus;
static char stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(16)));
static unsigned int tids[MAX_CPUS];
static volatile char *shared;		/* what the spinners read */
static volatile int spinners_stop;
static unsigned int nr_spinners;	/* on vCPUs 1..nr_spinners */

static unsigned int count_vcpus(void)
{
	unsigned int n = 1;

	while (n < MAX_CPUS && set_affinity_cpu(n) == 0)
		n++;
	set_affinity_cpu(0);
	return n;
}

static void nothing(void)
{
}

static int to_child[2], to_parent[2];

static void pipe_round_trip(void)
{
	char c = 0;

	write(to_child[1], &c, 1);
	read(to_parent[0], &c, 1);
}

/* The echo end, on vCPU 1: it ends when the parent closes its write end. */
static long echo_pid;

static void start_echo_on_1(void)
{
	echo_pid = start_echo(to_child, to_parent, 1);
	if (echo_pid < 0) {
		printf("bench-mp: pipe_round_trip_2_vcpus: cannot start the echo child\n");
		exit(1);	/* rather than wait for an answer that never comes */
	}
}

static void stop_echo(void)
{
	int status;

	close(to_child[1]);
	close(to_parent[0]);
	waitpid(echo_pid, &status);
}

static void spin_reading(unsigned long cpu)
{
	set_affinity_cpu(cpu);
	while (!spinners_stop)
		(void)*shared;
}

static void start_spinners(unsigned int k)
{
	nr_spinners = k;
	spinners_stop = 0;
	for (unsigned int cpu = 1; cpu <= k; cpu++)
		thread_start_tid(spin_reading, stacks[cpu] + STACK_SIZE, cpu, &tids[cpu]);
}

static void spinners_on_all(void)
{
	start_spinners(nr_vcpus - 1);
}

static void spinners_on_1(void)
{
	start_spinners(1);
}

static void spinners_on_half(void)
{
	start_spinners(nr_vcpus / 2);
}

static void stop_spinners(void)
{
	spinners_stop = 1;
	for (unsigned int cpu = 1; cpu <= nr_spinners; cpu++)
		thread_join(&tids[cpu]);
}

static void map_unmap(unsigned long pages)
{
	char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if ((long)p >= 0)
		munmap(p, pages * 4096);
}

static void map1_unmap(void)
{
	map_unmap(1);
}

static void map8_unmap(void)
{
	map_unmap(8);
}

static void map32_unmap(void)
{
	map_unmap(32);
}

static void map64_unmap(void)
{
	map_unmap(64);
}

static void touch_and_exit(unsigned long cpu)
{
	set_affinity_cpu(cpu);
	*shared = 1;	/* its vCPU uses the child's mm, then idles holding it */
}

static void fork_threads_exit_lazy(void)
{
	int status;
	long pid = fork();

	if (pid == 0) {
		for (unsigned int cpu = 1; cpu < nr_vcpus; cpu++)
			if (thread_start_tid(touch_and_exit, stacks[cpu] + STACK_SIZE, cpu, &tids[cpu]) > 0)
				thread_join(&tids[cpu]);
		exit(0);
	}
	waitpid(pid, &status);
}

/*
 * switch_mix's pipes: ring[i] carries the token out of task i, in the
 * token's order: 0 the child's first thread (B0, vCPU 0), 1 this process's
 * second (A1, vCPU 1), 2 the child's second (B1, vCPU 1), 3 this thread
 * (A0, vCPU 0).
 */
static int ring[4][2];
static long mix_child;
static unsigned int mix_tid;

/* Pass the token from pipe @in to pipe @out; a token of 1 is passed on, then ends the task. */
static void pass_on(int in, int out)
{
	char c = 0;

	while (c == 0 && read(ring[in][0], &c, 1) == 1)
		write(ring[out][1], &c, 1);
}

/* A1 and B1: on vCPU 1. */
static void a1(unsigned long cpu)
{
	set_affinity_cpu(cpu);
	pass_on(0, 1);
}

static void b1(unsigned long cpu)
{
	set_affinity_cpu(cpu);
	pass_on(1, 2);
}

/*
 * A task of the ring that cannot start would leave the others blocked in
 * read for ever: say so and end (Linux panics when init exits, pvmm ends
 * the test with FAILURE: either way the run stops with this line).
 */
static void mix_cannot_start(const char *what, long rc)
{
	printf("bench-mp: switch_mix: %s failed: %ld\n", what, rc);
	exit(1);
}

static void start_mix(void)
{
	long rc;

	for (int i = 0; i < 4; i++)
		if ((rc = pipe2(ring[i], 0)))
			mix_cannot_start("pipe2", rc);
	mix_child = fork();
	if (mix_child < 0)
		mix_cannot_start("fork", mix_child);
	if (mix_child == 0) {
		unsigned int tid;

		/* B0 is this thread, on vCPU 0 as its parent was. */
		if ((rc = thread_start_tid(b1, stacks[1] + STACK_SIZE, 1, &tid)) <= 0)
			mix_cannot_start("the child's thread", rc);
		pass_on(3, 0);
		thread_join(&tid);
		exit(0);
	}
	if ((rc = thread_start_tid(a1, stacks[2] + STACK_SIZE, 1, &mix_tid)) <= 0)
		mix_cannot_start("this process's thread", rc);
}

static void send_token(char c)
{
	write(ring[3][1], &c, 1);
	read(ring[2][0], &c, 1);
}

static void switch_round(void)
{
	send_token(0);
}

static void stop_mix(void)
{
	int status;

	send_token(1);
	thread_join(&mix_tid);
	waitpid(mix_child, &status);
	for (int i = 0; i < 4; i++) {
		close(ring[i][0]);
		close(ring[i][1]);
	}
}

static const struct phase phases[] = {
	{ .name = "marker", .op = nothing },
	{ .name = "pipe_round_trip_2_vcpus", .op = pipe_round_trip, .setup = start_echo_on_1,
	  .teardown = stop_echo },
	{ .name = "map8_unmap_loaded_on_1", .op = map8_unmap, .setup = spinners_on_1,
	  .teardown = stop_spinners },
	{ .name = "map8_unmap_loaded_on_half", .op = map8_unmap, .setup = spinners_on_half,
	  .teardown = stop_spinners },
	{ .name = "map1_unmap_loaded_on_all", .op = map1_unmap, .setup = spinners_on_all,
	  .teardown = stop_spinners },
	{ .name = "map8_unmap_loaded_on_all", .op = map8_unmap, .setup = spinners_on_all,
	  .teardown = stop_spinners },
	{ .name = "map32_unmap_loaded_on_all", .op = map32_unmap, .setup = spinners_on_all,
	  .teardown = stop_spinners },
	{ .name = "map64_unmap_loaded_on_all", .op = map64_unmap, .setup = spinners_on_all,
	  .teardown = stop_spinners },
	{ .name = "fork_threads_exit_lazy", .op = fork_threads_exit_lazy },
	{ .name = "switch_mix", .op = switch_round, .setup = start_mix, .teardown = stop_mix },
	{ .name = "marker", .op = nothing },
};

int main(int argc, char **argv)
{
	nr_vcpus = count_vcpus();
	shared = map_anon(4096, PROT_READ | PROT_WRITE);
	if (nr_vcpus < 2 || (long)shared < 0) {
		printf("bench-mp: needs 2 vCPUs or more (has %u) and a page\n", nr_vcpus);
		return 1;
	}
	*shared = 1;
	printf("bench-mp: %u vCPUs\n", nr_vcpus);
	if (run_phases(phases, sizeof(phases) / sizeof(phases[0]))) {
		printf("bench-mp: cannot run the phases: more than %d, or no markers at 0x%lx\n",
		       MAX_PHASES, MARKER_BASE);
		return 1;
	}
	syscall6(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, 0, 0, 0);
	return 1;
}
