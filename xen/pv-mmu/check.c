/* Check mode (see check.h). */
#include <hypercall/meter.h>
#include <asm/direct_map.h>
#include <asm/page.h>
#include <asm/shutdown.h>
#include <pvmm/lib.h>
#include <pvmm/smp_call.h>
#include "check.h"
#include "mm.h"
#include "mmu_pv.h"
#include "seam.h"
#include "tlb.h"

static void __noreturn invariant_broken(const char *invariant, unsigned int cpu, const void *mm,
					const char *detail)
{
	printk("CHECK: invariant broken: %s: vcpu %u, mm %p: %s\n", invariant, cpu, mm, detail);
	guest_exit(RESULT_FAILURE);
}

unsigned long xen_cr3_mfn(void)
{
	unsigned long cr3;

	/* A PV kernel's mov from %cr3 traps; Xen emulates it with its own guest_table. */
	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	return xen_cr3_to_pfn(cr3);
}

void check_loaded(const char *where)
{
	const struct tlb_state *t = tlb_state_of(smp_processor_id());
	struct mm *mm = t->loaded_mm;
	char detail[160];

	if (!mmu_check_mode())
		return;
	if (t->xen_mm != mm) {
		snprintf(detail, sizeof(detail), "after %s: xen_mm %p", where, t->xen_mm);
		invariant_broken("xen_mm == loaded_mm", smp_processor_id(), mm, detail);
	}
	if (xen_cr3_mfn() != virt_to_mfn(mm->pgd)) {
		snprintf(detail, sizeof(detail), "after %s: Xen's CR3 frame %lx, loaded_mm's %lx", where,
			 xen_cr3_mfn(), virt_to_mfn(mm->pgd));
		invariant_broken("CR3 is loaded_mm's", smp_processor_id(), mm, detail);
	}
	/* The user half cannot be read back from Xen: pvmm's record of what it issued. */
	if (pv_user_baseptr() != (mm->user_pgd ? virt_to_mfn(mm->user_pgd) : 0)) {
		snprintf(detail, sizeof(detail), "after %s: user table frame %lx issued, loaded_mm's %lx",
			 where, pv_user_baseptr(), mm->user_pgd ? virt_to_mfn(mm->user_pgd) : 0);
		invariant_broken("CR3 is loaded_mm's", smp_processor_id(), mm, detail);
	}
	if (!mm->pinned)
		invariant_broken("a loaded mm is pinned", smp_processor_id(), mm, where);
}

struct unloaded_check {
	const struct mm *mm;
	unsigned int bad;	/* vCPUs still holding it, as a count */
};

static void check_here(void *arg)
{
	struct unloaded_check *c = arg;
	const struct tlb_state *t = tlb_state_of(smp_processor_id());

	if (t->loaded_mm == c->mm || t->xen_mm == c->mm || xen_cr3_mfn() == virt_to_mfn(c->mm->pgd))
		__atomic_fetch_add(&c->bad, 1, __ATOMIC_SEQ_CST);
}

void check_unloaded_everywhere(const struct mm *mm)
{
	struct unloaded_check c = { .mm = mm };
	struct unmetered u;
	char detail[80];

	if (!mmu_check_mode())
		return;
	unmetered_begin(&u);
	smp_call_function_many(cpus_online(), check_here, &c, true);
	unmetered_end(&u);
	if (c.bad) {
		snprintf(detail, sizeof(detail), "%u vCPUs still have it loaded at its unpin", c.bad);
		invariant_broken("no vCPU has a table loaded when it is unpinned",
				 smp_processor_id(), mm, detail);
	}
}

static void check_read_only(struct mm *mm, pte_t *table, void *unused)
{
	char detail[64];

	if (direct_map_writable(table)) {
		snprintf(detail, sizeof(detail), "table page %p writable", table);
		invariant_broken("page-table pages are read-only while typed", smp_processor_id(),
				 mm, detail);
	}
}

void check_tables_read_only(struct mm *mm)
{
	/*
	 * A thread of @mm on another vCPU may be freeing tables (munmap): a
	 * walk could reach one it has already remapped writable to free
	 * (seen once in a long syscall-fuzz-4). Checked when nobody is
	 * changing the mm's tables; never waited for at a switch.
	 */
	if (mmu_check_mode() && spin_trylock(&mm->lock)) {
		mm_for_each_table(mm, check_read_only, NULL);
		spin_unlock(&mm->lock);
	}
}

/*
 * Every CR3 load Xen carries out, in check mode, numbered in one sequence:
 * a vCPU whose last load is later than a moment read before a change has
 * had its TLB flushed since (a holder at the change that left the mm and
 * came back after the flush's reads needed none of it).
 */
static unsigned long cr3_loads;
static unsigned long last_cr3_load[MAX_VCPUS];

void check_cr3_loaded(void)
{
	if (mmu_check_mode())
		WRITE_ONCE(last_cr3_load[smp_processor_id()], atomic_fetch_add(&cr3_loads, 1) + 1);
}

struct check_holders check_holders_at_change(const struct mm *mm, bool cr3)
{
	struct check_holders seen = { CPUMASK_NONE, 0 };

	if (!mmu_check_mode())
		return seen;
	seen.since = atomic_load_acquire(&cr3_loads);
	seen.cpus = cr3 ? cpumask_or(mm_holders(mm), mm_cr3_holders(mm)) : mm_holders(mm);
	return seen;
}

void check_flush_reached(const struct mm *mm, const char *invariant, bool cr3,
			 struct check_holders seen, cpumask_t flushed)
{
	cpumask_t missed = cpumask_andnot(seen.cpus, flushed);
	char detail[CPUMASK_FORMAT_SIZE + 64];
	char mask[CPUMASK_FORMAT_SIZE];

	if (!mmu_check_mode() || cpumask_empty(missed))
		return;
	/*
	 * @holders was read before the change was issued: a vCPU that has
	 * loaded CR3 since needed no flush; nor one that has left @mm since
	 * (no holder read saw it), its CR3 switch, issued or still queued,
	 * keeping it off the mm's translations (user copies need xen_mm ==
	 * loaded_mm: asm/uaccess.h). Not off the tables while the switch is
	 * queued: the CPU may still walk them.
	 */
	for (unsigned int cpu = 0; cpu < MAX_VCPUS; cpu++) {
		const struct tlb_state *t = tlb_state_of(cpu);
		bool reloaded = READ_ONCE(last_cr3_load[cpu]) > seen.since;
		bool left = !cr3 && READ_ONCE(t->loaded_mm) != mm;

		if (cpumask_test(missed, cpu) && (reloaded || left))
			missed = cpumask_andnot(missed, cpumask_of(cpu));
	}
	if (cpumask_empty(missed))
		return;
	snprintf(detail, sizeof(detail), "vCPUs %s held it at the change and were not flushed yet",
		 cpumask_format(mask, sizeof(mask), missed));
	invariant_broken(invariant, smp_processor_id(), mm, detail);
}

void check_table_empty(const struct mm *mm, const pte_t *table)
{
	char detail[80];

	if (!mmu_check_mode())
		return;
	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		if (table[i]) {
			snprintf(detail, sizeof(detail), "table page %p entry %u: %lx", table, i,
				 (unsigned long)table[i]);
			invariant_broken("a freed page table is empty", smp_processor_id(), mm, detail);
		}
	}
}
