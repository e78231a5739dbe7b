/* The hypercall meter (see <hypercall/meter.h>). */
#include <hypercall/counters.h>
#include <hypercall/meter.h>
#include <asm/percpu.h>

/* Per vCPU: what unmetered sections have made so far. */
static struct {
	unsigned long calls, ipis;
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

void unmetered_begin(struct unmetered *u)
{
	u->calls0 = calls_so_far();
	u->ipis0 = this_cpu()->ipis_sent;
}

void unmetered_end(const struct unmetered *u)
{
	unsigned int cpu = smp_processor_id();

	unmetered_totals[cpu].calls += calls_so_far() - u->calls0;
	unmetered_totals[cpu].ipis += percpu_areas[cpu].ipis_sent - u->ipis0;
}
