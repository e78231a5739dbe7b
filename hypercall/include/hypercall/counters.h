/*
 * Per-vCPU hypercall counters.
 *
 * Every hypercall the guest issues is counted here before it is made: by
 * hypercall number for direct calls, by hypercall number for each entry of
 * a multicall, and by MMUEXT sub-op for every mmuext_op element, whether
 * the mmuext_op was issued directly or as a multicall entry. Every figure
 * pvmm reports comes from these counters.
 */
#ifndef HYPERCALL_COUNTERS_H
#define HYPERCALL_COUNTERS_H

#include <xen/xen.h>
#include <asm/percpu.h>

#define NR_HYPERCALLS	64
#define NR_MMUEXT_OPS	32

struct hypercall_counts {
	unsigned long call[NR_HYPERCALLS];	/* direct calls, by number */
	unsigned long mc_entry[NR_HYPERCALLS];	/* multicall entries, by number */
	unsigned long mmuext[NR_MMUEXT_OPS];	/* mmuext_op elements, by cmd */
} __attribute__((aligned(64)));

extern struct hypercall_counts hypercall_counts[MAX_VCPUS];

static inline struct hypercall_counts *this_cpu_hypercall_counts(void)
{
	return &hypercall_counts[smp_processor_id()];
}

static inline void count_hypercall(unsigned int nr)
{
	this_cpu_hypercall_counts()->call[nr]++;
}

void count_mmuext_ops(const struct mmuext_op *ops, unsigned int count);
/* Before the call: Xen leaves an entry's arguments overwritten or rewritten. */
void count_multicall_entries(const struct multicall_entry *calls, unsigned int count);

/* A consistent copy of this vCPU's counters (the copy costs no hypercall). */
void hypercall_counts_snapshot(struct hypercall_counts *out);
/* The same, summed over every vCPU. */
void hypercall_counts_snapshot_all(struct hypercall_counts *out);
/* out = after - before, element by element. */
void hypercall_counts_delta(const struct hypercall_counts *before,
			    const struct hypercall_counts *after,
			    struct hypercall_counts *out);
unsigned long hypercall_counts_total(const struct hypercall_counts *c);
/*
 * Print every non-zero counter as a key=value line, keys prefixed with
 * @prefix: "<prefix>hypercall.<name>", "<prefix>multicall.<name>",
 * "<prefix>mmuext.<name>", and "<prefix>hypercalls" for the total.
 */
void hypercall_counts_print(const char *prefix, const struct hypercall_counts *c);

const char *hypercall_name(unsigned int nr);
const char *mmuext_name(unsigned int cmd);

#endif
