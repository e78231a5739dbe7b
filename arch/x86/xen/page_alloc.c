/*
 * The physical page allocator: one bit per pseudo-physical frame of the
 * domain, set while the frame is free. Frames enter through
 * page_alloc_add_range() once they are mapped in the direct map, so every
 * page handed out is writable at pfn_to_virt(pfn). A bitmap rather than a
 * free list so that a double free or a free of a frame that was never
 * allocatable is caught, and the count of pages in use is exact.
 */
#include <asm/mm.h>
#include <asm/page.h>
#include <pvmm/test.h>

/* Enough for a 1 GiB domain, the most the direct map covers. */
#define MAX_PFNS	(1UL << (30 - PAGE_SHIFT))
#define BITS		(sizeof(unsigned long) * 8)

static unsigned long free_bitmap[MAX_PFNS / BITS];
static unsigned long nr_free, nr_total, search_hint;

static bool pfn_is_free(unsigned long pfn)
{
	return free_bitmap[pfn / BITS] & (1UL << (pfn % BITS));
}

void page_alloc_add_range(unsigned long first_pfn, unsigned long end_pfn)
{
	if (end_pfn > MAX_PFNS)
		test_error("page allocator: pfn range [%lx, %lx) beyond its %lx frames",
			   first_pfn, end_pfn, MAX_PFNS);
	for (unsigned long pfn = first_pfn; pfn < end_pfn; pfn++) {
		if (pfn_is_free(pfn))
			test_error("page allocator: pfn %lx added twice", pfn);
		free_bitmap[pfn / BITS] |= 1UL << (pfn % BITS);
	}
	nr_free += end_pfn - first_pfn;
	nr_total += end_pfn - first_pfn;
	if (first_pfn < search_hint)
		search_hint = first_pfn;
}

void *alloc_page(void)
{
	for (unsigned long i = 0; i < MAX_PFNS / BITS; i++) {
		unsigned long word = (search_hint / BITS + i) % (MAX_PFNS / BITS);
		unsigned long bits = free_bitmap[word];

		if (bits) {
			unsigned long pfn = word * BITS + __builtin_ctzl(bits);
			void *va = pfn_to_virt(pfn);

			free_bitmap[word] = bits & (bits - 1);
			nr_free--;
			search_hint = pfn;
			memset(va, 0, PAGE_SIZE);
			return va;
		}
	}
	return NULL;
}

void free_page(void *va)
{
	unsigned long pfn = virt_to_pfn(va);

	if ((unsigned long)va & ~PAGE_MASK || pfn >= MAX_PFNS || pfn_is_free(pfn)) {
		test_fail("page allocator: bad free of %p (pfn %lx)", va, pfn);
		return;
	}
	free_bitmap[pfn / BITS] |= 1UL << (pfn % BITS);
	nr_free++;
	if (pfn < search_hint)
		search_hint = pfn;
}

unsigned long pages_free(void)
{
	return nr_free;
}

unsigned long pages_total(void)
{
	return nr_total;
}
