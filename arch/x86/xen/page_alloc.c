/*
 * The physical page allocator: one bit per pseudo-physical frame of the
 * domain, set while the frame is free. Frames enter through
 * page_alloc_add_range() once they are mapped in the direct map, so every
 * page handed out is writable at pfn_to_virt(pfn). A bitmap rather than a
 * free list so that a double free or a free of a frame that was never
 * allocatable is caught, and the count of pages in use is exact.
 *
 * Frames that have been page tables are kept for page tables: a second
 * bitmap holds them while free, alloc_table_page() takes them first and
 * alloc_pages() only once no other frame is left. A live migration's
 * sender asks Xen for a batch of frames' types and reads their contents
 * later, while the domain runs; a table unpinned, freed and given out as
 * data in between is read as a table, and libxc refuses for good any
 * entry with PSE set in a frame it was told is an L2-L4 table ("Cannot
 * migrate superpage"), where other such mismatches only make it send the
 * frame again. A frame kept for tables holds table entries or zeros,
 * never PSE (docs/lifecycle.md, "Live migration reads page types and page
 * contents apart").
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

/* A free frame is in one of the two: free for any use, or kept for page tables. */
static unsigned long free_bitmap[MAX_PFNS / BITS];
static unsigned long table_bitmap[MAX_PFNS / BITS];
/*
 * nr_free counts both kinds, nr_table_free the kept ones; nr_tables_lent: kept ones data took;
 * nr_handed_out: every frame ever taken, a running count (what an operation allocates).
 */
static unsigned long nr_free, nr_total, search_hint, nr_table_free, table_hint, nr_tables_lent;
static unsigned long nr_handed_out;
static spinlock_t alloc_lock = SPINLOCK_INIT;
/*
 * References to an allocated page beyond its first: the address spaces
 * that share it copy-on-write (xen/pv-mmu/mm.c). A page with none is
 * freed by free_page() or page_put(); one with some only by the page_put()
 * that drops the last. 16 bits: a page shared by 65,536 address spaces
 * would need more memory for their tables than a domain here has.
 */
static uint16_t extra_refs[MAX_PFNS];

static bool frame_in(const unsigned long *bitmap, unsigned long pfn)
{
	return bitmap[pfn / BITS] & (1UL << (pfn % BITS));
}

static bool pfn_is_free(unsigned long pfn)
{
	return frame_in(free_bitmap, pfn) || frame_in(table_bitmap, pfn);
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
	if (frame_in(table_bitmap, pfn)) {
		table_bitmap[pfn / BITS] &= ~(1UL << (pfn % BITS));
		nr_table_free--;
	}
	free_bitmap[pfn / BITS] &= ~(1UL << (pfn % BITS));
}

/* Free frames of the kind asked for: any-use ones, kept ones, or either. */
enum frames { ANY_USE, KEPT, EITHER };

static unsigned long frame_word(enum frames kind, unsigned long w)
{
	return (kind != KEPT ? free_bitmap[w] : 0) | (kind != ANY_USE ? table_bitmap[w] : 0);
}

/* The first run of @n free frames of @kind at or after @from, or MAX_PFNS. */
static unsigned long find_free_run(enum frames kind, unsigned long from, unsigned long n)
{
	unsigned long run = 0;

	for (unsigned long pfn = from; pfn < MAX_PFNS; pfn++) {
		if (!(pfn % BITS) && !frame_word(kind, pfn / BITS)) {
			run = 0;
			pfn += BITS - 1;	/* a whole word in use */
			continue;
		}
		run = frame_word(kind, pfn / BITS) & (1UL << (pfn % BITS)) ? run + 1 : 0;
		if (run == n)
			return pfn + 1 - n;
	}
	return MAX_PFNS;
}

/* Take [first, first + n) off the free frames; the lock is held. */
static void *take_frames(unsigned long first, unsigned long n)
{
	for (unsigned long pfn = first; pfn < first + n; pfn++)
		mark_used(pfn);
	nr_free -= n;
	nr_handed_out += n;
	return pfn_to_virt(first);
}

