/*
 * Address spaces (see mm.h): construction, duplication, the pin on first
 * load, and the page-table side of mapping, unmapping and protecting user
 * memory (munmap and mprotect: range.c). Page-table writes go through
 * mm_set_entry(): a plain store while the mm is unpinned (its tables are
 * ordinary writable pages then), a queued mmu_update once it is pinned.
 */
#include <xen/errno.h>
#include <asm/page_alloc.h>
#include <asm/direct_map.h>
#include <asm/ipi.h>
#include <pvmm/lib.h>
#include "check.h"
#include "mm.h"
#include "mmu_pv.h"
#include "seam.h"
#include "tlb.h"

#define USER_SLOTS	256
#define TABLE_ENTRY	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)
#define USER_PAGE	(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

struct mm init_mm;

static struct mm *live_mms;
static spinlock_t live_lock = SPINLOCK_INIT;

void init_mm_setup(void)
{
	init_mm.pgd = (pte_t *)start_info->pt_base;
	init_mm.pinned = true;	/* by the domain builder */
}

void *pte_page(pte_t pte)
{
	return mfn_to_virt((pte & PTE_MFN_MASK) >> PAGE_SHIFT);
}

void mm_set_entry(struct mm *mm, pte_t *entry, pte_t val)
{
	if (mm->pinned)
		mmu_queue(virt_to_machine(entry), val);
	else
		*entry = val;
}

/*
 * The L1 entry mapping @va, creating missing tables when @alloc; NULL if a
 * table is missing (or memory ran out). A table created in a pinned mm is
 * made read-only, then linked, by queued updates: until they are issued
 * the link is not visible, so a caller issues before walking again.
 */
static pte_t *walk(struct mm *mm, unsigned long va, bool alloc)
{
	pte_t *table = mm->pgd;

	for (unsigned int shift = L4_SHIFT; shift > L1_SHIFT; shift -= L2_SHIFT - L1_SHIFT) {
		unsigned int i = pt_index(va, shift);
		pte_t *child;
		pte_t e = table[i];

		if (e & _PAGE_PRESENT) {
			table = pte_page(e);
			continue;
		}
		if (!alloc || !(child = alloc_table_page()))
			return NULL;
		mm->pt_pages++;
		e = (virt_to_mfn(child) << PAGE_SHIFT) | TABLE_ENTRY;
		/* Xen types a page as a table only while no writable mapping of it exists. */
		if (mm->pinned)
			pv_queue_table_remap(child, false);
		mm_set_entry(mm, &table[i], e);
		if (shift == L4_SHIFT)
			mm_set_entry(mm, &mm->user_pgd[i], e);
		table = child;
	}
	return &table[pt_index(va, L1_SHIFT)];
}

/* What to call on each table page and each present leaf entry of the user half. */
struct tree_walk {
	void (*table)(struct mm *mm, pte_t *table, void *arg);
	void (*pte)(struct mm *mm, pte_t *pte, unsigned long va, void *arg);
	void *arg;
};

/* Below @table (mapping from @base, index at bit @shift): children before their parent. */
static void walk_below(struct mm *mm, pte_t *table, unsigned int shift, unsigned long base,
		       const struct tree_walk *w)
{
	unsigned int entries = shift == L4_SHIFT ? USER_SLOTS : PT_ENTRIES;

	for (unsigned int i = 0; i < entries; i++) {
		unsigned long va = base | ((unsigned long)i << shift);
		pte_t *child;

		if (!(table[i] & _PAGE_PRESENT))
			continue;
		if (shift == L1_SHIFT) {
			if (w->pte)
				w->pte(mm, &table[i], va, w->arg);
			continue;
		}
		child = pte_page(table[i]);
		walk_below(mm, child, shift - (L2_SHIFT - L1_SHIFT), va, w);
		if (w->table)
			w->table(mm, child, w->arg);
	}
}

