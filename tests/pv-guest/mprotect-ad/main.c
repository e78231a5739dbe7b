/*
 * mprotect-ad: mprotect must keep the accessed and dirty bits that a CPU
 * sets in a PTE between the kernel's read of it and Xen's update (mm.c,
 * protect_entry(): MMU_PT_UPDATE_PRESERVE_AD).
 *
 * The window is landed every time, on one vCPU, with the hook points: at
 * MMU_HOOK_RANGE_BEGIN of the armed mprotect (nothing read or queued yet)
 * the test clears A and D in the page's PTE and flushes this vCPU's entry
 * for it; mm.c then reads the PTE (A/D clear) and queues the read-only
 * value. At MMU_HOOK_RANGE_HOLDERS (updates and flush queued, not issued)
 * the test writes the page through the old, still writable translation,
 * as another thread of the process could: the CPU sets A and D in the
 * PTE. After the multicall (MMU_HOOK_RANGE_END) the PTE must be read-only
 * and still dirty and accessed. Under inject=no-preserve-ad the update is
 * a plain one and the bits are lost.
 */
#include <xen/errno.h>
#include <hypercall/hypercall.h>
#include <asm/page.h>
#include <asm/uaccess.h>
#include <pvmm/sched.h>
#include <pv-mmu/mm.h>
#include <pv-mmu/seam.h>
#include "calls.h"
#include "user_util.h"

#define AD	(_PAGE_ACCESSED | _PAGE_DIRTY)

static struct mm *volatile armed;	/* the process's mm, until its mprotect ends */
static unsigned long page_va;
static pte_t cleared, written, after;	/* the PTE at each step */
static unsigned int steps;		/* how many of the three steps ran */

struct find {
	unsigned long va;
	pte_t *pte;
};

static void match(struct mm *mm, pte_t *pte, unsigned long va, void *arg)
{
	struct find *f = arg;

	if (va == f->va)
		f->pte = pte;
}

static pte_t *find_pte(struct mm *mm, unsigned long va)
{
	struct find f = { .va = va };

	mm_for_each_user_pte(mm, match, &f);
	if (!f.pte)
		test_error("no PTE maps 0x%lx", va);
	return f.pte;
}

/* Clear A and D in *@pte and drop this vCPU's cached translation of @va, at once. */
static void clear_ad(pte_t *pte, unsigned long va)
{
	mmu_update_t req = { .ptr = virt_to_machine(pte) | MMU_NORMAL_PT_UPDATE, .val = *pte & ~AD };
	struct mmuext_op op = { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = va };
	long rc = HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);

	if (rc)
		report_hypercall_failure("mmu_update", rc, "ptr=0x%lx val=0x%lx",
					 (unsigned long)req.ptr, (unsigned long)req.val);
	rc = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
	if (rc)
		report_hypercall_failure("mmuext_op", rc, "INVLPG_LOCAL 0x%lx", va);
}

static void on_range(const struct mmu_hook_event *e)
{
	unsigned char byte = WRITTEN;
	pte_t *pte;

	if (!e->mm || e->mm != READ_ONCE(armed))
		return;
	pte = find_pte(e->mm, page_va);
	if (e->point == MMU_HOOK_RANGE_BEGIN && steps == 0) {
		clear_ad(pte, page_va);
		cleared = *pte;
		steps++;
	} else if (e->point == MMU_HOOK_RANGE_HOLDERS && steps == 1) {
		if (copy_to_user(page_va + WRITE_OFFSET, &byte, 1))
			test_error("the write to 0x%lx faulted before the mprotect was issued", page_va);
		written = *pte;
		steps++;
	} else if (e->point == MMU_HOOK_RANGE_END && steps == 2) {
		after = *pte;
		steps++;
		WRITE_ONCE(armed, NULL);
	}
}

static long answer(unsigned long op, unsigned long arg)
{
	if (op != ARM)
		return -XEN_EINVAL;
	page_va = arg;
	WRITE_ONCE(armed, current_task()->mm);
	return 0;
}

static void mprotect_ad(void)
{
	unsigned long base = pages_in_use();
	int status;

	if (!mmu_hook_add(on_range))
		test_error("no room for another MMU hook");
	status = run_program("mprotect-ad", 0, 0);
	printk("pte_cleared=0x%lx\npte_written=0x%lx\npte_after=0x%lx\n", (unsigned long)cleared,
	       (unsigned long)written, (unsigned long)after);
	if (!test_check(steps == 3, "the mprotect reached %u of its 3 hook steps", steps) ||
	    !test_check(!(cleared & AD), "A/D still set after the test cleared them") ||
	    !test_check((written & AD) == AD,
			"the write while the update was queued did not set A and D: nothing to keep") ||
	    !test_check(!(after & _PAGE_RW), "the page is still writable after mprotect(READ)") ||
	    !test_check((after & AD) == AD,
			"mprotect lost the accessed/dirty bits a write set while its update was queued") ||
	    !test_check(status == 0, "the program exited with %d", status))
		return;
	printk("mprotect-ad: the dirty bit set during the update survived it\n");
	check_pages_back(base, "the program");
}

REGISTER_TEST(mprotect_ad, "mprotect-ad",
	.description = "mprotect keeps accessed/dirty bits set while its update is queued",
	.run = mprotect_ad,
	.user_call = answer,
);
