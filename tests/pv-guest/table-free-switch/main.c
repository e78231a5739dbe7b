/*
 * table-free-switch: munmap frees page tables while another vCPU's CR3
 * still points to them. vCPU 1 lazily holds the process's mm and switches
 * to another process; the test holds that switch with its CR3 load queued
 * (loaded_mm names the new mm, xen_mm still the old one) while the
 * process, on vCPU 0, unmaps a region alone in its 512 GiB, which frees
 * the region's L1, L2 and L3 tables. vCPU 1 will never use the old mm's
 * translations again, but until its CR3 load is issued its CPU may walk
 * the tables, speculatively too: the flush of the chunk that unlinked
 * them must reach it before they are freed (tlb.c, flush_targets()). The
 * model found the window (model/, inject-table-free-loaded-only).
 *
 * Every step waits for the one before it: the process waits in
 * PVMM_SYS_test_call until vCPU 1 is held, and vCPU 1 is held until the
 * process says that munmap has returned. Check mode verifies the rule
 * where the tables are freed; the test checks that the chunk's flush named
 * vCPU 1. inject=table-free-loaded-only flushes the mm's holders only.
 */
#include <xen/errno.h>
#include <asm/smp.h>
#include <pvmm/atomic.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <pv-mmu/mm.h>
#include <pv-mmu/seam.h>
#include <pv-mmu/tlb.h>
#include "calls.h"
#include "handoff.h"
#include "user_util.h"

#define HELD_CPU	1

static struct mm *volatile old_mm;	/* the process's mm, once vCPU 1 lazily holds it */
static volatile bool finished, held, released;
static struct mm *volatile held_xen_mm, *volatile held_loaded_mm;	/* vCPU 1's, when held */
static cpumask_t unmap_flushed;		/* what the process's munmap flushed while vCPU 1 was held */
static unsigned int unmap_chunks;
static struct handoff waiting, go;

static void spinner(void *unused)
{
	while (!READ_ONCE(finished))
		yield();	/* never blocks: vCPU 1 keeps the process's mm, lazily */
}

static void on_hook(const struct mmu_hook_event *e)
{
	const struct tlb_state *t = tlb_state_of(smp_processor_id());
	struct mm *mm = READ_ONCE(old_mm);

	if (!mm || e->mm != mm)
		return;
	if (e->point == MMU_HOOK_SWITCH_QUEUED && smp_processor_id() == HELD_CPU && !released) {
		held_loaded_mm = READ_ONCE(t->loaded_mm);
		held_xen_mm = READ_ONCE(t->xen_mm);
		WRITE_ONCE(held, true);
		while (!READ_ONCE(released))
			cpu_relax();
	} else if (e->point == MMU_HOOK_RANGE_END && READ_ONCE(held) && !READ_ONCE(released)) {
		unmap_flushed = cpumask_or(unmap_flushed, e->cpus);
		unmap_chunks++;
	}
}

static long process_call(unsigned long op, unsigned long arg)
{
	switch (op) {
	case TABLE_FREE_SWITCH_WAIT:
		handoff_signal(&waiting);
		handoff_wait(&go);
		return 0;
	case TABLE_FREE_SWITCH_UNMAPPED:
		WRITE_ONCE(released, true);
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

static void table_free_switch(void)
{
	const struct tlb_state *v1 = tlb_state_of(HELD_CPU);
	unsigned long base = pages_in_use();
	char got[CPUMASK_FORMAT_SIZE];
	struct task *k;
	struct mm *mm;
	int pid, other, st_pid, st_other;

	if (nr_cpus < 2)
		test_error("needs 2 vCPUs, has %u", nr_cpus);
	if (!mmu_hook_add(on_hook))
		test_error("no room for another MMU hook");
	k = kthread_create("spinner", spinner, NULL, HELD_CPU);
	pid = process_spawn("table-free-switch", 0, 0);
	if (!k || pid < 0)
		test_error("cannot start the spinner or the process");
	/* Back on vCPU 0: vCPU 1 switched away from it to the spinner, lazily. */
	handoff_wait(&waiting);
	mm = process_mm(pid);
	if (!mm || v1->loaded_mm != mm || !v1->is_lazy)
		test_error("vCPU 1 does not lazily hold the process's mm");
	WRITE_ONCE(old_mm, mm);
	other = process_spawn("table-free-switch", 1, HELD_CPU);	/* vCPU 1 switches to it: held */
	if (other < 0)
		test_error("cannot start the process vCPU 1 switches to");
	wait_until_set(&held, "vCPU 1's switch reaching its queued CR3 load");
	handoff_signal(&go);	/* the process unmaps, then lets vCPU 1 go */
	st_pid = process_wait_spawned(pid);
	st_other = process_wait_spawned(other);
	WRITE_ONCE(finished, true);
	kthread_join(k);
	WRITE_ONCE(old_mm, NULL);
	mm_drop(mm);

	printk("unmap_chunks=%u\nunmap_flushed=%s\n", unmap_chunks,
	       cpumask_format(got, sizeof(got), unmap_flushed));
	test_check(st_pid == 0 && st_other == 0, "exit statuses %d and %d", st_pid, st_other);
	test_check(held_loaded_mm != mm && held_xen_mm == mm,
		   "vCPU 1 was held outside the window: loaded_mm %p, xen_mm %p, the mm %p",
		   held_loaded_mm, held_xen_mm, mm);
	test_check(unmap_chunks > 0, "the munmap made no chunk while vCPU 1 was held");
	test_check(cpumask_test(unmap_flushed, HELD_CPU),
		   "the munmap that freed the tables flushed %s: not vCPU 1, whose CR3 was still the mm", got);
	check_pages_back(base, "the race");
}

REGISTER_TEST(table_free_switch, "table-free-switch",
	.description = "tables freed while another vCPU's switch away from the mm is queued",
	.run = table_free_switch,
	.user_call = process_call,
);
