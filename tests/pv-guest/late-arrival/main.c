/*
 * late-arrival: flush_tlb_mm_range() reads the mm's holders, issues the
 * PTE updates with the flush, then reads the holders again and flushes any
 * vCPU that loaded the mm in between: such a vCPU may have cached a
 * translation that the updates then changed (tlb.c).
 *
 * The test makes that happen every round, with explicit hand-offs. The
 * process's late thread parks on LATE_CPU; a kernel thread there makes the
 * vCPU leave the mm (leave_mm()) and waits. At MMU_HOOK_RANGE_HOLDERS of
 * the main thread's munmap (holders read, nothing issued), the test lets
 * the kernel thread release the late thread, and holds the munmap until
 * the late thread has read the page through the mm it just loaded. Then
 * the munmap goes on: the first flush misses LATE_CPU (checked), and only
 * the late re-read can reach it (checked). The late thread's next read
 * must fault.
 *
 * Under inject=no-late-flush no flush reaches the late vCPU: that check
 * fails, every time. Its stale read, checked after, shows only in some
 * runs: a kernel entry on that vCPU (an event) flushes QEMU's TLB.
 */
#include <xen/errno.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <asm/uaccess.h>
#include <pvmm/sched.h>
#include <pv-mmu/seam.h>
#include <pv-mmu/tlb.h>
#include "calls.h"
#include "handoff.h"
#include "user_util.h"

#define GUARD_NS 10000000000ULL		/* against a hang, not a timing margin */

static struct mm *volatile armed;	/* the round's mm, until its munmap reads the holders */
static struct mm *volatile round_mm;	/* the round's mm, for the flush's reach */
static unsigned long shared_addr;	/* the process's struct late_shared */
static volatile bool left, go_on;	/* LATE_CPU left the mm; the late thread may go on */
static struct handoff parked, resume;	/* the late thread parked; it may resume */
static cpumask_t first_flush, reached;	/* the munmap's first flush mask; all it flushed */

/* In the munmap, on vCPU 0, events masked: let the late thread load the mm, wait for its read. */
static void on_range(const struct mmu_hook_event *e)
{
	unsigned long touched = 0;
	uint64_t deadline;

	if (e->point == MMU_HOOK_RANGE_END && e->mm == READ_ONCE(round_mm))
		reached = e->cpus;
	if (e->point != MMU_HOOK_RANGE_HOLDERS || e->mm != READ_ONCE(armed))
		return;
	WRITE_ONCE(armed, NULL);
	first_flush = e->cpus;
	WRITE_ONCE(go_on, true);
	deadline = xen_system_time_ns() + GUARD_NS;
	while (copy_from_user(&touched, shared_addr + offsetof(struct late_shared, touched),
			      sizeof(touched)) || !touched) {
		if (xen_system_time_ns() > deadline)
			test_error("the late thread never read the page");
		cpu_relax();
	}
}

/* On LATE_CPU, once the late thread parked (its mm lazily loaded here). */
static void leaver(void *unused)
{
	uint64_t deadline;

	handoff_wait(&parked);
	/*
	 * The late thread says it parks before it sleeps, and an event between
	 * the two can preempt it: it would then run again after this leave and
	 * load the mm here once more, and the munmap would find this vCPU a
	 * holder (round 17 of one make stress run). Its sleep is published in
	 * resume.waiter under its run queue's lock, held across the switch; this
	 * thread runs on the same vCPU, so once it sees that, the late thread
	 * has switched out for good. Until then, yielding lets it get there.
	 */
	deadline = xen_system_time_ns() + GUARD_NS;
	while (!__atomic_load_n(&resume.waiter, __ATOMIC_ACQUIRE)) {
		if (xen_system_time_ns() > deadline)
			test_error("the late thread said it parked but never went to sleep");
		yield();
	}
	leave_mm();
	WRITE_ONCE(left, true);
	/* Yields to nothing: the late thread is parked until this thread resumes it. */
	wait_until_set(&go_on, "the munmap reading the holders");
	handoff_signal(&resume);
}

static long answer(unsigned long op, unsigned long arg)
{
	switch (op) {
	case PARK:
		handoff_signal(&parked);
		handoff_wait(&resume);
		return 0;
	case ARM:
		wait_until_set(&left, "LATE_CPU leaving the process's mm");
		shared_addr = arg;
		WRITE_ONCE(round_mm, current_task()->mm);
		WRITE_ONCE(armed, current_task()->mm);
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

static void late_arrival(void)
{
	unsigned long rounds = test_option_ulong("rounds", 20), base = pages_in_use();

	if (nr_cpus <= LATE_CPU)
		test_error("needs %u vCPUs, has %u", LATE_CPU + 1, nr_cpus);
	if (!mmu_hook_add(on_range))
		test_error("no room for another MMU hook");
	for (unsigned long r = 0; r < rounds; r++) {
		struct task *k;
		int status;

		parked = resume = (struct handoff){ 0 };
		left = go_on = false;
		k = kthread_create("leaver", leaver, NULL, LATE_CPU);
		if (!k)
			test_error("no memory for a kernel thread");
		status = run_program("late-arrival", 0, 0);
		kthread_join(k);
		if (!test_check(!cpumask_test(first_flush, LATE_CPU),
				"round %lu: the first flush reached vCPU %u: it did not arrive late", r,
				LATE_CPU) ||
		    !test_check(cpumask_test(reached, LATE_CPU),
				"round %lu: no flush reached vCPU %u, which arrived late", r, LATE_CPU) ||
		    !test_check(status == 0, "round %lu: the program exited with %d%s", r, status,
				status == 3 ? ": the late vCPU read the page through a stale entry" : ""))
			return;
	}
	printk("rounds=%lu\n", rounds);
	check_pages_back(base, "the rounds");
}

static const char *const late_arrival_options[] = { "rounds", NULL };

REGISTER_TEST(late_arrival, "late-arrival",
	.description = "a vCPU that loads the mm between a flush's holder read and its issue is flushed",
	.options = late_arrival_options,
	.run = late_arrival,
	.user_call = answer,
);
