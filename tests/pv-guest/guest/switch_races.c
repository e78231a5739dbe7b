/*
 * queued-cr3-at-teardown and lazy-leave-race: vCPU 1 lazily holds the mm
 * of a process (the hopper ran there, then went back to vCPU 0), and
 * switches to another process's mm while the hopper exits on vCPU 0 and
 * its mm is torn down. switch_delay holds vCPU 1's switch open:
 *
 *  - after:MS, queued-cr3: loaded_mm already names the new mm, Xen still
 *    holds the hopper's (Linux 9f79991d4186). The teardown must see that
 *    in xen_mm and wait for vCPU 1; inject=ignore-xen-mm shows the -EBUSY
 *    it would otherwise meet.
 *  - before:MS, lazy-leave-race: vCPU 1 is chosen while it still holds the
 *    hopper's mm, and handles the request only after switching away
 *    (Linux 7899891c7d16): it must not leave its new mm (no spurious
 *    leave_mm), and the teardown completes.
 */
#include <asm/smp.h>
#include <asm/tlb_check.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <pv-mmu/mm.h>
#include "user_util.h"

static volatile bool finished;

static void spinner(void *unused)
{
	while (!READ_ONCE(finished))
		yield();	/* never blocks: vCPU 1 keeps the hopper's mm, lazily */
}

static void switch_race(void)
{
	unsigned long base = pages_in_use(), drops;
	struct percpu *v1 = &percpu_areas[1];
	struct teardown_stats td;
	struct task *k;
	struct mm *mm = NULL;
	int hopper, other, st_hopper, st_other;

	if (nr_cpus < 2 || !tlb_switch_delay_ms)
		test_error("needs 2 vCPUs and switch_delay=before:MS or after:MS");
	k = kthread_create("spinner", spinner, NULL, 1);
	hopper = process_spawn("hopper", 300, 0);	/* exits well inside vCPU 1's window */
	if (!k || hopper < 0)
		test_error("cannot start the spinner or the hopper");
	/* Until vCPU 1 lazily holds the hopper's mm. */
	while (!(mm = process_mm(hopper)) || READ_ONCE(v1->loaded_mm) != mm || !READ_ONCE(v1->is_lazy))
		sleep_ns(1000000);
	drops = v1->remote_drops_left;
	other = process_spawn("yielder", 3, 1);	/* vCPU 1 switches to it: the delayed switch */
	st_hopper = process_wait_spawned(hopper);
	st_other = process_wait_spawned(other);
	if (!teardown_stats_of(mm, &td))
		test_error("no record of the hopper's teardown");
	WRITE_ONCE(finished, true);
	kthread_join(k);

	printk("teardown.lazy_holders=%u\nteardown.ipis=%lu\nteardown.hypercalls=%lu\n"
	       "vcpu1_remote_drops_left=%lu\n", td.holders, td.ipis, td.hypercalls,
	       v1->remote_drops_left - drops);
	test_check(st_hopper == 0 && st_other == 0, "exit statuses %d and %d", st_hopper, st_other);
	/* The teardown reached vCPU 1 (by xen_mm, or by loaded_mm before it switched). */
	test_check(td.ipis == 1, "the teardown sent %lu IPIs: it did not wait for vCPU 1", td.ipis);
	if (tlb_switch_delay_after)
		test_check(td.holders == 0, "loaded_mm still named the hopper's mm: the window was missed");
	else
		test_check(td.holders == 1, "vCPU 1 was not chosen while it held the hopper's mm");
	/* By the time vCPU 1 handles the request it has switched away: it must not leave. */
	test_check(v1->remote_drops_left == drops, "vCPU 1 left its new mm: a spurious leave_mm");
	check_pages_back(base, "the race");
}

REGISTER_TEST(switch_race,
	.name = "switch-race",
	.description = "a teardown landing in another vCPU's mm switch (switch_delay=...)",
	.run = switch_race,
);
