/* The hypercall meter (see <hypercall/meter.h>). */
#include <hypercall/counters.h>
#include <hypercall/meter.h>
#include <asm/percpu.h>

/* Per vCPU: what unmetered sections have made so far, and how deep they nest now. */
static struct {
	unsigned long calls, ipis;
	unsigned int depth;
} __attribute__((aligned(64))) unmetered_totals[MAX_VCPUS];

static unsigned long calls_so_far(void)
{
	return hypercall_counts_total(this_cpu_hypercall_counts());
}

void meter_begin(struct hypercall_meter *m)
{
	unsigned int cpu = smp_processor_id();

	m->calls0 = calls_so_far();
	m->ipis0 = percpu_areas[cpu].ipis_sent;
	m->unmetered_calls0 = unmetered_totals[cpu].calls;
	m->unmetered_ipis0 = unmetered_totals[cpu].ipis;
}

void meter_end(struct hypercall_meter *m)
{
	unsigned int cpu = smp_processor_id();

	m->calls = calls_so_far() - m->calls0 - (unmetered_totals[cpu].calls - m->unmetered_calls0);
	m->ipis = percpu_areas[cpu].ipis_sent - m->ipis0 -
		  (unmetered_totals[cpu].ipis - m->unmetered_ipis0);
}

/*
 * Sections nest (a check's cross-vCPU call may sleep in Xen, which is
 * unmetered too): only the outermost counts, or the inner one's calls
 * would be left out twice.
 */
void unmetered_begin(struct unmetered *u)
{
	u->calls0 = calls_so_far();
	u->ipis0 = this_cpu()->ipis_sent;
	unmetered_totals[smp_processor_id()].depth++;
}

void unmetered_end(const struct unmetered *u)
{
	unsigned int cpu = smp_processor_id();

	if (--unmetered_totals[cpu].depth)
		return;
	unmetered_totals[cpu].calls += calls_so_far() - u->calls0;
	unmetered_totals[cpu].ipis += percpu_areas[cpu].ipis_sent - u->ipis0;
}
