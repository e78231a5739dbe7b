/*
 * Addresses. The image is pseudo-physical frame 0 onwards at KERNEL_BASE,
 * and every frame the domain owns is mapped right after it (the direct
 * map, built by direct_map.c), so kernel virtual addresses and pfns
 * convert by an offset; pfns and mfns convert through the p2m list Xen
 * gave us and Xen's read-only machine-to-phys table.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <xen/xen.h>
#include <asm/xen.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(a)	(((a) + PAGE_SIZE - 1) & PAGE_MASK)	/* up to a page boundary */
#define KERNEL_BASE	0xffffffff80000000UL
#define USER_END	0x0000800000000000UL	/* first non-user address: above the lower half */

/* x86 page-table entry bits. */
#define _PAGE_PRESENT	0x001UL
#define _PAGE_RW	0x002UL
#define _PAGE_USER	0x004UL
#define _PAGE_ACCESSED	0x020UL
#define _PAGE_DIRTY	0x040UL
#define _PAGE_NX	(1UL << 63)
#define PTE_MFN_MASK	0x000ffffffffff000UL

#define PT_ENTRIES	512
#define L1_SHIFT	12
#define L2_SHIFT	21
#define L3_SHIFT	30
#define L4_SHIFT	39
#define pt_index(va, shift)	(((unsigned long)(va) >> (shift)) & (PT_ENTRIES - 1))

typedef uint64_t pte_t;

extern unsigned long *p2m;	/* start_info->mfn_list */

static inline unsigned long pfn_to_mfn(unsigned long pfn)
{
	return p2m[pfn];
}

static inline unsigned long mfn_to_pfn(unsigned long mfn)
{
	return machine_to_phys_mapping[mfn];
}

static inline void *pfn_to_virt(unsigned long pfn)
{
	return (void *)(KERNEL_BASE + (pfn << PAGE_SHIFT));
}

static inline unsigned long virt_to_pfn(const void *va)
{
	return ((unsigned long)va - KERNEL_BASE) >> PAGE_SHIFT;
}

static inline unsigned long virt_to_mfn(const void *va)
{
	return pfn_to_mfn(virt_to_pfn(va));
}

static inline void *mfn_to_virt(unsigned long mfn)
{
	return pfn_to_virt(mfn_to_pfn(mfn));
}

/* Machine address of a kernel virtual address. */
static inline uint64_t virt_to_machine(const void *va)
{
	return ((uint64_t)virt_to_mfn(va) << PAGE_SHIFT) | ((unsigned long)va & ~PAGE_MASK);
}

#endif
