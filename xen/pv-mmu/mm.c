/*
 * Address-space construction, duplication, and the operations on
 * anonymous memory (see mm.h). Page-table writes go through set_entry():
 * a plain store while the mm is unpinned (its tables are ordinary writable
 * pages then), a queued mmu_update once it is pinned.
 */
#include <xen/errno.h>
#include <hypercall/batch.h>
#include <asm/mm.h>
#include <asm/tlb.h>
#include <pvmm/test.h>
#include "mm.h"
#include "lazy_mmu.h"

#define USER_SLOTS	256
#define TABLE_ENTRY	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)
#define USER_PAGE	(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

struct mm init_mm;

void init_mm_setup(void)
{
	init_mm.pgd = (pte_t *)start_info->pt_base;
	init_mm.pinned = true;	/* by the domain builder */
}

static pte_t *table_of(pte_t e)
{
	return mfn_to_virt((e & PTE_MFN_MASK) >> PAGE_SHIFT);
}

static void *page_of(pte_t e)
{
	return table_of(e);
}

static void set_entry(struct mm *mm, pte_t *entry, pte_t val)
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
			table = table_of(e);
			continue;
		}
		if (!alloc || !(child = alloc_page()))
			return NULL;
		mm->pt_pages++;
		e = (virt_to_mfn(child) << PAGE_SHIFT) | TABLE_ENTRY;
		/* Xen types a page as a table only while no writable mapping of it exists. */
		if (mm->pinned)
			mmu_queue(direct_map_pte_maddr(child), direct_map_pte(child, false));
		set_entry(mm, &table[i], e);
		if (shift == L4_SHIFT)
			set_entry(mm, &mm->user_pgd[i], e);
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
		child = table_of(table[i]);
		walk_below(mm, child, shift - (L2_SHIFT - L1_SHIFT), va, w);
		if (w->table)
			w->table(mm, child, w->arg);
	}
}

/* Post-order over the user half: children before parents, the two tops last. */
void mm_for_each_table(struct mm *mm, void (*fn)(struct mm *, pte_t *, void *), void *arg)
{
	struct tree_walk w = { .table = fn, .arg = arg };

	walk_below(mm, mm->pgd, L4_SHIFT, 0, &w);
	fn(mm, mm->user_pgd, arg);
	fn(mm, mm->pgd, arg);
}

/* Every present user PTE: @fn(mm, pte, va, arg). */
static void for_each_user_pte(struct mm *mm, void (*fn)(struct mm *, pte_t *, unsigned long, void *),
			      void *arg)
{
	struct tree_walk w = { .pte = fn, .arg = arg };

	walk_below(mm, mm->pgd, L4_SHIFT, 0, &w);
}

_Static_assert(sizeof(struct mm) <= PAGE_SIZE, "struct mm lives in one page");

struct mm *mm_create(void)
{
	struct mm *mm = alloc_page();

	if (!mm)
		return NULL;
	mm->pgd = alloc_page();
	mm->user_pgd = alloc_page();
	if (!mm->pgd || !mm->user_pgd) {
		if (mm->pgd)
			free_page(mm->pgd);
		free_page(mm);
		return NULL;
	}
	mm->pt_pages = 2;
	mm->mmap_next = MMAP_BASE;
	/*
	 * The kernel's half: the same entries as init_mm, so every mm shares
	 * the kernel's tables. Xen's own slots (256-271) are left zero: Xen
	 * fills them when it types the table.
	 */
	for (unsigned int i = 272; i < PT_ENTRIES; i++)
		mm->pgd[i] = init_mm.pgd[i];
	return mm;
}

static void remap_table(struct mm *mm, pte_t *table, void *writable)
{
	mmu_queue(direct_map_pte_maddr(table), direct_map_pte(table, *(bool *)writable));
}

void mm_pin(struct mm *mm)
{
	bool writable = false;
	struct mmuext_op pin[2] = {
		{ .cmd = MMUEXT_PIN_L4_TABLE, .arg1.mfn = virt_to_mfn(mm->pgd) },
		{ .cmd = MMUEXT_PIN_L4_TABLE, .arg1.mfn = virt_to_mfn(mm->user_pgd) },
	};

	lazy_mmu_enter();
	mm_for_each_table(mm, remap_table, &writable);
	mmu_queue_mmuext(pin, 2);
	mm->pinned = true;
	lazy_mmu_leave();
}

void mm_unpin(struct mm *mm)
{
	bool writable = true;
	struct mmuext_op unpin[2] = {
		{ .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = virt_to_mfn(mm->pgd) },
		{ .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = virt_to_mfn(mm->user_pgd) },
	};

	/* Unpin first: a page is typed until then, and a writable mapping of it would be refused. */
	lazy_mmu_enter();
	mmu_queue_mmuext(unpin, 2);
	mm_for_each_table(mm, remap_table, &writable);
	mm->pinned = false;
	lazy_mmu_leave();
}

