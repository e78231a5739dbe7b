/*
 * How the PV MMU is said to Xen: the lazy-MMU batch of page-table updates,
 * and every MMUEXT operation the model and the address spaces use, encoded
 * once here (the TLB model, tlb*.c, decides WHAT to flush or load; this file
 * says it in Xen's words, as Linux's arch/x86/xen/mmu_pv.c does for
 * arch/x86/mm/tlb.c).
 *
 * Lazy-MMU sections batch page-table updates per vCPU:
 *
 *	lazy_mmu_enter();
 *	mmu_queue(ptr, val);	... any number ...
 *	lazy_mmu_leave();	one mmu_update entry in one multicall
 *
 * Sections nest: an inner enter/leave joins the outer batch, and only the
 * outermost leave issues it (Linux tripped over nesting in 49147beb0ccb;
 * here it is defined, and every switch inside the context-switch hook's
 * section relies on it). Queued updates go to Xen as ONE mmu_update
 * multicall entry, after which the pv_queue_* operations add mmuext_op
 * entries to the same multicall, so an operation and its flush cost one
 * hypercall. Updates are not visible in the tables until issued: code that
 * must read back what it queued issues first. A section masks events from
 * its outermost enter to its leave, so no event handler or preemption can
 * touch a half-built batch; queueing updates is only allowed inside one.
 */
#ifndef PV_MMU_MMU_PV_H
#define PV_MMU_MMU_PV_H

#include <stdint.h>
#include <stdbool.h>
#include <asm/smp.h>

#define MMU_QUEUE_MAX		128
/* Above this many pages a range flush of this vCPU's TLB becomes a full flush. */
#define FLUSH_CEILING_PAGES	32
/*
 * Above this many pages a flush of other vCPUs' TLBs becomes a full flush:
 * Xen carries out each INVLPG_MULTI of a list as its own flush IPI to the
 * physical CPUs those vCPUs last ran on, waiting for each, and restarted
 * an 8- to 32-page list as multicall continuations several times an
 * unmap (docs/bench.md); one TLB_FLUSH_MULTI is one IPI. Linux's
 * xen_flush_tlb_multi() invalidates a single page at most, too.
 */
#define REMOTE_FLUSH_CEILING_PAGES	1

struct mm;

void lazy_mmu_enter(void);
void lazy_mmu_leave(void);
/* Queue "*ptr = val" (ptr: machine address of the entry). */
void mmu_queue(uint64_t ptr, uint64_t val);
/*
 * Queue "*ptr = val | (*ptr & (A|D))", read and written atomically by Xen
 * (MMU_PT_UPDATE_PRESERVE_AD): for a change to a live leaf whose accessed
 * and dirty bits the CPUs may set between the guest's read and the update.
 */
void mmu_queue_preserve_ad(uint64_t ptr, uint64_t val);
/* Commit and issue everything now, inside a section or not. */
void mmu_issue(void);

/* Queue the direct-map remap of page-table page @table: read-only, or writable again. */
void pv_queue_table_remap(const void *table, bool writable);
/* Queue the pin (MMUEXT_PIN_L4_TABLE) of both of @mm's top-level tables. */
void pv_queue_pin(struct mm *mm);
/* Queue the unpin (MMUEXT_UNPIN_TABLE) of both of @mm's top-level tables. */
void pv_queue_unpin(struct mm *mm);
/* Queue this vCPU's CR3 pair for @mm: NEW_BASEPTR + NEW_USER_BASEPTR as one entry. */
void pv_queue_cr3(struct mm *mm);
/*
 * The user table frame this vCPU last gave Xen with NEW_USER_BASEPTR, once
 * issued (0: none). A PV guest cannot read guest_table_user back (a mov
 * from %cr3 returns guest_table only): check mode verifies the user half
 * against this record of pvmm's own.
 */
unsigned long pv_user_baseptr(void);
/*
 * Queue the flush of user range [start, end) on this vCPU (@local) and on
 * the vCPUs of @remote, as ONE entry: INVLPG_LOCAL per page, or
 * TLB_FLUSH_LOCAL above FLUSH_CEILING_PAGES; INVLPG_MULTI per page, or
 * TLB_FLUSH_MULTI above REMOTE_FLUSH_CEILING_PAGES.
 */
void pv_queue_flush(cpumask_t remote, bool local, unsigned long start, unsigned long end);
/* Queue the flush of kernel range [start, end) on every vCPU: INVLPG_ALL / TLB_FLUSH_ALL. */
void pv_queue_flush_all(unsigned long start, unsigned long end);

#endif
