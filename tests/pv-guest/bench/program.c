/*
 * bench: the benchmark's single-vCPU workloads, one static program for
 * pvmm and Linux alike (Linux's system calls only), run as the
 * initramfs's /init; phases as phases.h says. The domain has two vCPUs:
 * the process runs on vCPU 0, and one phase keeps a thread of it on vCPU 1
 * (munmap8_loaded_on_2, a remote flush). program-mp.c has the workloads
 * that spread over every vCPU. Then it powers the domain off.
 */
#include <linux/reboot.h>
#include "phases.h"

#define STACK_SIZE	16384

static char thread_stack[STACK_SIZE] __attribute__((aligned(16)));

static void nothing(void)
{
}

static void fork_exit_wait(void)
{
	int status;
	long pid = fork();

	if (pid == 0)
		exit(0);
	waitpid(pid, &status);
}

static void mmap_touch_munmap(int flags)
{
	char *p = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if ((long)p < 0)
		return;
	for (int pg = 0; pg < 64; pg++)
		p[pg * 4096] = 1;
	munmap(p, 64 * 4096);
}

static void demand_faults(void)
{
	mmap_touch_munmap(0);
}

static void populated(void)
{
	mmap_touch_munmap(MAP_POPULATE);
}

static char *protected;

static void mprotect_8(void)
{
	mprotect(protected, 8 * 4096, PROT_READ);
	mprotect(protected, 8 * 4096, PROT_READ | PROT_WRITE);
}

static int to_child[2], to_parent[2];

static void pipe_round_trip(void)
{
	char c = 0;

	write(to_child[1], &c, 1);
	read(to_parent[0], &c, 1);
}

static void nop_thread(unsigned long unused)
{
}

static void thread_create_join(void)
{
	static unsigned int tid;

	if (thread_start_tid(nop_thread, thread_stack + STACK_SIZE, 0, &tid) > 0)
		thread_join(&tid);
}

static void fork_exec_wait(void)
{
	int status;
	long pid = fork();

	if (pid == 0) {
		char *argv[] = { "/bin/true", NULL }, *envp[] = { NULL };

		execve("/bin/true", argv, envp);
		exit(127);
	}
	waitpid(pid, &status);
}

/*
 * munmap8_loaded_on_2: a thread of this process spins on vCPU 1 reading
 * its memory, so the mm is loaded there too and every unmap must reach
 * vCPU 1's TLB: 8 populated pages mapped and unmapped per iteration.
 */
static char spinner_stack[STACK_SIZE] __attribute__((aligned(16)));
static volatile int spinner_stop;
static unsigned int spinner_tid;

static void spin_reading(unsigned long unused)
{
	set_affinity_cpu(1);
	while (!spinner_stop)
		(void)*(volatile char *)protected;
}

static void start_spinner(void)
{
	spinner_stop = 0;
	thread_start_tid(spin_reading, spinner_stack + STACK_SIZE, 0, &spinner_tid);
}

static void stop_spinner(void)
{
	spinner_stop = 1;
	thread_join(&spinner_tid);
}

static void munmap_8_remote(void)
{
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if ((long)p >= 0)
		munmap(p, 8 * 4096);
}

/*
 * fork_exit_wait_N, fork_exec_wait_N: the same with N more pages mapped and
 * touched (setup), all of which fork shares copy-on-write under pvmm.
 */
static char *touched;
static unsigned long touched_pages;

/* Populated, not faulted in: the setup stays small in Xen's trace, which records it too. */
static void touch_pages(unsigned long n)
{
	touched = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	touched_pages = (long)touched < 0 ? 0 : n;
	for (unsigned long pg = 0; pg < touched_pages; pg++)
		touched[pg * 4096] = 1;
}

static void touch_64(void)
{
	touch_pages(64);
}

static void touch_1024(void)
{
	touch_pages(1024);
}

static void untouch(void)
{
	if (touched_pages)
		munmap(touched, touched_pages * 4096);
}

/*
 * cow_break: a child holds a copy-on-write share of WARM_UP + ITERATIONS
 * pages (it waits on a pipe); each iteration writes the next one: one
 * write fault that copies the page.
 */
static int cow_pipe[2];
static long cow_child;
static unsigned long cow_next;

static void cow_setup(void)
{
	char c;

	touch_pages(WARM_UP + ITERATIONS);
	cow_next = 0;
	if (pipe2(cow_pipe, 0))
		return;
	cow_child = fork();
	if (cow_child == 0) {
		close(cow_pipe[1]);
		read(cow_pipe[0], &c, 1);	/* until the parent closes its end */
		exit(0);
	}
}

static void cow_break(void)
{
	if (cow_next < touched_pages)
		touched[cow_next++ * 4096] = 2;
}

static void cow_teardown(void)
{
	int status;

	close(cow_pipe[1]);
	if (cow_child > 0)
		waitpid(cow_child, &status);
	close(cow_pipe[0]);
	untouch();
}

