#include <hypercall/meter.h>
#include <pv-mmu/seam.h>
#include <pv-mmu/tlb.h>
#include <pvmm/spinlock.h>
#include <pvmm/test.h>
#include "teardown_stats.h"

#define RECENT	8

/* The teardown under way on each vCPU (several vCPUs tear down at once). */
static struct {
	struct teardown_record record;
	struct hypercall_meter meter;
} __attribute__((aligned(64))) running[MAX_VCPUS];

static struct teardown_record recent[RECENT];	/* finished, the newest at next - 1 */
static unsigned int next;
static spinlock_t lock = SPINLOCK_INIT;

static void on_teardown(const struct mmu_hook_event *e)
{
	unsigned int cpu = smp_processor_id();
	struct teardown_record *r = &running[cpu].record;

	if (e->point == MMU_HOOK_TEARDOWN_BEGIN) {
		*r = (struct teardown_record){
			.mm = e->mm,
			.holders = cpumask_weight(cpumask_andnot(mm_holders(e->mm), cpumask_of(cpu))),
		};
		meter_begin(&running[cpu].meter);
	} else if (e->point == MMU_HOOK_TEARDOWN_END) {
		meter_end(&running[cpu].meter);
		r->ipis = running[cpu].meter.ipis;
		r->hypercalls = running[cpu].meter.calls;
		spin_lock(&lock);	/* events are masked at the hook point */
		recent[next++ % RECENT] = *r;
		spin_unlock(&lock);
	}
}

void teardown_stats_start(void)
{
	if (!mmu_hook_add(on_teardown))
		test_error("no room for another MMU hook");
}

static bool find(const struct mm *mm, bool any, struct teardown_record *out)
{
	unsigned long flags = spin_lock_irqsave(&lock);
	bool found = false;

	/* Newest first: an mm's address may have been reused by a later one. */
	for (unsigned int i = 1; i <= RECENT && i <= next && !found; i++) {
		const struct teardown_record *r = &recent[(next - i) % RECENT];

		if (any || r->mm == mm) {
			*out = *r;
			found = true;
		}
	}
	spin_unlock_irqrestore(&lock, flags);
	return found;
}

bool teardown_record_of(const struct mm *mm, struct teardown_record *out)
{
	return find(mm, false, out);
}

bool teardown_record_last(struct teardown_record *out)
{
	return find(NULL, true, out);
}
