/*
 * Address spaces under Xen's PV page-table rules.
 *
 * An mm owns two top-level tables, as 64-bit PV requires: the kernel one
 * (user slots plus the kernel's slot, shared with every mm) and the user
 * one (user slots only), whose slots point at the same L3 tables. Until
 * the mm is first loaded its tables are ordinary writable pages, edited
 * with plain stores. mm_pin() makes every table page read-only and pins
 * both tops in the first switch's multicall; from then on every change
 * goes through mmu_update. munmap frees the tables no vma needs any more
 * (range.c). fork shares the data pages copy-on-write (a reference each,
 * page_get()). Teardown (teardown.c) unpins, makes every table page
 * writable again and frees it, and drops its references to the data pages.
 */
#ifndef PV_MMU_MM_H
#define PV_MMU_MM_H

#include <stdint.h>
#include <stdbool.h>
#include <asm/page.h>
#include <pvmm/spinlock.h>
#include <pvmm/vma.h>
#include "tlb.h"

struct mm {
	pte_t *pgd;		/* kernel top level */
	pte_t *user_pgd;	/* user top level; NULL for init_mm */
	bool pinned;		/* pinned, so its table pages are read-only */
	spinlock_t lock;	/* vmas and page tables */
	unsigned long pt_pages;	/* table pages it owns, both tops included */
	unsigned long data_pages;
	struct vma_list vmas;	/* kept by kernel/vma.c */
	/*
	 * References to the struct itself: its address space's own, dropped
	 * at the end of its teardown, and each mm_grab(). A holder may compare
	 * or name the struct after the teardown; the tables and pages are gone.
	 */
	unsigned int refs;
	struct mm_tlb tlb;	/* the TLB model's own (tlb.h) */
	/* Every mm with tables is on one list, so that a suspend can pin them all. */
	struct mm *live_prev, *live_next;
};

extern struct mm init_mm;

void init_mm_setup(void);
/* A fresh mm: both tops, the kernel's slot, nothing else; unpinned. NULL if out of memory. */
struct mm *mm_create(void);
/*
 * A copy of @src's vmas and user memory (fork), unpinned: every page
 * shared copy-on-write, @src's writable entries made read-only and
 * flushed wherever @src is loaded before it returns. NULL without memory.
 */
struct mm *mm_dup(struct mm *src);
/*
 * A write fault at @va on a page shared copy-on-write (mm->lock held, the
 * vma writable): copy it, or take it over when this is its last reference.
 * 0 when @va is writable now, -XEN_ENOENT when nothing is mapped there
 * (a demand fault's), -XEN_ENOMEM.
 */
long mm_break_cow(struct mm *mm, unsigned long va);
/* Queue the read-only remaps and the pins into this vCPU's multicall batch. */
void mm_pin(struct mm *mm);
/* exit_mmap: see teardown.c. */
void mm_destroy(struct mm *mm);
/* Take @mm off the list of live mms: the first step of its teardown. */
void mm_unlist(struct mm *mm);
/*
 * Pin every mm that is not pinned yet (built, never loaded), so that every
 * page table of the domain is typed when the toolstack saves it: it
 * rewrites typed tables to the new frames of a restore and copies the
 * rest as data. On vCPU 0 alone, events masked. How many it pinned.
 */
unsigned int mm_pin_all(void);
/* Keep the struct (not the address space) until the matching mm_drop(). */
void mm_grab(struct mm *mm);
void mm_drop(struct mm *mm);

/*
 * The page tables under the vmas; the caller holds mm->lock. Each change
 * to a pinned mm is one multicall with the flush it needs.
 */
/* Map @page at @va: 0, -XEN_EEXIST if something is mapped there, -XEN_ENOMEM. */
long mm_map_page(struct mm *mm, unsigned long va, void *page, bool writable);
/*
 * Map @pages[0..n) at @va, @va + PAGE_SIZE, ... in one batch (one multicall
 * when the tables are pinned and exist; a missing table costs its own).
 * Each page mapped becomes the mm's and its slot is set to NULL; one whose
 * address is mapped already, or that no table could be made for, is left
 * for the caller to free. Lock held.
 */
void mm_map_batch(struct mm *mm, unsigned long va, void **pages, unsigned int n, bool writable);
/*
 * Unmap [start, end), flush it wherever @mm is loaded, free the pages;
 * then free every page table under [start, end) whose whole range no vma
 * covers any more (range.c). The vmas of [start, end) are gone already.
 */
void mm_zap_range(struct mm *mm, unsigned long start, unsigned long end);
/* Make the pages of [start, end) read-only or writable, and flush. */
void mm_protect_range(struct mm *mm, unsigned long start, unsigned long end, bool writable);

/*
 * Inside xen/pv-mmu. Work done with mm->lock held (events masked) pauses
 * every MM_CHUNK_PTES pages to answer cross-vCPU calls; a range change
 * also issues there: as many updates as one mmu_update entry holds.
 */
#define MM_CHUNK_PTES	64
/* Write one table entry of @mm: a plain store while unpinned, a queued mmu_update once pinned. */
void mm_set_entry(struct mm *mm, pte_t *entry, pte_t val);
/* The same for a new protection of a live leaf, keeping the A/D bits the CPUs set meanwhile. */
void mm_protect_entry(struct mm *mm, pte_t *pte, pte_t val);

/* Every table page of @mm's user half, children before parents, both tops last. */
void mm_for_each_table(struct mm *mm, void (*fn)(struct mm *mm, pte_t *table, void *arg), void *arg);
/* Every present user PTE of @mm. */
void mm_for_each_user_pte(struct mm *mm,
			  void (*fn)(struct mm *mm, pte_t *pte, unsigned long va, void *arg),
			  void *arg);
/* The page a present PTE maps. */
void *pte_page(pte_t pte);

#endif
