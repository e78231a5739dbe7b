/* The page allocator over the domain's pseudo-physical frames. */
#ifndef ASM_MM_H
#define ASM_MM_H

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

/* Map every frame of the domain (direct_map.c) and seed the allocator. */
void mm_init(void);
unsigned long direct_map_pages(void);
/* Machine address of the direct-map PTE that maps @va (for mmu_update). */
uint64_t direct_map_pte_maddr(const void *va);
/* Whether @va's direct-map mapping is writable (a page no longer typed by Xen). */
bool direct_map_writable(const void *va);
/* The direct-map PTE value for @va's frame, writable or read-only. */
uint64_t direct_map_pte(const void *va, bool writable);

#endif