static void free_data_page(struct mm *mm, pte_t *pte, unsigned long va, void *unused)
{
	free_page(page_of(*pte));
	mm->data_pages--;
}

static void free_table(struct mm *mm, pte_t *table, void *unused)
{
	free_page(table);
	mm->pt_pages--;
}

void mm_free_pages(struct mm *mm)
{
	for_each_user_pte(mm, free_data_page, NULL);
	mm_for_each_table(mm, free_table, NULL);
	if (mm->pt_pages || mm->data_pages)
		test_fail("mm %p: %lu table and %lu data pages unaccounted for at teardown", mm,
			  mm->pt_pages, mm->data_pages);
	free_page(mm);
}

struct dup_state {
	struct mm *dst;
	bool failed;
};

static void copy_page_to(struct mm *src, pte_t *pte, unsigned long va, void *arg)
{
	struct dup_state *st = arg;
	pte_t *dst_pte;
	void *copy;

	if (st->failed)
		return;
	copy = alloc_page();
	dst_pte = copy ? walk(st->dst, va, true) : NULL;
	if (!dst_pte) {
		if (copy)
			free_page(copy);
		st->failed = true;
		return;
	}
	memcpy(copy, page_of(*pte), PAGE_SIZE);
	*dst_pte = (virt_to_mfn(copy) << PAGE_SHIFT) | (*pte & ~PTE_MFN_MASK);
	st->dst->data_pages++;
}

struct mm *mm_dup(struct mm *src)
{
	struct dup_state st = { .dst = mm_create() };
	unsigned long flags;

	if (!st.dst)
		return NULL;
	flags = spin_lock_irqsave(&src->lock);
	st.dst->nr_vmas = src->nr_vmas;
	memcpy(st.dst->vmas, src->vmas, sizeof(src->vmas));
	st.dst->mmap_next = src->mmap_next;
	/* The copy is unpinned: its tables are written with plain stores. */
	for_each_user_pte(src, copy_page_to, &st);
	spin_unlock_irqrestore(&src->lock, flags);
	if (st.failed) {
		mm_destroy(st.dst);
		return NULL;
	}
	return st.dst;
}

const struct vma *mm_find_vma(const struct mm *mm, unsigned long va)
{
	for (unsigned int i = 0; i < mm->nr_vmas; i++)
		if (va >= mm->vmas[i].start && va < mm->vmas[i].end)
			return &mm->vmas[i];
	return NULL;
}

static bool range_ok(unsigned long start, unsigned long len)
{
	return !(start & ~PAGE_MASK) && len && !(len & ~PAGE_MASK) && start < USER_END &&
	       len <= USER_END - start;
}

/* Split vmas so that [start, end) is made of whole vmas; false if out of slots. */
static bool vma_split_at(struct mm *mm, unsigned long addr)
{
	for (unsigned int i = 0; i < mm->nr_vmas; i++) {
		struct vma *v = &mm->vmas[i];

		if (addr > v->start && addr < v->end) {
			if (mm->nr_vmas == MM_MAX_VMAS)
				return false;
			mm->vmas[mm->nr_vmas] = (struct vma){ addr, v->end, v->prot };
			mm->nr_vmas++;
			v->end = addr;
			return true;
		}
	}
	return true;
}

unsigned long mm_get_unmapped(struct mm *mm, unsigned long len)
{
	unsigned long start = mm->mmap_next;

	mm->mmap_next += len + PAGE_SIZE;	/* a guard page between mappings */
	return start;
}

long mm_map_anon(struct mm *mm, unsigned long start, unsigned long len, unsigned int prot)
{
	unsigned long flags;
	long rc = 0;

	if (!range_ok(start, len))
		return -XEN_EINVAL;
	flags = spin_lock_irqsave(&mm->lock);
	for (unsigned int i = 0; i < mm->nr_vmas; i++)
		if (start < mm->vmas[i].end && start + len > mm->vmas[i].start)
			rc = -XEN_EEXIST;
	if (!rc && mm->nr_vmas == MM_MAX_VMAS)
		rc = -XEN_ENOMEM;
	if (!rc)
		mm->vmas[mm->nr_vmas++] = (struct vma){ start, start + len, prot };
	spin_unlock_irqrestore(&mm->lock, flags);
	return rc;
}

/* Map @page at @va with @v's protection, unless something is mapped there. Lock held. */
static long install(struct mm *mm, const struct vma *v, unsigned long va, void *page)
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
		set_entry(mm, pte, (virt_to_mfn(page) << PAGE_SHIFT) | USER_PAGE | _PAGE_DIRTY |
				   (v->prot & PROT_WRITE ? _PAGE_RW : 0));
		mm->data_pages++;
	}
	lazy_mmu_leave();
	return rc;
}

