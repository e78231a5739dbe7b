/*
 * lifecycle: the toolstack ends a busy domain. A process per vCPU forks,
 * threads and exits for ever (program.c) until a control/shutdown request
 * arrives (xl shutdown, xl reboot). Then every process is stopped, each mm
 * torn down by exit_mmap (check mode verifies every teardown), every page
 * comes back, and the domain shuts down with the reason asked for. `xl
 * destroy` gives the guest no say: dom0 checks that Xen has all of its
 * memory back (docs/lifecycle.md). `xl vcpu-set` takes vCPUs offline and
 * back under the soak (its processes then run wherever they can). `xl
 * save`, `xl restore` and `xl migrate` suspend it (kernel/suspend.c),
 * which it does not see: it only says, after each, that the soak goes
 * on. storm=1 adds munmaps and execs to the soak (program.c). dom0 acts
 * when the console shows "lifecycle: soaking": once the soak runs, and
 * again once it has run as long after each suspend.
 */
#include <xen/errno.h>
#include <xen/sched.h>
#include <hypercall/hypercall.h>
#include <asm/page_alloc.h>
#include <asm/smp.h>
#include <pvmm/control.h>
#include <pvmm/hotplug.h>
#include <pvmm/process.h>
#include <pvmm/spinlock.h>
#include <pvmm/suspend.h>
#include <uapi/pvmm_syscall.h>
#include "calls.h"
#include "handoff.h"
#include "user_util.h"

/* Lifetimes before dom0 is told the soak runs: a few per vCPU. */
#define LIFETIMES_PER_VCPU	4

static unsigned long lifetimes;
static unsigned long soaking_at;
static struct handoff soaking;

/* Suspends seen so far, and lifetimes since the last of them. */
static spinlock_t suspend_lock = SPINLOCK_INIT;
static unsigned long suspends_seen, since_suspend;

/* Once the soak has run soaking_at lifetimes after a suspend: the figures, and the marker. */
static void soaking_after_suspend(void)
{
	unsigned long resumed, cancelled, flags;
	bool say = false;

	suspend_counts(&resumed, &cancelled);
	flags = spin_lock_irqsave(&suspend_lock);
	if (resumed + cancelled != suspends_seen) {
		suspends_seen = resumed + cancelled;
		since_suspend = 0;
	} else if (suspends_seen && ++since_suspend == soaking_at) {
		say = true;
	}
	spin_unlock_irqrestore(&suspend_lock, flags);
	if (say)
		printk("lifecycle: %lu lifetimes after suspend %lu (%lu resumed in a new domain, %lu"
		       " cancelled), %lu in all, %lu pages in use\nlifecycle: soaking\n",
		       soaking_at, resumed + cancelled, resumed, cancelled,
		       __atomic_load_n(&lifetimes, __ATOMIC_SEQ_CST), pages_in_use());
}

static long lifecycle_call(unsigned long op, unsigned long arg)
{
	if (op != LIFECYCLE_LIFETIME)
		return -XEN_EINVAL;
	if (__atomic_add_fetch(&lifetimes, 1, __ATOMIC_SEQ_CST) == soaking_at)
		handoff_signal(&soaking);
	soaking_after_suspend();
	return 0;
}

static void lifecycle(void)
{
	unsigned long base = pages_in_use();
	unsigned long storm = test_option_ulong("storm", 0) ? 1 : 0;	/* program.c's argument */
	int pid[MAX_VCPUS], reason, stopped;
	unsigned long downs, ups, resumed, cancelled;

	control_claim();
	soaking_at = LIFETIMES_PER_VCPU * nr_cpus;
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		pid[cpu] = process_spawn("lifecycle", storm, cpu);
		if (pid[cpu] < 0)
			test_error("cannot start the soak on vCPU %u: %s", cpu, xen_errno_name(pid[cpu]));
	}
	handoff_wait(&soaking);
	printk("lifecycle: soaking\n");

	reason = control_wait();
	if (reason < 0) {
		test_skip("no toolstack request can reach this guest (it needs a domU with a store: xl mode)");
		reason = SHUTDOWN_poweroff;
	}
	printk("lifecycle: request=%s after %lu lifetimes\n", shutdown_reason_name(reason),
	       __atomic_load_n(&lifetimes, __ATOMIC_SEQ_CST));
	stopped = processes_stop_all();
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		int status = process_wait_spawned(pid[cpu]);

		test_check(status == EXIT_KILLED, "the soak on vCPU %u ended with %d, not killed (%d)",
			   cpu, status, EXIT_KILLED);
	}
	hotplug_counts(&downs, &ups);
	suspend_counts(&resumed, &cancelled);
	printk("processes_stopped=%d\nvcpus_offlined=%lu\nvcpus_onlined=%lu\n", stopped, downs, ups);
	printk("suspends_resumed=%lu\nsuspends_cancelled=%lu\n", resumed, cancelled);
	/* Frames kept for page tables, and how often memory ran so low that data took one. */
	printk("table_frames_kept=%lu\ntable_frames_lent=%lu\n", pages_kept_for_tables(), tables_lent());
	check_pages_back(base, "stopping every process");
	test_end_reason(RESULT_SUCCESS, reason);
}

static const char *const lifecycle_options[] = { "storm", NULL };

REGISTER_TEST(lifecycle, "lifecycle",
	.options = lifecycle_options,
	.description = "a soak until the toolstack asks the domain to power off or reboot",
	.run = lifecycle,
	.user_call = lifecycle_call,
);
