/*
 * exit-while-lazy: a process exits while kernel threads on other vCPUs are
 * lazily borrowing its mm (it ran on each of them, then moved on). The
 * teardown must make them all leave it, unpin successfully, make every
 * table page writable again (the page allocator checks each page it takes
 * back) and leak nothing. holders=K picks how many vCPUs borrow it
 * (default: all the others). With blocked=1 each borrower ends once it
 * has seen the mm, and its vCPU idles blocked in Xen (SCHEDOP_block)
 * still holding the mm: the teardown's IPI must wake it. With
 * inject=no-teardown-drop the teardown skips them, and Xen's -EBUSY on
 * the writable remap must be reported.
 */
#include <xen/errno.h>
#include <pvmm/sched.h>
#include <pvmm/process.h>
#include <pv-mmu/mm.h>
#include <pv-mmu/tlb.h>
#include <asm/smp.h>
#include "calls.h"
#include "handoff.h"
#include "teardown_stats.h"
#include "user_util.h"

static volatile bool stop;
static bool blocked;			/* borrowers end once they have seen the mm */
static struct mm *borrowed[MAX_VCPUS];	/* the user mm each borrower saw lazily loaded */
static struct handoff arrived[MAX_VCPUS];	/* the process has run on this vCPU */

/*
 * Asleep until the process has run on this vCPU (its vCPU idles blocked in
 * Xen meanwhile: no spinning vCPU competes with the process's hops, which
 * made the 128-vCPU run take 90 s beside another QEMU). Then it runs as
 * the process's vCPU's kernel thread, lazily holding the mm, and spins
 * until the test is over, or ends (blocked=1).
 */
static void borrower(void *unused)
{
	unsigned int cpu = smp_processor_id();
	const struct tlb_state *t = tlb_state_of(cpu);

	handoff_wait(&arrived[cpu]);
	while (!READ_ONCE(stop) && !(blocked && borrowed[cpu])) {
		if (t->is_lazy && t->loaded_mm != &init_mm)
			borrowed[cpu] = t->loaded_mm;
		yield();
	}
}

static long exit_while_lazy_call(unsigned long op, unsigned long arg)
{
	if (op != EXIT_WHILE_LAZY_ARRIVED)
		return -XEN_EINVAL;
	handoff_signal(&arrived[smp_processor_id()]);
	return 0;
}

static void exit_while_lazy(void)
{
	unsigned long holders = test_option_ulong("holders", nr_cpus - 1);
	unsigned long base = pages_in_use();
	struct task *k[MAX_VCPUS];
	struct teardown_record td;
	int status;

	if (holders >= nr_cpus)
		test_error("holders=%lu: at most %u here", holders, nr_cpus - 1);
	blocked = test_option_ulong("blocked", 0);
	teardown_stats_start();
	for (unsigned int cpu = 1; cpu <= holders; cpu++) {
		k[cpu] = kthread_create("borrower", borrower, NULL, cpu);
		if (!k[cpu])
			test_error("no memory for a kernel thread");
	}
	status = run_program("exit-while-lazy", holders, 0);
	WRITE_ONCE(stop, true);
	for (unsigned int cpu = 1; cpu <= holders; cpu++) {
		handoff_signal(&arrived[cpu]);	/* had the process failed before reaching it */
		kthread_join(k[cpu]);
	}
	if (!teardown_record_last(&td))
		test_error("no record of the program's teardown");

	printk("holders=%lu\nteardown.lazy_holders=%u\nteardown.ipis=%lu\nteardown.hypercalls=%lu\n",
	       holders, td.holders, td.ipis, td.hypercalls);
	test_check(status == 0, "the program exited with %d", status);
	test_check(td.holders == holders, "%u vCPUs held the mm at teardown, %lu expected",
		   td.holders, holders);
	for (unsigned int cpu = 1; cpu <= holders; cpu++) {
		test_check(borrowed[cpu] != NULL, "vCPU %u never borrowed the process's mm", cpu);
		test_check(tlb_state_of(cpu)->loaded_mm == &init_mm,
			   "vCPU %u still had a user mm loaded after the teardown", cpu);
	}
	/*
	 * One IPI per holder, all sent in one hypercall; then this vCPU's own
	 * leave_mm and the unpin with the writable remaps: one hypercall each.
	 */
	test_check(td.ipis == holders, "teardown sent %lu IPIs for %lu holders", td.ipis, holders);
	test_check(td.hypercalls == 2 + (holders ? 1 : 0),
		   "teardown made %lu hypercalls with %lu lazy holders", td.hypercalls, holders);
	check_pages_back(base, "the program");
}

static const char *const exit_while_lazy_options[] = { "holders", "blocked", NULL };

REGISTER_TEST(exit_while_lazy, "exit-while-lazy",
	.description = "teardown of an mm lazily borrowed by kernel threads on other vCPUs",
	.options = exit_while_lazy_options,
	.run = exit_while_lazy,
	.user_call = exit_while_lazy_call,
);
