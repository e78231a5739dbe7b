/*
 * munmap and mprotect on the page tables (see mm.h), and the freeing of
 * the tables a munmap leaves without a vma.
 *
 * A range is changed in chunks: up to MM_CHUNK_PTES present PTEs, or
 * CHUNK_TABLES page tables, whose updates and flush are one multicall.
 * The work is bounded by what is mapped, never by the size of the range:
 * holes are skipped a whole missing table at a time, and a chunk with
 * nothing to change costs nothing.
 *
 * Freeing a table (docs/tlb.md, "Freeing page tables"), in this order:
 *  1. its leaves are cleared (the unmap before it, in the same or an
 *     earlier chunk);
 *  2. its entry in the parent is cleared (for an L3, in both the kernel
 *     and the user top table), then the table's direct-map mapping made
 *     writable again: unlinked, the frame has no table type left, and
 *     Xen lets it be mapped writable;
 *  3. the chunk's flush, covering the table's whole range, reaches every
 *     vCPU holding the mm (lazy ones included) and every vCPU whose CR3
 *     is still the mm (a switch away queued), and the re-read after the
 *     multicall flushes the late arrivals (tlb.c): a vCPU may have cached
 *     translations, or a walk through the table, until then;
 *  4. only then is the frame freed (kept for tables: page_alloc.c), and
 *     so never reused while a TLB can still walk through it.
 * Steps 2 and 3 are queued after the chunk's leaf updates: one multicall.
 */
#include <asm/page_alloc.h>
#include <asm/direct_map.h>
#include <asm/ipi.h>
#include "check.h"
#include "mm.h"
#include "mmu_pv.h"
#include "seam.h"
#include "tlb.h"

/*
 * Tables per chunk: each costs up to three updates (the parent entry, for
 * an L3 the user top's too, the writable remap); with a full chunk of
 * leaves they fit in one mmu_update entry.
 */
#define CHUNK_TABLES	16
#define TABLE_LEVEL_BITS	(L2_SHIFT - L1_SHIFT)

_Static_assert(MM_CHUNK_PTES + 3 * CHUNK_TABLES <= MMU_QUEUE_MAX, "a chunk is one mmu_update entry");

struct range_op {
	bool unmap;
	bool writable;		/* when not unmapping: the new protection */
	unsigned long start, end;	/* what the chunk's flush covers */
	unsigned int nr_changed;	/* leaves changed in the chunk */
	void *freed[MM_CHUNK_PTES];	/* pages to free once no TLB can reach them */
	unsigned int nr_freed;
	pte_t *tables[CHUNK_TABLES];	/* tables unlinked, freed after the flush */
	unsigned int nr_tables;
	struct check_holders unlinked;	/* who held the mm, or had it as CR3, at the first unlink */
};

/*
 * The L1 entry mapping @va if its table exists, else NULL; *@next is where
 * to look next: the following page, or the end of the hole that a missing
 * table leaves.
 */
static pte_t *lookup(struct mm *mm, unsigned long va, unsigned long *next)
{
	pte_t *table = mm->pgd;

	*next = va + PAGE_SIZE;
	for (unsigned int shift = L4_SHIFT; shift > L1_SHIFT; shift -= TABLE_LEVEL_BITS) {
		pte_t e = table[pt_index(va, shift)];

		if (!(e & _PAGE_PRESENT)) {
			*next = (va | ((1UL << shift) - 1)) + 1;
			return NULL;
		}
		table = pte_page(e);
	}
	return &table[pt_index(va, L1_SHIFT)];
}

static void free_tables(struct mm *mm, struct range_op *op, cpumask_t flushed)
{
	check_flush_reached(mm, "a page table is freed only after a flush reached every vCPU whose CR3 "
			    "held the mm", true, op->unlinked, flushed);
	for (unsigned int i = 0; i < op->nr_tables; i++) {
		check_table_empty(mm, op->tables[i]);
		free_table_page(op->tables[i]);
	}
	mm->pt_pages -= op->nr_tables;
	op->nr_tables = 0;
}

/* Issue the chunk's updates with its flush, then free what it unmapped. */
static void finish_chunk(struct mm *mm, struct range_op *op)
{
	/* inject: the tables go back before the flush, while a TLB may still walk through them. */
	bool early = op->nr_tables && mmu_injected(OPT_INJECT_TABLE_FREE_BEFORE_FLUSH);
	cpumask_t flushed;

	if (early) {
		mmu_issue();
		free_tables(mm, op, CPUMASK_NONE);
	}
	flushed = flush_tlb_mm_range(mm, op->start, op->end, op->nr_tables);
	mmu_hook(MMU_HOOK_RANGE_END, mm, NULL, flushed);
	lazy_mmu_leave();
	for (unsigned int i = 0; i < op->nr_freed; i++)
		page_put(op->freed[i]);	/* freed with its last reference */
	mm->data_pages -= op->nr_freed;
	if (op->nr_tables)
		free_tables(mm, op, cpumask_or(flushed, cpumask_of(smp_processor_id())));
	op->nr_freed = op->nr_changed = 0;
	/*
	 * The caller holds mm->lock with events masked: answer the calls that
	 * other vCPUs (a teardown, a check) wait for before the next chunk.
	 */
	ipi_take_pending();
}

