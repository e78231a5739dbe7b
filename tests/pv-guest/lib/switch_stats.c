#include <hypercall/meter.h>
#include <pv-mmu/seam.h>
#include <pv-mmu/tlb.h>
#include <pvmm/test.h>
#include "switch_stats.h"

/* Per vCPU, written only by that vCPU, inside its context switches. */
static struct {
	struct switch_stats stats;
	struct hypercall_meter meter;
	struct mm *before;
	bool to_kthread;
} __attribute__((aligned(64))) per_cpu[MAX_VCPUS];

static void on_switch(const struct mmu_hook_event *e)
{
	unsigned int cpu = smp_processor_id();
	struct switch_stats *st = &per_cpu[cpu].stats;

	if (e->point == MMU_HOOK_SWITCH_BEGIN) {
		per_cpu[cpu].before = tlb_state_of(cpu)->loaded_mm;
		per_cpu[cpu].to_kthread = !e->next;
		meter_begin(&per_cpu[cpu].meter);
	} else if (e->point == MMU_HOOK_SWITCH_END) {
		struct hypercall_meter *m = &per_cpu[cpu].meter;

		meter_end(m);
		if (per_cpu[cpu].to_kthread) {
			st->to_kthread++;
			st->to_kthread_hypercalls += m->calls;
		} else if (tlb_state_of(cpu)->loaded_mm == per_cpu[cpu].before) {
			st->same_mm++;
			st->same_mm_hypercalls += m->calls;
		} else {
			st->mm_switches++;
			st->mm_switch_hypercalls += m->calls;
		}
	}
}

void switch_stats_start(void)
{
	if (!mmu_hook_add(on_switch))
		test_error("no room for another MMU hook");
}

struct switch_stats switch_stats_of(unsigned int cpu)
{
	return per_cpu[cpu].stats;
}

struct switch_stats switch_stats_delta(const struct switch_stats *a, const struct switch_stats *b)
{
	return (struct switch_stats){
		.mm_switches = b->mm_switches - a->mm_switches,
		.mm_switch_hypercalls = b->mm_switch_hypercalls - a->mm_switch_hypercalls,
		.same_mm = b->same_mm - a->same_mm,
		.same_mm_hypercalls = b->same_mm_hypercalls - a->same_mm_hypercalls,
		.to_kthread = b->to_kthread - a->to_kthread,
		.to_kthread_hypercalls = b->to_kthread_hypercalls - a->to_kthread_hypercalls,
	};
}

void switch_stats_print(const char *what, const struct switch_stats *d)
{
	printk("%s.mm_switches=%lu\n%s.mm_switch_hypercalls=%lu\n"
	       "%s.to_kthread=%lu\n%s.to_kthread_hypercalls=%lu\n"
	       "%s.same_mm=%lu\n%s.same_mm_hypercalls=%lu\n",
	       what, d->mm_switches, what, d->mm_switch_hypercalls, what, d->to_kthread, what,
	       d->to_kthread_hypercalls, what, d->same_mm, what, d->same_mm_hypercalls);
}
