/*
 * exit_mmap. The order is what Xen's type system demands:
 *
 * 1. No vCPU may still have the tables loaded. Every vCPU whose loaded_mm,
 *    or whose CR3 as Xen really has it, is this mm leaves it for init_mm:
 *    this one directly, the others by a cross-vCPU call we wait for. Xen
 *    would unpin a table another vCPU still uses, and that vCPU's CR3
 *    would keep the whole tree typed: step 3 would then fail with -EBUSY.
 * 2. Nothing can load it again: no task of the mm is left (its process's
 *    last thread is the one tearing it down),
 *    and a lazy kernel thread never loads an mm, it only keeps one.
 * 3. If it was ever pinned: unpin both tops and make every table page
 *    writable again, as one multicall. A table never pinned (an exec that
 *    failed before first use) was never read-only and is not unpinned.
 * 4. Free data pages, then tables, then the mm itself.
 */
#include <asm/tlb.h>
#include <asm/tlb_check.h>
#include <asm/events.h>
#include <hypercall/counters.h>
#include "mm.h"

struct teardown_stats last_teardown;

/*
 * Events stay masked throughout, which also makes the recorded cost this
 * teardown's alone: cross-vCPU calls work masked (the caller runs its own
 * queue while it waits).
 */
void mm_destroy(struct mm *mm)
{
	unsigned long flags = local_irq_save();
	struct percpu *p = this_cpu();
	unsigned long calls = hypercall_counts_total(this_cpu_hypercall_counts());
	unsigned long ipis = p->ipis_sent;

	last_teardown.holders = cpumask_weight(mm_holders(mm) & ~cpumask_of(p->cpu_id));
	last_teardown.pinned = mm->pinned;
	tlb_drop_mm(mm);
	last_teardown.ipis = p->ipis_sent - ipis;
	if (mm->pinned) {
		unsigned long checked = hypercall_counts_total(this_cpu_hypercall_counts());

		check_unloaded_everywhere(mm);	/* check mode: not part of the cost */
		calls += hypercall_counts_total(this_cpu_hypercall_counts()) - checked;
		mm_unpin(mm);
	}
	last_teardown.hypercalls = hypercall_counts_total(this_cpu_hypercall_counts()) - calls;
	mm_free_pages(mm);
	local_irq_restore(flags);
}
