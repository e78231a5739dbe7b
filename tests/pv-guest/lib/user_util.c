#include <asm/time.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include "user_util.h"

int run_program(const char *program, unsigned long arg, unsigned int cpu)
{
	int pid = process_spawn(program, arg, cpu);

	if (pid < 0)
		test_error("cannot start %s: %d", program, pid);
	return process_wait_spawned(pid);
}

void check_pages_back(unsigned long base, const char *after)
{
	uint64_t deadline = xen_system_time_ns() + 1000000000ULL;

	while (pages_in_use() != base && xen_system_time_ns() < deadline)
		sleep_ns(1000000);
	printk("pages_in_use=%lu\npages_baseline=%lu\n", pages_in_use(), base);
	test_check(pages_in_use() == base, "after %s: %lu pages in use, baseline %lu: %ld leaked",
		   after, pages_in_use(), base, (long)(pages_in_use() - base));
}

void run_expecting(const char *program, unsigned long arg, unsigned int cpu, int expected)
{
	unsigned long base = pages_in_use();
	int status = run_program(program, arg, cpu);

	printk("%s.exit_status=%d\n", program, status);
	test_check(status == expected, "%s exited with %d, expected %d", program, status, expected);
	check_pages_back(base, program);
}