void mm_for_each_table(struct mm *mm, void (*fn)(struct mm *, pte_t *, void *), void *arg)
{
	struct tree_walk w = { .table = fn, .arg = arg };

	walk_below(mm, mm->pgd, L4_SHIFT, 0, &w);
	fn(mm, mm->user_pgd, arg);
	fn(mm, mm->pgd, arg);
}

void mm_for_each_user_pte(struct mm *mm,
			  void (*fn)(struct mm *mm, pte_t *pte, unsigned long va, void *arg),
			  void *arg)
{
	struct tree_walk w = { .pte = fn, .arg = arg };

	walk_below(mm, mm->pgd, L4_SHIFT, 0, &w);
}

_Static_assert(sizeof(struct mm) <= PAGE_SIZE, "struct mm lives in one page");

struct mm *mm_create(void)
{
	struct mm *mm = alloc_page();
	unsigned long flags;

	if (!mm)
		return NULL;
	mm->pgd = alloc_table_page();
	mm->user_pgd = alloc_table_page();
	if (!mm->pgd || !mm->user_pgd) {
		if (mm->pgd)
			free_table_page(mm->pgd);
		if (mm->user_pgd)
			free_table_page(mm->user_pgd);
		free_page(mm);
		return NULL;
	}
	mm->pt_pages = 2;
	mm->refs = 1;
	/*
	 * The kernel's half: the same entries as init_mm, so every mm shares
	 * the kernel's tables. Xen's own slots (256-271) are left zero: Xen
	 * fills them when it types the table.
	 */
	for (unsigned int i = 272; i < PT_ENTRIES; i++)
		mm->pgd[i] = init_mm.pgd[i];

	flags = spin_lock_irqsave(&live_lock);
	mm->live_prev = NULL;
	mm->live_next = live_mms;
	if (live_mms)
		live_mms->live_prev = mm;
	live_mms = mm;
	spin_unlock_irqrestore(&live_lock, flags);
	return mm;
}

void mm_unlist(struct mm *mm)
{
	unsigned long flags = spin_lock_irqsave(&live_lock);

	if (mm->live_prev)
		mm->live_prev->live_next = mm->live_next;
	else
		live_mms = mm->live_next;
	if (mm->live_next)
		mm->live_next->live_prev = mm->live_prev;
	spin_unlock_irqrestore(&live_lock, flags);
}

/*
 * Nothing writes an unpinned mm's tables meanwhile: they are written only
 * with events masked, by mm_map_page() checking `pinned` afresh at each
 * store, or by mm_dup() in the same masked stretch that made the mm; and
 * every other vCPU is down.
 */
unsigned int mm_pin_all(void)
{
	unsigned long flags = spin_lock_irqsave(&live_lock);
	unsigned int pinned = 0;

	for (struct mm *mm = live_mms; mm; mm = mm->live_next) {
		if (!mm->pinned) {
			mm_pin(mm);
			pinned++;
		}
	}
	spin_unlock_irqrestore(&live_lock, flags);
	return pinned;
}

void mm_grab(struct mm *mm)
{
	atomic_fetch_add(&mm->refs, 1);
}

void mm_drop(struct mm *mm)
{
	if (atomic_fetch_add(&mm->refs, -1) == 1)
		free_page(mm);
}

static void remap_read_only(struct mm *mm, pte_t *table, void *unused)
{
	pv_queue_table_remap(table, false);
}

/* Read-only first: Xen types a page as a table only while no writable mapping of it exists. */
void mm_pin(struct mm *mm)
{
	lazy_mmu_enter();
	mm_for_each_table(mm, remap_read_only, NULL);
	pv_queue_pin(mm);
	mm->pinned = true;
	lazy_mmu_leave();
}

/*
 * A protection change to a live leaf. Between our read of the PTE and Xen
 * applying the update, a vCPU still holding the old translation (the
 * change's flush is not issued yet) may write the page and set the dirty
 * bit, or the accessed bit: written plainly, the update would clear them
 * again. Xen ORs the bits the entry holds at the update into the new value
 * instead, as Linux's xen_ptep_modify_prot_commit() asks. An unpinned mm
 * is loaded nowhere: nothing sets its bits behind a plain store.
 */