void *alloc_pages(unsigned long n)
{
	unsigned long flags = spin_lock_irqsave(&alloc_lock);
	unsigned long first = find_free_run(ANY_USE, search_hint, n);
	void *va = NULL;

	if (first == MAX_PFNS && search_hint)
		first = find_free_run(ANY_USE, 0, n);
	if (first != MAX_PFNS) {
		va = take_frames(first, n);
		if (first == search_hint)
			search_hint = first + n;
	} else if ((first = find_free_run(EITHER, 0, n)) != MAX_PFNS) {
		/* Nothing else left: the guarantee above gives way to the allocation. */
		unsigned long kept = nr_table_free;

		va = take_frames(first, n);
		nr_tables_lent += kept - nr_table_free;
	}
	spin_unlock_irqrestore(&alloc_lock, flags);
	if (va)
		memset(va, 0, n * PAGE_SIZE);
	return va;
}

void *alloc_table_page(void)
{
	unsigned long flags = spin_lock_irqsave(&alloc_lock);
	unsigned long pfn = find_free_run(KEPT, table_hint, 1);
	void *va = NULL;

	if (pfn == MAX_PFNS && table_hint)
		pfn = find_free_run(KEPT, 0, 1);
	if (pfn != MAX_PFNS) {
		va = take_frames(pfn, 1);
		table_hint = pfn + 1;
	}
	spin_unlock_irqrestore(&alloc_lock, flags);
	if (!va)
		return alloc_page();	/* none kept: a frame for any use becomes one */
	memset(va, 0, PAGE_SIZE);
	return va;
}

void *alloc_page(void)
{
	return alloc_pages(1);
}

/* Give back [va, va + n pages) into @bitmap (any use, or kept for tables). */
static void give_back(void *va, unsigned long n, unsigned long *bitmap)
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
		if (__atomic_load_n(&extra_refs[pfn], __ATOMIC_RELAXED))
			panic("page allocator: pfn %lx freed while %u more references hold it", pfn,
			      __atomic_load_n(&extra_refs[pfn], __ATOMIC_RELAXED));
		bitmap[pfn / BITS] |= 1UL << (pfn % BITS);
	}
	nr_free += n;
	if (bitmap == table_bitmap) {
		nr_table_free += n;
		if (first < table_hint)
			table_hint = first;
	} else if (first < search_hint) {
		search_hint = first;
	}
	spin_unlock_irqrestore(&alloc_lock, flags);
}

void free_pages(void *va, unsigned long n)
{
	give_back(va, n, free_bitmap);
}

void free_page(void *va)
{
	free_pages(va, 1);
}

void free_table_page(void *va)
{
	give_back(va, 1, table_bitmap);
}

unsigned long pages_free(void)
{
	return nr_free;
}

unsigned long pages_total(void)
{
	return nr_total;
}

unsigned long pages_handed_out(void)
{
	return nr_handed_out;
}

unsigned long pages_kept_for_tables(void)
{
	return nr_table_free;
}

unsigned long tables_lent(void)
{
	return nr_tables_lent;
}

void page_get(void *va)
{
	unsigned long pfn = virt_to_pfn(va);

	if (__atomic_fetch_add(&extra_refs[pfn], 1, __ATOMIC_RELAXED) == UINT16_MAX)
		panic("page allocator: pfn %lx: more references than its count holds", pfn);
}

void page_put(void *va)
{
	uint16_t *refs = &extra_refs[virt_to_pfn(va)];
	uint16_t old = __atomic_load_n(refs, __ATOMIC_ACQUIRE);

	do {
		if (!old) {
			free_page(va);	/* the last reference */
			return;
		}
	} while (!__atomic_compare_exchange_n(refs, &old, old - 1, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
}

unsigned int page_refs(const void *va)
{
	return 1 + __atomic_load_n(&extra_refs[virt_to_pfn(va)], __ATOMIC_ACQUIRE);
}
