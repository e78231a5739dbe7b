/*
 * The user address space as processes see it: anonymous ranges (vmas),
 * demand-zero, read-only or read-write (kernel/vma.c). Nothing here is
 * Xen-specific: page tables, pinning and flushes are the PV MMU's
 * (xen/pv-mmu/mm.h), which these functions call with the mm's lock held.
 * All return 0 or a negative Xen errno.
 */
#ifndef PVMM_VMA_H
#define PVMM_VMA_H

#include <stdbool.h>
#include <asm/page.h>

#include <linux/mman.h>	/* PROT_READ, PROT_WRITE */

/* mmap places ranges top down from MMAP_TOP, never below MMAP_FLOOR (kernel/vma.c). */
#define MMAP_TOP	0x00007f0000000000UL	/* 1 TiB below the stack: the first mmap ends here */
#define MMAP_FLOOR	0x0000000100000000UL	/* above the programs' images */
#define MAX_VMAS	160	/* what fits in the mm's page beside the rest */

struct mm;

/* The most pages a demand fault maps at once (fault-around, kernel/vma.c). */
#define FAULT_AROUND_MAX	16

struct vma {
	unsigned long start, end;	/* page aligned, end exclusive */
	unsigned int prot;
	unsigned int fault_around;	/* pages a demand fault maps, the faulting one among them */
};

/* An mm's vmas (part of struct mm, under its lock). */
struct vma_list {
	unsigned int nr;
	unsigned int fault_around;	/* what new vmas get: 1 (off) unless set_fault_around() */
	struct vma vma[MAX_VMAS];
};

/* Add [start, start + len) as a demand-zero range with @prot. */
long do_mmap_anon(struct mm *mm, unsigned long start, unsigned long len, unsigned int prot);
/* Add @len bytes (page aligned) of demand-zero memory where mmap places it: its address, or a negative errno. */
long mmap_anon(struct mm *mm, unsigned long len, unsigned int prot);
/* mmap(2) of the calling task (Linux's arguments): anonymous and private. */
long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
	      unsigned long fd, unsigned long off);
long do_munmap(struct mm *mm, unsigned long start, unsigned long len);
long do_mprotect(struct mm *mm, unsigned long start, unsigned long len, unsigned int prot);
/* Resolve a fault at @va: 0 when mapped now, -XEN_EFAULT when the access is not allowed. */
long handle_mm_fault(struct mm *mm, unsigned long va, bool write);
/*
 * PVMM_SYS_fault_around: vmas made from now on map @pages (a power of two
 * up to FAULT_AROUND_MAX; 1: off) at each demand fault, an aligned block
 * around the faulting page within the vma, in one multicall.
 */
long set_fault_around(struct mm *mm, unsigned long pages);
/* Map @page (a fresh allocation, now owned by @mm) at @va, inside a vma. */
long install_user_page(struct mm *mm, unsigned long va, void *page);

#endif
