/*
 * Check mode (check=1 on the guest command line): the model verifies its
 * invariants as it runs (docs/tlb.md, "Invariants"). After every switch
 * and leave_mm, this vCPU's loaded_mm, xen_mm and CR3 as Xen holds it
 * (read back with a mov from %cr3, which Xen emulates for a PV kernel;
 * the user table, which cannot be read back, from pvmm's record of the
 * NEW_USER_BASEPTR Xen carried out) agree; after a switch to a user mm, every table page of it is
 * read-only; before every unpin, no vCPU holds the mm in any of the three;
 * before a munmap frees a page table, and before fork returns, the flush of
 * the change reached every holder.
 *
 * A broken invariant prints
 *
 *	CHECK: invariant broken: NAME: vcpu N, mm P: detail
 *
 * and ends the run with FAILURE. Without check=1 every check returns at
 * once. Check mode's own hypercalls are left out of every hypercall meter.
 */
#ifndef PV_MMU_CHECK_H
#define PV_MMU_CHECK_H

#include <asm/page.h>
#include <asm/smp.h>

struct mm;

/* The machine frame of the kernel table Xen has loaded for this vCPU (CR3 read back). */
unsigned long xen_cr3_mfn(void);
/* This vCPU's loaded_mm, xen_mm and CR3 agree, and loaded_mm is pinned (after @where). */
void check_loaded(const char *where);
/* No vCPU has @mm loaded, in loaded_mm, xen_mm or CR3 (before its unpin). */
void check_unloaded_everywhere(const struct mm *mm);
/* Every table page of @mm is read-only (after its pin). */
void check_tables_read_only(struct mm *mm);
/* This vCPU's CR3 load has been carried out by Xen (cr3_issued()): stamp it. */
void check_cr3_loaded(void);
/* Who held @mm at a change, and when (check mode; outside it, nobody: nothing is read). */
struct check_holders {
	cpumask_t cpus;		/* its holders, and with @cr3 every vCPU whose CR3 is @mm */
	unsigned long since;	/* a moment among the CR3 loads, read before them */
};
struct check_holders check_holders_at_change(const struct mm *mm, bool cr3);
/*
 * Before what a change made unreachable is let go (a munmap's page tables
 * freed, fork returning after write-protecting the parent): every vCPU
 * of @seen (check_holders_at_change() with the same @cr3) is in @flushed,
 * the vCPUs its flush reached (this one included when it held @mm), or
 * has had its TLB flushed by a CR3 load since, or has left @mm (its
 * switch published: never for freed page tables, @cr3 true, which a CPU
 * may walk until the switch is carried out); else @invariant is broken.
 */
void check_flush_reached(const struct mm *mm, const char *invariant, bool cr3,
			 struct check_holders seen, cpumask_t flushed);
/* A page table a munmap frees is empty: no leaf was left outside a vma. */
void check_table_empty(const struct mm *mm, const pte_t *table);

#endif
