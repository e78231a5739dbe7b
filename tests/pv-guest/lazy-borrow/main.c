/*
 * lazy-borrow: a kernel thread runs after a user process on a vCPU.
 * loaded_mm and the CR3 Xen holds still name the process's mm and the
 * switch made no hypercall. The kernel thread reads the process's page
 * through the borrowed kernel table, again and again, so the lazy vCPU's
 * TLB holds the translation. The process's mm is then changed and flushed
 * from another vCPU: the lazy vCPU must be in that flush, the kernel
 * thread's next read of the page must fault (its copy ends in the
 * exception table's fixup), and when the process runs again on the lazy
 * vCPU (no CR3 reload: same mm) its next access to the page faults too.
 *
 * The borrower declares its borrow (kthread_borrow_mm()); the same read
 * without it must be refused (asm/uaccess.h, uaccess_mm()).
 *
 * Under inject=no-remote-flush the flush misses the lazy vCPU and the
 * kernel thread's read succeeds through the stale entry. (The process's
 * own read faults even then: here, with global pages off, docs/tlb.md, its
 * entry into the kernel dropped its user-mode entries; on a host with
 * global pages they too could survive.)
 */
#include <asm/smp.h>
#include <asm/uaccess.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <pvmm/vma.h>
#include <pv-mmu/check.h>
#include <pv-mmu/mm.h>
#include <pv-mmu/seam.h>
#include <pv-mmu/tlb.h>
#include "handoff.h"
#include "switch_stats.h"
#include "user_util.h"

static struct mm *volatile watched;	/* the process's mm, once it waits for the test */
static volatile bool borrowed, finished;
static volatile bool unmapped, read_after;	/* the test's munmap returned; read since */
static bool cr3_ok, stale_read;		/* the read after the munmap succeeded */
static cpumask_t flush_reached;	/* the other vCPUs the test's munmap flushed */
static struct handoff waiting, go;	/* the process has touched its page; it may read again */

static void on_range(const struct mmu_hook_event *e)
{
	if (e->point == MMU_HOOK_RANGE_END && smp_processor_id() == 0)
		flush_reached = e->cpus;
}

static bool unborrowed_read;	/* a read without the declared borrow got through */

/*
 * Read the process's page through the tables this vCPU lazily keeps
 * loaded: whether it could. A kernel thread's user copies reach an mm only
 * when it says it borrows it (kthread_borrow_mm()); without that the same
 * read must be refused.
 */
static bool read_page(struct mm *mm)
{
	unsigned long v;
	bool ok;

	if (!copy_from_user(&v, MMAP_TOP - PAGE_SIZE, sizeof(v)))
		unborrowed_read = true;
	kthread_borrow_mm(mm);
	ok = copy_from_user(&v, MMAP_TOP - PAGE_SIZE, sizeof(v)) == 0;
	kthread_unborrow_mm();
	return ok;
}

/*
 * Never blocks: a vCPU that blocks in Xen is flushed by Xen's own switch
 * back to it. Reads only while it lazily holds the process's mm.
 */
static void borrower(void *unused)
{
	const struct tlb_state *t = tlb_state_of(smp_processor_id());

	while (!READ_ONCE(finished)) {
		struct mm *mm = READ_ONCE(watched);
		bool holds = mm && t->is_lazy && t->loaded_mm == mm;

		if (holds && !borrowed && read_page(mm)) {
			cr3_ok = xen_cr3_mfn() == virt_to_mfn(mm->pgd);
			WRITE_ONCE(borrowed, true);	/* after a read: the TLB holds the page */
		} else if (holds && borrowed && !read_after) {
			bool after = READ_ONCE(unmapped);	/* before the read it judges */
			bool ok = read_page(mm);

			if (after) {
				stale_read = ok;
				WRITE_ONCE(read_after, true);
			}
		}
		yield();
	}
}

/* The process, its page touched: tell the test, wait until it has unmapped the page. */
static long process_call(unsigned long op, unsigned long arg)
{
	handoff_signal(&waiting);
	handoff_wait(&go);
	return 0;
}

static void lazy_borrow(void)
{
	const unsigned int cpu = 1;
	struct switch_stats before, after;
	struct task *k;
	struct mm *mm;
	char reached[CPUMASK_FORMAT_SIZE];
	int pid, status;

	if (nr_cpus < 2) {
		test_skip("needs at least 2 vCPUs, has %u", nr_cpus);
		return;
	}
	switch_stats_start();
	if (!mmu_hook_add(on_range))
		test_error("no room for another MMU hook");
	before = switch_stats_of(cpu);
	pid = process_spawn("lazy-borrow", 0, cpu);
	k = kthread_create("borrower", borrower, NULL, cpu);
	if (pid < 0 || !k)
		test_error("cannot start the program or its borrower");
	/* The process waits in the kernel: its mm lives, and vCPU 1 runs the borrower. */
	handoff_wait(&waiting);
	mm = process_mm(pid);
	if (!mm)
		test_error("the process has no mm");
	WRITE_ONCE(watched, mm);
	wait_until_set(&borrowed, "the borrower reading the page through the process's mm, lazily loaded");
	test_check(cr3_ok, "on the lazy vCPU, Xen's CR3 is not the borrowed mm's");
	test_check(!unborrowed_read, "a kernel thread's user copy reached the lazily loaded mm "
		   "without declaring the borrow");

	/* From this vCPU, while vCPU 1 still lazily holds the mm. */
	test_check(!do_munmap(mm, MMAP_TOP - PAGE_SIZE, PAGE_SIZE), "cannot unmap the program's page");
	printk("flush_reached=%s\n", cpumask_format(reached, sizeof(reached), flush_reached));
	test_check(cpumask_test(flush_reached, cpu), "the flush did not reach the lazy vCPU %u", cpu);
	WRITE_ONCE(unmapped, true);
	wait_until_set(&read_after, "the borrower reading the page after the munmap");
	test_check(!stale_read, "the lazy vCPU %u read the unmapped page through the borrowed table",
		   cpu);
	handoff_signal(&go);

	status = process_wait_spawned(pid);
	WRITE_ONCE(finished, true);
	kthread_join(k);
	mm_drop(mm);	/* nothing compares with it any more */
	after = switch_stats_of(cpu);
	printk("exit_status=%d\nto_kthread_hypercalls=%lu\nsame_mm_hypercalls=%lu\n", status,
	       after.to_kthread_hypercalls - before.to_kthread_hypercalls,
	       after.same_mm_hypercalls - before.same_mm_hypercalls);
	test_check(status == 0, "the program exited with %d: %s", status,
		   status == 3 ? "a stale entry let it read the unmapped page" : "it failed");
	test_check(after.to_kthread_hypercalls == before.to_kthread_hypercalls &&
		   after.same_mm_hypercalls == before.same_mm_hypercalls,
		   "switches to the borrower and back to the same process made hypercalls");
}

REGISTER_TEST(lazy_borrow, "lazy-borrow",
	.description = "a kernel thread borrows a process's mm; a remote flush reaches it",
	.run = lazy_borrow,
	.user_call = process_call,
);
