/*
 * Per-vCPU hypercall counters (see <hypercall/counters.h>).
 *
 * Each vCPU only ever writes its own slot, with events masked or from the
 * context that issues the call, so plain increments are enough; readers on
 * other vCPUs may see a count that is one call behind, never a torn one.
 */
#include <hypercall/counters.h>
#include <pvmm/lib.h>

struct hypercall_counts hypercall_counts[MAX_VCPUS];

void count_mmuext_ops(const struct mmuext_op *ops, unsigned int count)
{
	struct hypercall_counts *c = this_cpu_hypercall_counts();

	for (unsigned int i = 0; i < count; i++)
		if (ops[i].cmd < NR_MMUEXT_OPS)
			c->mmuext[ops[i].cmd]++;
}

void count_multicall_entries(const struct multicall_entry *calls, unsigned int count)
{
	struct hypercall_counts *c = this_cpu_hypercall_counts();

	for (unsigned int i = 0; i < count; i++) {
		if (calls[i].op >= NR_HYPERCALLS)
			continue;
		c->mc_entry[calls[i].op]++;
		if (calls[i].op == __HYPERVISOR_mmuext_op)
			count_mmuext_ops((const struct mmuext_op *)calls[i].args[0],
					 calls[i].args[1]);
	}
}

void hypercall_counts_snapshot(struct hypercall_counts *out)
{
	*out = *this_cpu_hypercall_counts();
}

static void counts_add(struct hypercall_counts *acc, const struct hypercall_counts *c)
{
	for (unsigned int i = 0; i < NR_HYPERCALLS; i++) {
		acc->call[i] += c->call[i];
		acc->mc_entry[i] += c->mc_entry[i];
	}
	for (unsigned int i = 0; i < NR_MMUEXT_OPS; i++)
		acc->mmuext[i] += c->mmuext[i];
}

void hypercall_counts_snapshot_all(struct hypercall_counts *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int cpu = 0; cpu < MAX_VCPUS; cpu++)
		counts_add(out, &hypercall_counts[cpu]);
}

void hypercall_counts_delta(const struct hypercall_counts *before,
			    const struct hypercall_counts *after,
			    struct hypercall_counts *out)
{
	for (unsigned int i = 0; i < NR_HYPERCALLS; i++) {
		out->call[i] = after->call[i] - before->call[i];
		out->mc_entry[i] = after->mc_entry[i] - before->mc_entry[i];
	}
	for (unsigned int i = 0; i < NR_MMUEXT_OPS; i++)
		out->mmuext[i] = after->mmuext[i] - before->mmuext[i];
}

unsigned long hypercall_counts_total(const struct hypercall_counts *c)
{
	unsigned long total = 0;

	for (unsigned int i = 0; i < NR_HYPERCALLS; i++)
		total += c->call[i];
	return total;
}

void hypercall_counts_print(const char *prefix, const struct hypercall_counts *c)
{
	printk("%shypercalls=%lu\n", prefix, hypercall_counts_total(c));
	for (unsigned int i = 0; i < NR_HYPERCALLS; i++)
		if (c->call[i])
			printk("%shypercall.%s=%lu\n", prefix, hypercall_name(i), c->call[i]);
	for (unsigned int i = 0; i < NR_HYPERCALLS; i++)
		if (c->mc_entry[i])
			printk("%smulticall.%s=%lu\n", prefix, hypercall_name(i), c->mc_entry[i]);
	for (unsigned int i = 0; i < NR_MMUEXT_OPS; i++)
		if (c->mmuext[i])
			printk("%smmuext.%s=%lu\n", prefix, mmuext_name(i), c->mmuext[i]);
}
