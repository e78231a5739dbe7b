/*
 * The hypercall meter: what this vCPU asked of Xen between meter_begin()
 * and meter_end(), from the counters (every hypercall, a multicall being
 * one) and the IPIs it sent. Every cost figure pvmm reports is measured
 * with it. Check mode's own work is left out: the checker brackets it with
 * unmetered_begin()/unmetered_end(), so a figure is the same with check=1.
 * So are the polls and kicks of waits that sleep (<asm/vcpu_wait.h>), and
 * the re-arm of a tick slowed while the vCPU idled (<asm/time.h>).
 * Unmetered sections may nest.
 *
 * A meter is per vCPU: begin and end on the same one, with events masked
 * in between if the figure must not include what an event handler did.
 */
#ifndef HYPERCALL_METER_H
#define HYPERCALL_METER_H

struct hypercall_meter {
	unsigned long calls;	/* after meter_end(): hypercalls made in between */
	unsigned long ipis;	/* and IPIs sent */
	/* private: the vCPU's totals at meter_begin() */
	unsigned long calls0, ipis0, unmetered_calls0, unmetered_ipis0;
};

void meter_begin(struct hypercall_meter *m);
void meter_end(struct hypercall_meter *m);

/* Work that no meter on this vCPU counts (check mode), between the two. */
struct unmetered {
	unsigned long calls0, ipis0;
};

void unmetered_begin(struct unmetered *u);
void unmetered_end(const struct unmetered *u);

#endif
