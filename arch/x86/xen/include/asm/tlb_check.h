/*
 * Check mode and fault injection for the TLB and teardown code.
 *
 * check=1 on the guest command line makes every switch, flush, pin and
 * teardown verify the invariants of the design brief (docs/tlb.md), among
 * them CR3 as Xen holds it (read back with a mov from %cr3, which Xen
 * emulates for a PV kernel) against loaded_mm. A broken invariant ends the
 * run with FAILURE naming it, the vCPU and the mm.
 *
 * inject=NAME deliberately breaks one rule, so that the regression tests
 * can show they fail when it is broken:
 *   no-remote-flush   flushes leave other vCPUs' TLBs alone
 *   no-teardown-drop  exit_mmap does not make other vCPUs leave the mm
 *   ignore-xen-mm     exit_mmap trusts loaded_mm alone, not what Xen holds
 */
#ifndef ASM_TLB_CHECK_H
#define ASM_TLB_CHECK_H

#include <stdbool.h>

struct mm;

enum tlb_inject {
	INJECT_NONE,
	INJECT_NO_REMOTE_FLUSH,
	INJECT_NO_TEARDOWN_DROP,
	INJECT_IGNORE_XEN_MM,
};

extern bool tlb_check_mode;
extern enum tlb_inject tlb_inject;
/*
 * lazy=leave: a flush sends lazy vCPUs to init_mm (an IPI each, and a
 * leave_mm hypercall on each) instead of flushing them with the others
 * (lazy=flush, the default). Kept to measure the choice: docs/tlb.md.
 */
extern bool tlb_lazy_leave;
/*
 * switch_delay=before:MS or after:MS: vCPU 1 holds each switch from one
 * user mm to another for MS ms, events masked, before or after publishing
 * loaded_mm, so tests can land a teardown in that window (the races Linux
 * fixed in 7899891c7d16 and 9f79991d4186).
 */
extern unsigned long tlb_switch_delay_ms;
extern bool tlb_switch_delay_after;
bool tlb_switch_delay_parse(const char *value);
void tlb_switch_delay(bool after_publish);

/* Parse inject=NAME: false for an unknown name. */
bool tlb_inject_parse(const char *name);
const char *tlb_inject_names(void);

/* The machine frame of the kernel table Xen has loaded for this vCPU (CR3 read back). */
unsigned long xen_cr3_mfn(void);
/* This vCPU's loaded_mm, xen_mm and CR3 agree (after a switch or a leave). */
void check_loaded(const char *where);
/* No vCPU has @mm loaded, in loaded_mm, xen_mm or CR3 (before its unpin). */
void check_unloaded_everywhere(const struct mm *mm);
/* Every table page of @mm is read-only (after its pin). */
void check_tables_read_only(struct mm *mm);

#endif
