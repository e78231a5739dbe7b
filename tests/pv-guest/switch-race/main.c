/*
 * switch-race: a teardown landing inside another vCPU's mm switch. vCPU 1
 * lazily holds the mm of a process (it ran there, then went back to vCPU
 * 0) and switches to another process's mm while the first exits on vCPU 0
 * and its mm is torn down. The test holds vCPU 1's switch open at the
 * point window= names, lets the teardown in, and releases vCPU 1 when the
 * teardown asks it to drop the mm:
 *
 *  - window=cr3-queued: loaded_mm already names the new mm, Xen still
 *    holds the old one (Linux 9f79991d4186). The teardown must see that
 *    in xen_mm and wait for vCPU 1; inject=ignore-xen-mm shows the -EBUSY
 *    it would otherwise meet.
 *  - window=before-publish: vCPU 1 is chosen while it still holds the old
 *    mm, and handles the request only after switching away (Linux
 *    7899891c7d16): it must not leave its new mm (no spurious leave_mm),
 *    and the teardown completes; inject=no-drop-recheck shows the
 *    spurious leave.
 *
 * Every step waits for the one before it: the process waits in
 * PVMM_SYS_test_call until vCPU 1 is held, and vCPU 1 is held until the
 * teardown asks it to drop the mm (or ends without asking). The task vCPU
 * 1 switches to then stays in PVMM_SYS_test_call, events masked, taking
 * IPIs by hand until the teardown is over: vCPU 1 answers the request in
 * that task, its new mm loaded, whenever the IPI comes. (It ran a yielder
 * before: whether the IPI found it in the yielder or lazily in the spinner
 * between yields was a matter of timing, and under Xen 4.20 it was the
 * spinner, where no leave is spurious.)
 */
#include <xen/errno.h>
#include <asm/events.h>
#include <asm/ipi.h>
#include <asm/smp.h>
#include <pvmm/atomic.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <pv-mmu/mm.h>
#include <pv-mmu/seam.h>
#include <pv-mmu/tlb.h>
#include "calls.h"
#include "handoff.h"
#include "teardown_stats.h"
#include "user_util.h"

#define HELD_CPU	1

static volatile bool finished;
static enum mmu_hook_point window;	/* where vCPU 1's switch is held */
static struct mm *volatile old_mm;	/* the process's mm, once vCPU 1 lazily holds it */
static volatile bool held, released, teardown_over;
static unsigned long leaves;		/* spurious leaves on vCPU 1 since old_mm was set */
static struct handoff waiting, go;	/* the process is waiting; it may exit */

static void spinner(void *unused)
{
	while (!READ_ONCE(finished))
		yield();	/* never blocks: vCPU 1 keeps the process's mm, lazily */
}

/*
 * On vCPU 1: hold the switch away from old_mm at the window. On the
 * teardown's vCPU: release it once the teardown waits for its holders
 * (or, had it chosen none, once it is done).
 */
static void on_hook(const struct mmu_hook_event *e)
{
	struct mm *mm = READ_ONCE(old_mm);

	if (!mm)
		return;
	/*
	 * A leave on vCPU 1 of the mm its current task runs in is the spurious
	 * one: a running process's mm is never left (its own teardown leaves
	 * only once its last thread has let go of it). Whether the drop request
	 * is answered in the IPI handler or while vCPU 1 runs its call queue in
	 * task context (a wait on the switch's path does), the task is the one
	 * vCPU 1 switched to.
	 */
	if (e->point == MMU_HOOK_LEFT && smp_processor_id() == HELD_CPU && e->mm != mm &&
	    current_task()->mm == e->mm) {
		leaves++;
		/* Now, from vCPU 1: back in its task, on init_mm's tables, it would crash the domain. */
		test_fail("vCPU 1 left its new mm: a spurious leave_mm");
		test_end(RESULT_FAILURE);
	}
	if (e->mm != mm)
		return;
	if (e->point == window && smp_processor_id() == HELD_CPU && !released) {
		WRITE_ONCE(held, true);
		while (!READ_ONCE(released))
			cpu_relax();
	} else if (e->point == MMU_HOOK_TEARDOWN_WAIT) {
		WRITE_ONCE(released, true);
	} else if (e->point == MMU_HOOK_TEARDOWN_END) {
		WRITE_ONCE(released, true);
		WRITE_ONCE(teardown_over, true);
	}
}

