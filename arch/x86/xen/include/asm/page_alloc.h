/* The page allocator over the domain's pseudo-physical frames (page_alloc.c). */
#ifndef ASM_PAGE_ALLOC_H
#define ASM_PAGE_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

/* Make [first, end) allocatable; the frames must be mapped in the direct map. */
void page_alloc_add_range(unsigned long first_pfn, unsigned long end_pfn);
/* A zeroed, writable page of the direct map, or NULL when none is left. */
void *alloc_page(void);
void free_page(void *va);
/* @n physically (and so virtually) contiguous zeroed pages, or NULL. */
void *alloc_pages(unsigned long n);
void free_pages(void *va, unsigned long n);
/*
 * Page-table pages: a frame that has been a page table is given out again
 * only as one (page_alloc.c says why), unless no other frame is left.
 * alloc_table_page() takes such a frame first, else any; every page it
 * gives goes back through free_table_page(), writable.
 */
void *alloc_table_page(void);
void free_table_page(void *va);
/*
 * Reference counts, for pages several address spaces share (copy-on-write):
 * an allocated page has one reference; page_get() adds one, page_put()
 * drops one and frees the page with the last. free_page() of a page that
 * still has more than one is a bug.
 */
void page_get(void *va);
void page_put(void *va);
unsigned int page_refs(const void *va);
/* Free pages, those kept for page tables included. */
unsigned long pages_free(void);
unsigned long pages_total(void);
/* Pages handed out since boot, freed ones included: what an operation allocated is a difference. */
unsigned long pages_handed_out(void);
/* Of the free pages, how many are kept for page tables; how many alloc_pages() took anyway. */
unsigned long pages_kept_for_tables(void);
unsigned long tables_lent(void);

#endif
