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
static struct teardown_stats recent[8];	/* the last teardowns, by mm */
static unsigned int recent_next;
static spinlock_t stats_lock = SPINLOCK_INIT;

bool teardown_stats_of(const struct mm *mm, struct teardown_stats *out)
{
	unsigned long flags = spin_lock_irqsave(&stats_lock);
	bool found = false;

	/* Newest first: an mm's address may have been reused by a later one. */
	for (unsigned int i = 1; i <= ARRAY_SIZE(recent) && !found; i++) {
		const struct teardown_stats *t = &recent[(recent_next - i) % ARRAY_SIZE(recent)];

		if (t->mm == mm) {
			*out = *t;
			found = true;
		}
	}
	spin_unlock_irqrestore(&stats_lock, flags);
	return found;
}

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
	/* Built here, published whole at the end: teardowns run on several vCPUs at once. */
	struct teardown_stats st = {
		.mm = mm,
		.holders = cpumask_weight(mm_holders(mm) & ~cpumask_of(p->cpu_id)),
		.pinned = mm->pinned,
	};

	tlb_drop_mm(mm);
	st.ipis = p->ipis_sent - ipis;
	if (mm->pinned) {
		unsigned long checked = hypercall_counts_total(this_cpu_hypercall_counts());

		check_unloaded_everywhere(mm);	/* check mode: not part of the cost */
		calls += hypercall_counts_total(this_cpu_hypercall_counts()) - checked;
		mm_unpin(mm);
	}
	st.hypercalls = hypercall_counts_total(this_cpu_hypercall_counts()) - calls;
	spin_lock(&stats_lock);
	last_teardown = st;
	recent[recent_next++ % ARRAY_SIZE(recent)] = st;
	spin_unlock(&stats_lock);
	mm_free_pages(mm);
	local_irq_restore(flags);
}