/*
 * In the task vCPU 1 switched to: until the teardown is over, with events
 * masked (no tick can switch to the spinner), take the IPIs here, so the
 * drop request is answered in this task, whose mm is the new one.
 */
static void answer_in_new_mm(void)
{
	unsigned long flags = local_irq_save();

	while (!READ_ONCE(teardown_over)) {
		ipi_take_pending();
		cpu_relax();
	}
	local_irq_restore(flags);
}

static long process_call(unsigned long op, unsigned long arg)
{
	if (op == SWITCH_RACE_ANSWER_IN_NEW_MM) {
		answer_in_new_mm();
		return 0;
	}
	if (op != SWITCH_RACE_WAIT_FOR_EXIT)
		return -XEN_EINVAL;
	handoff_signal(&waiting);
	handoff_wait(&go);
	return 0;
}

static void switch_race(void)
{
	const struct tlb_state *v1 = tlb_state_of(HELD_CPU);
	unsigned long base = pages_in_use();
	const char *name = "cr3-queued";
	struct teardown_record td;
	struct task *k;
	struct mm *mm;
	int pid, other, st_pid, st_other;

	test_option("window", &name);
	if (!strcmp(name, "cr3-queued"))
		window = MMU_HOOK_SWITCH_QUEUED;
	else if (!strcmp(name, "before-publish"))
		window = MMU_HOOK_SWITCH_PUBLISH;
	else
		test_error("unknown window '%s'; valid: cr3-queued, before-publish", name);
	if (nr_cpus < 2)
		test_error("needs 2 vCPUs, has %u", nr_cpus);
	teardown_stats_start();
	if (!mmu_hook_add(on_hook))
		test_error("no room for another MMU hook");

	k = kthread_create("spinner", spinner, NULL, HELD_CPU);
	pid = process_spawn("switch-race", 0, 0);
	if (!k || pid < 0)
		test_error("cannot start the spinner or the process");
	/* Back on vCPU 0: vCPU 1 switched away from it to a kernel thread, lazily. */
	handoff_wait(&waiting);
	mm = process_mm(pid);
	if (!mm || v1->loaded_mm != mm || !v1->is_lazy)
		test_error("vCPU 1 does not lazily hold the process's mm");
	WRITE_ONCE(old_mm, mm);
	other = process_spawn("switch-race", 1, HELD_CPU);	/* vCPU 1 switches to it: held */
	if (other < 0)
		test_error("cannot start the process vCPU 1 switches to");
	wait_until_set(&held, "vCPU 1's switch reaching the window");
	handoff_signal(&go);	/* the process exits: its mm is torn down */
	st_pid = process_wait_spawned(pid);
	st_other = process_wait_spawned(other);
	if (!teardown_record_of(mm, &td))
		test_error("no record of the process's teardown");
	WRITE_ONCE(finished, true);
	kthread_join(k);
	mm_drop(mm);	/* torn down; the hook and the record no longer name it */

	printk("teardown.lazy_holders=%u\nteardown.ipis=%lu\nteardown.hypercalls=%lu\n"
	       "vcpu1_leaves=%lu\n", td.holders, td.ipis, td.hypercalls, leaves);
	test_check(st_pid == 0 && st_other == 0, "exit statuses %d and %d", st_pid, st_other);
	/* The teardown reached vCPU 1 (by xen_mm, or by loaded_mm before it switched). */
	test_check(td.ipis == 1, "the teardown sent %lu IPIs: it did not wait for vCPU 1", td.ipis);
	if (window == MMU_HOOK_SWITCH_QUEUED)
		test_check(td.holders == 0, "loaded_mm still named the old mm: the window was missed");
	else
		test_check(td.holders == 1, "vCPU 1 was not chosen while it held the old mm");
	/* By the time vCPU 1 handles the request it has switched away: it must not leave. */
	test_check(leaves == 0, "vCPU 1 left its new mm: a spurious leave_mm");
	check_pages_back(base, "the race");
}

static const char *const switch_race_options[] = { "window", NULL };

REGISTER_TEST(switch_race, "switch-race",
	.description = "a teardown landing in another vCPU's mm switch (window=...)",
	.options = switch_race_options,
	.run = switch_race,
	.user_call = process_call,
);