void mm_protect_entry(struct mm *mm, pte_t *pte, pte_t val)
{
	if (!mm->pinned)
		*pte = val;
	else if (mmu_injected(OPT_INJECT_NO_PRESERVE_AD))
		mmu_queue(virt_to_machine(pte), val);
	else
		mmu_queue_preserve_ad(virt_to_machine(pte), val);
}

/*
 * fork shares every page copy-on-write (docs/tlb.md, "Copy-on-write").
 * The child's tables are built unpinned, with plain stores; the parent's
 * writable PTEs are made read-only through mmu_update, MM_CHUNK_PTES at a
 * time, each chunk's updates and its flush one multicall that reaches
 * every vCPU holding the parent (lazy ones and late arrivals included):
 * all before the parent's lock is released and fork returns, so no write
 * through an old writable entry can land in a page the child sees after
 * that.
 */
struct dup_state {
	struct mm *dst;
	bool failed;
	unsigned int since_pause;	/* pages shared since vCPU calls were last answered */
	unsigned int nr_wp;		/* parent PTEs write-protected in the open chunk */
	unsigned long first, last;	/* the open chunk's first and last page */
};

static void finish_wp_chunk(struct mm *src, struct dup_state *st)
{
	struct check_holders seen = check_holders_at_change(src, false);
	cpumask_t flushed = CPUMASK_NONE;

	if (mmu_injected(OPT_INJECT_NO_FORK_FLUSH))
		mmu_issue();
	else
		flushed = cpumask_or(flush_tlb_mm_range(src, st->first, st->last + PAGE_SIZE, false),
				     cpumask_of(smp_processor_id()));
	lazy_mmu_leave();
	check_flush_reached(src, "fork returns only after its write-protect flush reached "
			    "the parent's holders", false, seen, flushed);
	st->nr_wp = 0;
}

static void share_page(struct mm *src, pte_t *pte, unsigned long va, void *arg)
{
	struct dup_state *st = arg;
	pte_t val = *pte, *dst_pte;

	if (st->failed)
		return;
	dst_pte = walk(st->dst, va, true);	/* unpinned: plain stores, nothing queued */
	if (!dst_pte) {
		st->failed = true;
		return;
	}
	if (val & _PAGE_RW) {
		val &= ~_PAGE_RW;
		if (!st->nr_wp++) {
			lazy_mmu_enter();
			st->first = va;
		}
		st->last = va;
		mm_protect_entry(src, pte, val);
	}
	/* The reference before the child's entry: a page is never mapped with fewer. */
	if (!mmu_injected(OPT_INJECT_NO_FORK_PAGE_REF))
		page_get(pte_page(val));
	*dst_pte = val;
	st->dst->data_pages++;
	if (st->nr_wp == MM_CHUNK_PTES)
		finish_wp_chunk(src, st);
	/*
	 * The source's lock is held with events masked: answer waiting vCPUs
	 * now and then, never with a chunk open (a call may issue a batch).
	 */
	if (++st->since_pause >= MM_CHUNK_PTES && !st->nr_wp) {
		ipi_take_pending();
		st->since_pause = 0;
	}
}

struct mm *mm_dup(struct mm *src)
{
	unsigned long flags = spin_lock_irqsave(&src->lock);
	/*
	 * Made and filled in one stretch with events masked: once listed, a
	 * suspend (mm_pin_all()) would pin it, and the plain stores below
	 * would then meet a pinned copy.
	 */
	struct dup_state st = { .dst = mm_create() };

