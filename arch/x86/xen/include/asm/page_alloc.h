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
unsigned long pages_free(void);
unsigned long pages_total(void);

#endif