/*
 * map2m_populate_unmap: a 2 MiB region alone in its 512 GiB, populated and
 * unmapped: its L3, L2 and L1 tables are made and, under pvmm, freed again.
 */
#define ALONE	((void *)0x0000600000000000UL)

static void map_2m(void)
{
	char *p = mmap(ALONE, 2UL << 20, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_POPULATE, -1, 0);

	if ((long)p >= 0)
		munmap(p, 2UL << 20);
}

/*
 * Fault-around (pvmm's PVMM_SYS_fault_around, -ENOSYS and nothing under
 * Linux) at 4 and 16 pages, for mappings made while it is set: the
 * phases' own, never the markers' (mapped before any phase). Touching
 * every page, and every fourth page; the report sets the pages touched
 * against the pages allocated.
 */
static unsigned long touch_step = 1;

static void touch_every(void)
{
	char *p = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if ((long)p < 0)
		return;
	for (int pg = 0; pg < 64; pg += touch_step)
		p[pg * 4096] = 1;
	munmap(p, 64 * 4096);
}

static void fault_around(unsigned long around, unsigned long step)
{
	SYSCALL(PVMM_SYS_fault_around, around, 0, 0);
	touch_step = step;
	phase_touches(64 / step);
}

static void around_1(void)
{
	fault_around(1, 1);
}

static void around_4(void)
{
	fault_around(4, 1);
}

static void around_16(void)
{
	fault_around(16, 1);
}

static void around_1_sparse(void)
{
	fault_around(1, 4);
}

static void around_4_sparse(void)
{
	fault_around(4, 4);
}

static void around_16_sparse(void)
{
	fault_around(16, 4);
}

static void around_off(void)
{
	SYSCALL(PVMM_SYS_fault_around, 1, 0, 0);
	touch_step = 1;
}

static const struct phase phases[] = {
	{ .name = "marker", .op = nothing },
	{ .name = "fork_exit_wait", .op = fork_exit_wait },
	{ .name = "mmap64_touch_munmap", .op = demand_faults, .setup = around_1 },
	{ .name = "mmap64_populate_touch_munmap", .op = populated },
	{ .name = "mprotect8_twice", .op = mprotect_8 },
	{ .name = "pipe_round_trip", .op = pipe_round_trip },
	{ .name = "thread_create_join", .op = thread_create_join },
	{ .name = "fork_exec_wait", .op = fork_exec_wait },
	{ .name = "munmap8_loaded_on_2", .op = munmap_8_remote, .setup = start_spinner,
	  .teardown = stop_spinner },
	{ .name = "fork_exit_wait_64", .op = fork_exit_wait, .setup = touch_64, .teardown = untouch },
	{ .name = "fork_exit_wait_1024", .op = fork_exit_wait, .setup = touch_1024, .teardown = untouch },
	{ .name = "fork_exec_wait_64", .op = fork_exec_wait, .setup = touch_64, .teardown = untouch },
	{ .name = "fork_exec_wait_1024", .op = fork_exec_wait, .setup = touch_1024, .teardown = untouch },
	{ .name = "cow_break", .op = cow_break, .setup = cow_setup, .teardown = cow_teardown },
	{ .name = "map2m_populate_unmap", .op = map_2m },
	{ .name = "mmap64_touch_munmap_around4", .op = touch_every, .setup = around_4,
	  .teardown = around_off },
	{ .name = "mmap64_touch_munmap_around16", .op = touch_every, .setup = around_16,
	  .teardown = around_off },
	{ .name = "mmap64_touch4th_munmap", .op = touch_every, .setup = around_1_sparse,
	  .teardown = around_off },
	{ .name = "mmap64_touch4th_munmap_around4", .op = touch_every, .setup = around_4_sparse,
	  .teardown = around_off },
	{ .name = "mmap64_touch4th_munmap_around16", .op = touch_every, .setup = around_16_sparse,
	  .teardown = around_off },
	{ .name = "marker", .op = nothing },
};

int main(int argc, char **argv)
{
	int status;
	long echo;

	/* One vCPU for everything: a phase measures its operation, not the scheduler's spreading. */
	set_affinity(1);
	protected = map_anon(8 * 4096, PROT_READ | PROT_WRITE);
	echo = start_echo(to_child, to_parent, -1);	/* pipe_round_trip's other end, on vCPU 0 */
	if ((long)protected < 0 || echo < 0) {
		printf("bench: setup failed\n");
		return 1;
	}
	for (int pg = 0; pg < 8; pg++)
		protected[pg * 4096] = 1;
	if (run_phases(phases, sizeof(phases) / sizeof(phases[0]))) {
		printf("bench: cannot run the phases: more than %d, or no markers at 0x%lx\n",
		       MAX_PHASES, MARKER_BASE);
		return 1;
	}
	close(to_child[1]);
	waitpid(echo, &status);
	syscall6(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, 0, 0, 0);
	return 1;
}
