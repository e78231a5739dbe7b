/*
 * The one seam between the PV MMU and the tests that watch or bend it.
 *
 * Core code reaches test machinery only through what is declared here;
 * everything in it does nothing unless a test or a global option asks:
 *
 *  - Hook points. The core calls mmu_hook() at the named places below. A
 *    test adds handlers (mmu_hook_add()); with none added a hook point is
 *    a load and a branch. A handler runs on the vCPU that reached the
 *    point, with events masked, and may record what it sees (statistics
 *    are the tests', never the core's) or hold the vCPU there until
 *    another vCPU releases it: an explicit hand-off, never a sleep.
 *  - Fault injection (inject=NAME): mmu_injected(OPT_INJECT_...) is true
 *    at the one rule a test asked to break, to show it catches the break.
 *  - The lazy-vCPU flush policy (lazy=flush|leave, docs/tlb.md).
 *  - Check mode (check=1): see check.h.
 * What an operation costs is measured with the hypercall meter
 * (<hypercall/meter.h>), from these hook points or around the operation.
 */
#ifndef PV_MMU_SEAM_H
#define PV_MMU_SEAM_H

#include <stdbool.h>
#include <pvmm/compiler.h>
#include <pvmm/options.h>
#include <asm/smp.h>

struct mm;

enum mmu_hook_point {
	/* The context-switch hook: next = the next task's mm, NULL for a kernel thread. */
	MMU_HOOK_SWITCH_BEGIN,
	/* ... its batch has been issued: Xen holds what loaded_mm names. */
	MMU_HOOK_SWITCH_END,
	/* switch_mm(): about to publish loaded_mm = next; mm = loaded_mm still. */
	MMU_HOOK_SWITCH_PUBLISH,
	/* switch_mm(): loaded_mm = next published, its CR3 switch queued but not issued. */
	MMU_HOOK_SWITCH_QUEUED,
	/* leave_mm(): this vCPU has left mm for init_mm. */
	MMU_HOOK_LEFT,
	/* A munmap/mprotect chunk of mm begins; events stay masked until its END. */
	MMU_HOOK_RANGE_BEGIN,
	/* ... its flush read the holders (cpus); its updates and flush are not issued yet. */
	MMU_HOOK_RANGE_HOLDERS,
	/* ... its PTE changes and flush are issued: cpus = the other vCPUs it flushed. */
	MMU_HOOK_RANGE_END,
	/* exit_mmap of mm begins; events stay masked until its END. */
	MMU_HOOK_TEARDOWN_BEGIN,
	/* exit_mmap asks cpus (other vCPUs holding mm) to drop it, and waits for them. */
	MMU_HOOK_TEARDOWN_WAIT,
	/* exit_mmap: no vCPU holds mm, and it is unpinned; its pages are freed next. */
	MMU_HOOK_TEARDOWN_END,
};

struct mmu_hook_event {
	enum mmu_hook_point point;
	struct mm *mm;
	struct mm *next;
	cpumask_t cpus;
};

typedef void (*mmu_hook_fn)(const struct mmu_hook_event *e);

#define MMU_MAX_HOOKS	4

/* From now on call @fn at every hook point, on every vCPU. Refuses (false) when full. */
bool mmu_hook_add(mmu_hook_fn fn);

extern unsigned int mmu_nr_hooks;
void mmu_hook_call(const struct mmu_hook_event *e);

static inline void mmu_hook(enum mmu_hook_point point, struct mm *mm, struct mm *next,
			    cpumask_t cpus)
{
	if (unlikely(__atomic_load_n(&mmu_nr_hooks, __ATOMIC_ACQUIRE)))
		mmu_hook_call(&(struct mmu_hook_event){ point, mm, next, cpus });
}

/* inject=: whether the rule named @fault (OPT_INJECT_...) is to be broken. */
static inline bool mmu_injected(unsigned int fault)
{
	return global_option(GOPT_INJECT) == fault;
}

/* lazy=leave: flushes send lazy vCPUs to init_mm instead of flushing them. */
static inline bool mmu_lazy_leave(void)
{
	return global_option(GOPT_LAZY) == OPT_LAZY_LEAVE;
}

/* check=1: verify the model's invariants as it runs (check.h). */
static inline bool mmu_check_mode(void)
{
	return global_option(GOPT_CHECK) == OPT_CHECK_1;
}

#endif