long mm_install_page(struct mm *mm, unsigned long va, void *page)
{
	unsigned long flags = spin_lock_irqsave(&mm->lock);
	const struct vma *v = mm_find_vma(mm, va);
	long rc = v ? install(mm, v, va, page) : -XEN_EFAULT;

	spin_unlock_irqrestore(&mm->lock, flags);
	return rc;
}

long mm_fault(struct mm *mm, unsigned long va, bool write)
{
	unsigned long flags = spin_lock_irqsave(&mm->lock);
	const struct vma *v = mm_find_vma(mm, va);
	void *page = NULL;
	long rc = 0;

	if (!v || !(v->prot & PROT_READ) || (write && !(v->prot & PROT_WRITE)))
		rc = -XEN_EFAULT;
	else if (!(page = alloc_page()))
		rc = -XEN_ENOMEM;
	else
		rc = install(mm, v, va, page);
	if (rc && page)
		free_page(page);
	if (rc == -XEN_EEXIST)
		rc = 0;		/* resolved by another thread */
	spin_unlock_irqrestore(&mm->lock, flags);
	return rc;
}

struct range_op {
	unsigned long start, end;
	unsigned int prot;
	void *freed[64];	/* pages to free once no TLB can reach them */
	unsigned int nr_freed;
};

/* Apply unmap (prot == 0) or a new protection to one chunk of present PTEs, then flush. */
static void change_chunk(struct mm *mm, struct range_op *op)
{
	struct hypercall_counts *c = this_cpu_hypercall_counts();
	unsigned long before;

	lazy_mmu_enter();	/* events masked: the count below is this chunk's alone */
	before = hypercall_counts_total(c);
	for (unsigned long va = op->start; va < op->end; va += PAGE_SIZE) {
		pte_t *pte = walk(mm, va, false);

		if (!pte || !(*pte & _PAGE_PRESENT))
			continue;
		if (!op->prot) {
			op->freed[op->nr_freed++] = page_of(*pte);
			set_entry(mm, pte, 0);
		} else {
			set_entry(mm, pte, (*pte & ~_PAGE_RW) | (op->prot & PROT_WRITE ? _PAGE_RW : 0));
		}
	}
	this_cpu()->last_op_remote = flush_tlb_mm_range(mm, op->start, op->end);
	/* Counted before leaving: unmasking may deliver a pending event, with its own calls. */
	this_cpu()->last_op_hypercalls = hypercall_counts_total(c) - before;
	lazy_mmu_leave();
	for (unsigned int i = 0; i < op->nr_freed; i++)
		free_page(op->freed[i]);
	mm->data_pages -= op->nr_freed;
	op->nr_freed = 0;
}

static void change_range(struct mm *mm, unsigned long start, unsigned long end, unsigned int prot)
{
	struct range_op op = { .prot = prot };
	const unsigned long chunk = 64 * PAGE_SIZE;

	for (unsigned long s = start; s < end; s += chunk) {
		op.start = s;
		op.end = end - s > chunk ? s + chunk : end;
		change_chunk(mm, &op);
	}
}

long mm_unmap(struct mm *mm, unsigned long start, unsigned long len)
{
	unsigned long flags, end = start + len;
	long rc = 0;

	if (!range_ok(start, len))
		return -XEN_EINVAL;
	flags = spin_lock_irqsave(&mm->lock);
	if (!vma_split_at(mm, start) || !vma_split_at(mm, end)) {
		rc = -XEN_ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < mm->nr_vmas;) {
		if (mm->vmas[i].start >= start && mm->vmas[i].end <= end)
			mm->vmas[i] = mm->vmas[--mm->nr_vmas];
		else
			i++;
	}
	change_range(mm, start, end, 0);
out:
	spin_unlock_irqrestore(&mm->lock, flags);
	return rc;
}

long mm_protect(struct mm *mm, unsigned long start, unsigned long len, unsigned int prot)
{
	unsigned long flags, end = start + len, covered = 0;
	long rc = 0;

	if (!range_ok(start, len) || !(prot & PROT_READ))
		return -XEN_EINVAL;
	flags = spin_lock_irqsave(&mm->lock);
	for (unsigned int i = 0; i < mm->nr_vmas; i++)
		if (mm->vmas[i].start < end && mm->vmas[i].end > start)
			covered += (mm->vmas[i].end < end ? mm->vmas[i].end : end) -
				   (mm->vmas[i].start > start ? mm->vmas[i].start : start);
	if (covered != len) {
		rc = -XEN_ENOMEM;	/* as mprotect(2): part of the range is not mapped */
		goto out;
	}
	if (!vma_split_at(mm, start) || !vma_split_at(mm, end)) {
		rc = -XEN_ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < mm->nr_vmas; i++)
		if (mm->vmas[i].start >= start && mm->vmas[i].end <= end)
			mm->vmas[i].prot = prot;
	change_range(mm, start, end, prot);
out:
	spin_unlock_irqrestore(&mm->lock, flags);
	return rc;
}
