/*
 * Address spaces under Xen's PV page-table rules.
 *
 * An mm owns two top-level tables, as 64-bit PV requires: the kernel one
 * (user slots plus the kernel's slot, shared with every mm) and the user
 * one (user slots only), whose slots point at the same L3 tables. Until
 * the mm is first loaded its tables are ordinary writable pages, edited
 * with plain stores. mm_pin() makes every table page read-only and pins
 * both tops in one multicall; from then on every change goes through
 * mmu_update. Teardown unpins, makes every table page writable again and
 * frees it, with the data pages.
 */
#ifndef PV_MMU_MM_H
#define PV_MMU_MM_H

#include <stdint.h>
#include <stdbool.h>
#include <asm/page.h>
#include <pvmm/spinlock.h>

#define PROT_READ	1
#define PROT_WRITE	2

#define USER_END	0x0000800000000000UL	/* first non-user address */
#define MM_MAX_VMAS	160	/* what fits in the mm's page beside the rest */
#define MMAP_BASE	0x0000100000000000UL

struct vma {
	unsigned long start, end;	/* page aligned, end exclusive */
	unsigned int prot;
};

struct mm {
	pte_t *pgd;		/* kernel top level */
	pte_t *user_pgd;	/* user top level; NULL for init_mm */
	bool pinned;		/* pinned, so its table pages are read-only */
	spinlock_t lock;	/* vmas and page tables */
	unsigned long pt_pages;	/* table pages it owns, both tops included */
	unsigned long data_pages;
	unsigned long mmap_next;
	unsigned int nr_vmas;
	struct vma vmas[MM_MAX_VMAS];
};

extern struct mm init_mm;

void init_mm_setup(void);
/* A fresh mm: both tops, the kernel's slot, nothing else; unpinned. NULL if out of memory. */
struct mm *mm_create(void);
/* A copy of @src's user memory (fork): eager copy, unpinned. */
struct mm *mm_dup(struct mm *src);
/* Queue the read-only remaps and the pins into this vCPU's multicall batch. */
void mm_pin(struct mm *mm);
/* exit_mmap: see teardown.c. */
void mm_destroy(struct mm *mm);

/* What the last teardown took (from the counters), for tests and benchmarks. */
struct teardown_stats {
	const struct mm *mm;		/* which (gone: compare, never dereference) */
	unsigned int holders;		/* other vCPUs that had the mm loaded */
	bool pinned;
	unsigned long ipis;		/* vCPUs it sent an IPI (all in one hypercall) */
	unsigned long hypercalls;	/* hypercalls it made on its vCPU */
};
extern struct teardown_stats last_teardown;
/* The record of a recent teardown of @mm: false if it is not among the last 8. */
bool teardown_stats_of(const struct mm *mm, struct teardown_stats *out);
/* Teardown steps: unpin and make the tables writable; free every page. */
void mm_unpin(struct mm *mm);
void mm_free_pages(struct mm *mm);

/* Anonymous memory, demand-zero. Return 0 or a negative Xen errno. */
long mm_map_anon(struct mm *mm, unsigned long start, unsigned long len, unsigned int prot);
long mm_unmap(struct mm *mm, unsigned long start, unsigned long len);
long mm_protect(struct mm *mm, unsigned long start, unsigned long len, unsigned int prot);
/* Resolve a fault at @va: 0 when mapped now, -XEN_EFAULT when the access is not allowed. */
long mm_fault(struct mm *mm, unsigned long va, bool write);
/* Map @page (a fresh allocation, now owned by @mm) at @va, inside a vma. */
long mm_install_page(struct mm *mm, unsigned long va, void *page);
/* Pick a free range for @len bytes of mmap. */
unsigned long mm_get_unmapped(struct mm *mm, unsigned long len);
const struct vma *mm_find_vma(const struct mm *mm, unsigned long va);

/* Every table page of @mm's user half, both tops included: calls @fn on each. */
void mm_for_each_table(struct mm *mm, void (*fn)(struct mm *mm, pte_t *table, void *arg), void *arg);

#endif