/* Open a chunk at its first change, or widen it to [start, end). */
static void chunk_covers(struct mm *mm, struct range_op *op, unsigned long start, unsigned long end)
{
	if (!op->nr_changed && !op->nr_tables) {
		lazy_mmu_enter();
		mmu_hook(MMU_HOOK_RANGE_BEGIN, mm, NULL, CPUMASK_NONE);
		op->start = start;
		op->end = end;
	}
	if (start < op->start)
		op->start = start;
	if (end > op->end)
		op->end = end;
}

static void change_pte(struct mm *mm, struct range_op *op, pte_t *pte, unsigned long va)
{
	/* A page shared copy-on-write stays read-only: its first write copies it (mm.c). */
	bool writable = op->writable && page_refs(pte_page(*pte)) == 1;

	if (!op->unmap && !(*pte & _PAGE_RW) == !writable)
		return;		/* nothing to change */
	chunk_covers(mm, op, va, va + PAGE_SIZE);
	if (op->unmap) {
		op->freed[op->nr_freed++] = pte_page(*pte);
		mm_set_entry(mm, pte, 0);
	} else {
		mm_protect_entry(mm, pte, (*pte & ~_PAGE_RW) | (writable ? _PAGE_RW : 0));
	}
	if (++op->nr_changed == MM_CHUNK_PTES)
		finish_chunk(mm, op);
}

/* The leaves of [start, end); the last chunk is left open for the tables. */
static void change_range(struct mm *mm, struct range_op *op, unsigned long start, unsigned long end)
{
	unsigned long va = start, next;

	while (va < end) {
		pte_t *pte = lookup(mm, va, &next);

		if (pte && (*pte & _PAGE_PRESENT))
			change_pte(mm, op, pte, va);
		va = next;
	}
}

/*
 * Unlink @table, the child that @entry (index bits at @shift, mapping
 * [va, va + 2^shift)) points at; its frame is freed after the flush.
 */
static void unlink_table(struct mm *mm, struct range_op *op, pte_t *entry, unsigned int shift,
			 unsigned long va)
{
	pte_t *table = pte_page(*entry);

	chunk_covers(mm, op, va, va + (1UL << shift));
	if (!op->nr_tables)
		op->unlinked = check_holders_at_change(mm, true);
	mm_set_entry(mm, entry, 0);
	if (shift == L4_SHIFT)
		mm_set_entry(mm, &mm->user_pgd[pt_index(va, L4_SHIFT)], 0);
	/* After the unlink: until then the frame is typed, and Xen refuses a writable mapping. */
	if (mm->pinned)
		pv_queue_table_remap(table, true);
	op->tables[op->nr_tables++] = table;
	if (op->nr_tables == CHUNK_TABLES)
		finish_chunk(mm, op);
}

/*
 * The tables under @table (index bits at @shift) that map part of
 * [start, end): each whose whole range lies in [floor, ceiling), where no
 * vma is, is unlinked, its own children first (as Linux's
 * free_pgd_range() does with the neighbouring vmas as floor and ceiling).
 */
static void free_below(struct mm *mm, struct range_op *op, pte_t *table, unsigned int shift,
		       unsigned long start, unsigned long end, unsigned long floor,
		       unsigned long ceiling)
{
	unsigned long size = 1UL << shift;

	for (unsigned long va = start & ~(size - 1); va < end; va += size) {
		pte_t *entry = &table[pt_index(va, shift)];

		if (!(*entry & _PAGE_PRESENT))
			continue;
		if (shift > L2_SHIFT)
			free_below(mm, op, pte_page(*entry), shift - TABLE_LEVEL_BITS,
				   va > start ? va : start, va + size < end ? va + size : end, floor,
				   ceiling);
		if (va >= floor && va + size <= ceiling)
			unlink_table(mm, op, entry, shift, va);
	}
}

/* The end of the highest vma below @start (0: none) and the start of the lowest above @end. */
static void neighbours(const struct mm *mm, unsigned long start, unsigned long end,
		       unsigned long *floor, unsigned long *ceiling)
{
	*floor = 0;
	*ceiling = USER_END;
	for (unsigned int i = 0; i < mm->vmas.nr; i++) {
		const struct vma *v = &mm->vmas.vma[i];

		if (v->end <= start && v->end > *floor)
			*floor = v->end;
		if (v->start >= end && v->start < *ceiling)
			*ceiling = v->start;
	}
}

void mm_zap_range(struct mm *mm, unsigned long start, unsigned long end)
{
	struct range_op op = { .unmap = true };
	unsigned long floor, ceiling;

	neighbours(mm, start, end, &floor, &ceiling);
	change_range(mm, &op, start, end);
	free_below(mm, &op, mm->pgd, L4_SHIFT, start, end, floor, ceiling);
	if (op.nr_changed || op.nr_tables)
		finish_chunk(mm, &op);
}

void mm_protect_range(struct mm *mm, unsigned long start, unsigned long end, bool writable)
{
	struct range_op op = { .writable = writable };

	change_range(mm, &op, start, end);
	if (op.nr_changed)
		finish_chunk(mm, &op);
}
