/*
 * exit_mmap. The order is what Xen's type system demands (docs/tlb.md):
 *
 * 1. No vCPU may still have the tables loaded. Every vCPU whose loaded_mm,
 *    or whose CR3 as Xen really has it, is this mm leaves it for init_mm
 *    (drop_mm_everywhere(), the model's part). Xen would unpin a table
 *    another vCPU still uses, and that vCPU's CR3 would keep the whole
 *    tree typed: step 3 would then fail with -EBUSY.
 * 2. Nothing can load it again: no task of the mm is left (its process's
 *    last thread is the one tearing it down), and a lazy kernel thread
 *    never loads an mm, it only keeps one.
 * 3. If it was ever pinned: unpin both tops and make every table page
 *    writable again, as one multicall. A table never pinned (an exec that
 *    failed before first use) was never read-only and is not unpinned.
 * 4. Free data pages, then tables, then drop the mm's own reference to
 *    its struct (freed now unless someone holds one, mm_grab()). The
 *    tables' frames are kept for page tables (free_table_page()): a live
 *    migration's sender may have read their type before the unpin and
 *    read their contents now, and data there could look like a superpage.
 */
#include <asm/events.h>
#include <asm/page_alloc.h>
#include <pvmm/bug.h>
#include "check.h"
#include "mm.h"
#include "mmu_pv.h"
#include "seam.h"
#include "tlb.h"

static void remap_writable(struct mm *mm, pte_t *table, void *unused)
{
	pv_queue_table_remap(table, true);
}

/* Unpin first: a page is typed until then, and a writable mapping of it would be refused. */
static void unpin(struct mm *mm)
{
	lazy_mmu_enter();
	pv_queue_unpin(mm);
	mm_for_each_table(mm, remap_writable, NULL);
	mm->pinned = false;
	lazy_mmu_leave();
}

static void free_data_page(struct mm *mm, pte_t *pte, unsigned long va, void *unused)
{
	page_put(pte_page(*pte));	/* freed with its last reference (copy-on-write) */
	mm->data_pages--;
}

/* Kept for page tables (page_alloc.c): a migration's sender may still take it for one. */
static void free_table(struct mm *mm, pte_t *table, void *unused)
{
	free_table_page(table);
	mm->pt_pages--;
}

static void free_pages_of(struct mm *mm)
{
	mm_for_each_user_pte(mm, free_data_page, NULL);
	mm_for_each_table(mm, free_table, NULL);
	if (mm->pt_pages || mm->data_pages)
		panic("mm %p: %lu table and %lu data pages unaccounted for at teardown", mm,
		      mm->pt_pages, mm->data_pages);
	mm_drop(mm);	/* the address space's own reference */
}

/* Events stay masked throughout: cross-vCPU calls work masked (the caller runs its own queue while it waits). */
void mm_destroy(struct mm *mm)
{
	unsigned long flags = local_irq_save();

	mmu_hook(MMU_HOOK_TEARDOWN_BEGIN, mm, NULL, CPUMASK_NONE);
	mm_unlist(mm);
	drop_mm_everywhere(mm);
	if (mm->pinned) {
		check_unloaded_everywhere(mm);
		unpin(mm);
	}
	mmu_hook(MMU_HOOK_TEARDOWN_END, mm, NULL, CPUMASK_NONE);
	free_pages_of(mm);
	local_irq_restore(flags);
}
