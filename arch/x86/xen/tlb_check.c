#include <asm/tlb_check.h>
#include <asm/tlb.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <pvmm/smp_call.h>
#include <pvmm/test.h>
#include <pv-mmu/mm.h>
#include <asm/time.h>

bool tlb_check_mode;
enum tlb_inject tlb_inject;
bool tlb_lazy_leave;
unsigned long tlb_switch_delay_ms;
bool tlb_switch_delay_after;

bool tlb_switch_delay_parse(const char *value)
{
	if (!strncmp(value, "before:", 7))
		tlb_switch_delay_after = false;
	else if (!strncmp(value, "after:", 6))
		tlb_switch_delay_after = true;
	else
		return false;
	return parse_ulong(strchr(value, ':') + 1, &tlb_switch_delay_ms);
}

void tlb_switch_delay(bool after_publish)
{
	uint64_t until;

	if (!tlb_switch_delay_ms || after_publish != tlb_switch_delay_after || smp_processor_id() != 1)
		return;
	until = xen_system_time_ns() + tlb_switch_delay_ms * 1000000ULL;
	while (xen_system_time_ns() < until)
		cpu_relax();
}

static const char *const inject_names[] = {
	[INJECT_NO_REMOTE_FLUSH] = "no-remote-flush",
	[INJECT_NO_TEARDOWN_DROP] = "no-teardown-drop",
	[INJECT_IGNORE_XEN_MM] = "ignore-xen-mm",
};

bool tlb_inject_parse(const char *name)
{
	for (unsigned int i = 1; i < ARRAY_SIZE(inject_names); i++)
		if (!strcmp(name, inject_names[i])) {
			tlb_inject = i;
			return true;
		}
	return false;
}

const char *tlb_inject_names(void)
{
	return "no-remote-flush, no-teardown-drop, ignore-xen-mm";
}

static void __noreturn invariant_broken(const char *invariant, unsigned int cpu, const void *mm,
					const char *detail)
{
	printk("CHECK: invariant broken: %s: vcpu %u, mm %p: %s\n", invariant, cpu, mm, detail);
	test_end(RESULT_FAILURE);
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
	struct percpu *p = this_cpu();
	struct mm *mm = p->loaded_mm;
	char detail[160];

	if (!tlb_check_mode)
		return;
	if (p->xen_mm != mm) {
		snprintf(detail, sizeof(detail), "after %s: xen_mm %p", where, p->xen_mm);
		invariant_broken("xen_mm == loaded_mm", p->cpu_id, mm, detail);
	}
	if (xen_cr3_mfn() != virt_to_mfn(mm->pgd)) {
		snprintf(detail, sizeof(detail), "after %s: Xen's CR3 frame %lx, loaded_mm's %lx", where,
			 xen_cr3_mfn(), virt_to_mfn(mm->pgd));
		invariant_broken("CR3 == loaded_mm (1)", p->cpu_id, mm, detail);
	}
	if (!mm->pinned)
		invariant_broken("a loaded mm is pinned (3)", p->cpu_id, mm, where);
}

struct unloaded_check {
	const struct mm *mm;
	unsigned int bad;	/* vCPUs still holding it, as a count */
};

static void check_here(void *arg)
{
	struct unloaded_check *c = arg;
	struct percpu *p = this_cpu();

	if (p->loaded_mm == c->mm || p->xen_mm == c->mm || xen_cr3_mfn() == virt_to_mfn(c->mm->pgd))
		__atomic_fetch_add(&c->bad, 1, __ATOMIC_SEQ_CST);
}

void check_unloaded_everywhere(const struct mm *mm)
{
	struct unloaded_check c = { .mm = mm };
	char detail[80];

	if (!tlb_check_mode)
		return;
	smp_call_function_many(cpu_online_mask, check_here, &c, true);
	if (c.bad) {
		snprintf(detail, sizeof(detail), "%u vCPUs still have it loaded at its unpin", c.bad);
		invariant_broken("no vCPU has a table loaded when it is unpinned (3)",
				 smp_processor_id(), mm, detail);
	}
}

static void check_read_only(struct mm *mm, pte_t *table, void *unused)
{
	char detail[64];

	if (direct_map_writable(table)) {
		snprintf(detail, sizeof(detail), "table page %p writable", table);
		invariant_broken("page-table pages are read-only while typed (4)", smp_processor_id(),
				 mm, detail);
	}
}

void check_tables_read_only(struct mm *mm)
{
	if (tlb_check_mode)
		mm_for_each_table(mm, check_read_only, NULL);
}