	if (!st.dst) {
		spin_unlock_irqrestore(&src->lock, flags);
		return NULL;
	}
	st.dst->vmas = src->vmas;
	mm_for_each_user_pte(src, share_page, &st);
	if (st.nr_wp)
		finish_wp_chunk(src, &st);
	spin_unlock_irqrestore(&src->lock, flags);
	if (st.failed) {
		mm_destroy(st.dst);	/* the parent's read-only pages are broken on their next write */
		return NULL;
	}
	return st.dst;
}

long mm_break_cow(struct mm *mm, unsigned long va)
{
	pte_t *pte, val;
	void *old, *copy;

	va &= PAGE_MASK;
	pte = walk(mm, va, false);
	if (!pte || !(*pte & _PAGE_PRESENT))
		return -XEN_ENOENT;
	val = *pte;
	if (val & _PAGE_RW)
		return 0;	/* another thread broke it first */
	old = pte_page(val);
	if (page_refs(old) == 1) {
		/*
		 * The last reference: the other sharers have swapped their
		 * entries and flushed before dropping theirs, so nothing else
		 * reads this page. Made writable in place; a vCPU with the old
		 * read-only entry faults once more and finds it writable.
		 */
		lazy_mmu_enter();
		mm_protect_entry(mm, pte, val | _PAGE_RW);
		lazy_mmu_leave();
		return 0;
	}
	copy = alloc_page();
	if (!copy)
		return -XEN_ENOMEM;
	memcpy(copy, old, PAGE_SIZE);
	/*
	 * The swap and its flush, one multicall, before the old page loses
	 * this mm's reference: once it has, its last sharer may take it over
	 * and write it, and a thread of this mm still reading it through a
	 * stale entry would see that sharer's data.
	 */
	lazy_mmu_enter();
	mm_set_entry(mm, pte, (virt_to_mfn(copy) << PAGE_SHIFT) | (val & ~PTE_MFN_MASK) | _PAGE_RW |
			      _PAGE_DIRTY);
	if (mmu_injected(OPT_INJECT_NO_COW_FLUSH))
		mmu_issue();
	else
		flush_tlb_mm_range(mm, va, va + PAGE_SIZE, false);
	lazy_mmu_leave();
	page_put(old);
	return 0;
}

long mm_map_page(struct mm *mm, unsigned long va, void *page, bool writable)
{
	pte_t *pte;
	long rc = 0;

	lazy_mmu_enter();
	pte = walk(mm, va & PAGE_MASK, true);
	if (!pte) {
		rc = -XEN_ENOMEM;
	} else if (*pte & _PAGE_PRESENT) {
		rc = -XEN_EEXIST;	/* another thread of the process mapped it first */
	} else {
		mm_set_entry(mm, pte, (virt_to_mfn(page) << PAGE_SHIFT) | USER_PAGE | _PAGE_DIRTY |
				   (writable ? _PAGE_RW : 0));
		mm->data_pages++;
	}
	lazy_mmu_leave();
	return rc;
}

void mm_map_batch(struct mm *mm, unsigned long va, void **pages, unsigned int n, bool writable)
{
	/*
	 * The tables first, each L1's walk issued before the next: a walk
	 * reads the entries above it back, and one still queued is not there
	 * yet, so two walks in one section would each build the same missing
	 * table. Without memory for a table, what has one is mapped.
	 */
	for (unsigned int i = 0; i < n; i++) {
		unsigned long addr = va + i * PAGE_SIZE;
		pte_t *pte;

		if (i && addr & ((1UL << L2_SHIFT) - 1))
			continue;	/* the same L1 table as the page before */
		lazy_mmu_enter();
		pte = walk(mm, addr, true);
		lazy_mmu_leave();
		if (!pte) {
			n = i;
			break;
		}
	}
	/* Then the leaves: mm_map_page()'s sections nest in this one, which issues them all. */
	lazy_mmu_enter();
	for (unsigned int i = 0; i < n; i++)
		if (!mm_map_page(mm, va + i * PAGE_SIZE, pages[i], writable))
			pages[i] = NULL;
	lazy_mmu_leave();
}
