/*
 * Save, restore and migration, the kernel's part (see <pvmm/suspend.h>).
 *
 * Why each step comes before the suspend:
 * - Other vCPUs offline. A new domain keeps a context only for the vCPUs
 *   that were up when it was saved, and their vcpu_info registrations and
 *   event channels are gone; taking them down first, through hotplug's
 *   path, leaves one vCPU to rebuild, and no mm held anywhere else. The
 *   ones that were online come back the same way afterwards (started
 *   afresh in a new domain); vCPUs offline before the save stay offline.
 * - No store request in flight: its reply would come from another
 *   xenstored, or never.
 * - Every mm pinned. The toolstack rewrites the page-table pages that Xen
 *   has typed to the new frames; an mm built but never loaded has
 *   ordinary writable tables that would come back naming old frames.
 *   They stay pinned afterwards: their first load would pin them anyway,
 *   and a pinned mm that is not loaded is an ordinary state.
 * - vCPU 0 on init_mm: no record of a user table's frame (check mode's)
 *   outlives the old frames.
 */
#include <xen/errno.h>
#include <asm/events.h>
#include <asm/smp.h>
#include <asm/suspend.h>
#include <pvmm/hotplug.h>
#include <pvmm/lib.h>
#include <pvmm/suspend.h>
#include <pvmm/xenstore.h>
#include <pv-mmu/check.h>
#include <pv-mmu/mm.h>
#include <pv-mmu/tlb.h>

static unsigned long resumed, cancelled;

static void bring_back(cpumask_t cpus)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpus)
		hotplug_cpu_up(cpu);
}

/* Every active vCPU but this one (vCPU 0) offline: which went, in @parked. */
static bool park_others(cpumask_t *parked)
{
	cpumask_t others = cpus_active();
	unsigned int cpu;

	cpumask_clear(&others, 0);
	*parked = CPUMASK_NONE;
	for_each_cpu(cpu, others) {
		if (!hotplug_cpu_down(cpu))
			return false;
		cpumask_set(parked, cpu);
	}
	return true;
}

int suspend_domain(void)
{
	char online[CPUMASK_FORMAT_SIZE];
	unsigned long flags;
	unsigned int pinned;
	cpumask_t parked;
	int rc;

	if (!park_others(&parked)) {
		printk("pvmm: suspend abandoned: a vCPU would not go offline\n");
		bring_back(parked);
		return -XEN_EBUSY;
	}
	xenstore_suspend();
	flags = local_irq_save();
	pinned = mm_pin_all();
	leave_mm();
	rc = xen_suspend_domain();
	check_loaded(rc ? "a cancelled suspend" : "a restore");
	local_irq_restore(flags);

	xenstore_resume(rc == 0);
	bring_back(parked);
	if (rc == 0)
		resumed++;
	else
		cancelled++;
	printk("pvmm: %s (%u mm pinned for the save); vCPUs online: %s\n",
	       rc ? "suspend cancelled: the same domain goes on" : "resumed in a new domain", pinned,
	       cpumask_format(online, sizeof(online), cpus_online()));
	return rc;
}

void suspend_counts(unsigned long *r, unsigned long *c)
{
	*r = resumed;
	*c = cancelled;
}
