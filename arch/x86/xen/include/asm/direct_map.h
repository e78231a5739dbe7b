/* The direct map: every frame of the domain at KERNEL_BASE + pfn * 4 KiB (direct_map.c). */
#ifndef ASM_DIRECT_MAP_H
#define ASM_DIRECT_MAP_H

#include <stdbool.h>
#include <stdint.h>

/* Map every frame of the domain and seed the page allocator with them. */
void direct_map_init(void);
unsigned long direct_map_pages(void);
/* W^X: the image's text read-only, its rodata read-only and no-execute, the rest no-execute. */
void direct_map_protect_image(void);
/* Machine address of the direct-map PTE that maps @va (for mmu_update). */
uint64_t direct_map_pte_maddr(const void *va);
/* Whether @va's direct-map mapping is writable (a page no longer typed by Xen). */
bool direct_map_writable(const void *va);
/* The direct-map PTE value for @va's frame, writable or read-only. */
uint64_t direct_map_pte(const void *va, bool writable);

#endif
