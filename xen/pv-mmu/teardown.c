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
#include "mm.h"

void mm_destroy(struct mm *mm)
{
	tlb_drop_mm(mm);
	if (mm->pinned) {
		check_unloaded_everywhere(mm);
		mm_unpin(mm);
	}
	mm_free_pages(mm);
}
