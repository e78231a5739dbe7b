/*
 * The physical page allocator: one bit per pseudo-physical frame of the
 * domain, set while the frame is free. Frames enter through
 * page_alloc_add_range() once they are mapped in the direct map, so every
 * page handed out is writable at pfn_to_virt(pfn). A bitmap rather than a
 * free list so that a double free or a free of a frame that was never
 * allocatable is caught, and the count of pages in use is exact.
 */
#include <asm/page_alloc.h>
#include <asm/direct_map.h>
#include <asm/page.h>
#include <pvmm/bug.h>
#include <pvmm/lib.h>
#include <pvmm/spinlock.h>
#include <asm/traps.h>

/* Enough for a 1 GiB domain, the most the direct map covers. */
#define MAX_PFNS	(1UL << (30 - PAGE_SHIFT))
#define BITS		(sizeof(unsigned long) * 8)

static unsigned long free_bitmap[MAX_PFNS / BITS];
static unsigned long nr_free, nr_total, search_hint;
static spinlock_t alloc_lock = SPINLOCK_INIT;

static bool pfn_is_free(unsigned long pfn)
{
	return free_bitmap[pfn / BITS] & (1UL << (pfn % BITS));
}

void page_alloc_add_range(unsigned long first_pfn, unsigned long end_pfn)
{
	if (end_pfn > MAX_PFNS)
		panic("page allocator: pfn range [%lx, %lx) beyond its %lx frames", first_pfn,
		      end_pfn, MAX_PFNS);
	for (unsigned long pfn = first_pfn; pfn < end_pfn; pfn++) {
		if (pfn_is_free(pfn))
			panic("page allocator: pfn %lx added twice", pfn);
		free_bitmap[pfn / BITS] |= 1UL << (pfn % BITS);
	}
	nr_free += end_pfn - first_pfn;
	nr_total += end_pfn - first_pfn;
	if (first_pfn < search_hint)
		search_hint = first_pfn;
}

static void mark_used(unsigned long pfn)
{
	free_bitmap[pfn / BITS] &= ~(1UL << (pfn % BITS));
}

/* The first run of @n free frames at or after @from, or MAX_PFNS. */
static unsigned long find_free_run(unsigned long from, unsigned long n)
{
	unsigned long run = 0;

	for (unsigned long pfn = from; pfn < MAX_PFNS; pfn++) {
		if (!(pfn % BITS) && !free_bitmap[pfn / BITS]) {
			run = 0;
			pfn += BITS - 1;	/* a whole word in use */
			continue;
		}
		run = pfn_is_free(pfn) ? run + 1 : 0;
		if (run == n)
			return pfn + 1 - n;
	}
	return MAX_PFNS;
}

void *alloc_pages(unsigned long n)
{
	unsigned long flags = spin_lock_irqsave(&alloc_lock);
	unsigned long first = find_free_run(search_hint, n);
	void *va = NULL;

	if (first == MAX_PFNS && search_hint)
		first = find_free_run(0, n);
	if (first != MAX_PFNS) {
		for (unsigned long pfn = first; pfn < first + n; pfn++)
			mark_used(pfn);
		nr_free -= n;
		if (first == search_hint)
			search_hint = first + n;
		va = pfn_to_virt(first);
	}
	spin_unlock_irqrestore(&alloc_lock, flags);
	if (va)
		memset(va, 0, n * PAGE_SIZE);
	return va;
}

void *alloc_page(void)
{
	return alloc_pages(1);
}

void free_pages(void *va, unsigned long n)
{
	unsigned long first = virt_to_pfn(va);
	unsigned long flags;

	/* Every page comes back writable: a read-only one is a page table Xen may still type. */
	for (unsigned long i = 0; i < n; i++)
		if (!direct_map_writable((char *)va + i * PAGE_SIZE))
			panic("page allocator: pfn %lx freed while read-only (a page table?)",
			      first + i);
	flags = spin_lock_irqsave(&alloc_lock);

	for (unsigned long pfn = first; pfn < first + n; pfn++) {
		if ((unsigned long)va & ~PAGE_MASK || pfn >= MAX_PFNS || pfn_is_free(pfn))
			panic("page allocator: bad free of pfn %lx (%lu pages from %p)", pfn, n, va);
		free_bitmap[pfn / BITS] |= 1UL << (pfn % BITS);
	}
	nr_free += n;
	if (first < search_hint)
		search_hint = first;
	spin_unlock_irqrestore(&alloc_lock, flags);
}

void free_page(void *va)
{
	free_pages(va, 1);
}

unsigned long pages_free(void)
{
	return nr_free;
}

unsigned long pages_total(void)
{
	return nr_total;
}
