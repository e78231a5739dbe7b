#include <hypercall/batch.h>
#include <pvmm/lib.h>

struct mc_callback {
	void (*fn)(void *arg);
	void *arg;
};

/*
 * Each entry twice: @queued as the callers queued it, @call the copy Xen is
 * handed. Once the call returns, only each entry's result in @call means
 * anything: a debug Xen fills the rest with 0xAA, and a release Xen leaves
 * the arguments of an mmu_update or mmuext_op it preempted and restarted
 * as it rewrote them (the list pointer past the requests done, the count
 * of those left, flagged). A failure is named from @queued.
 */
struct mc_batch {
	multicall_entry_t queued[MC_BATCH_ENTRIES];
	multicall_entry_t call[MC_BATCH_ENTRIES];
	unsigned int n;
	unsigned int nr_callbacks;
	struct mc_callback callback[MC_BATCH_CALLBACKS];
	size_t arg_used;
	char args[MC_BATCH_ARG_BYTES] __attribute__((aligned(16)));
};

static struct mc_batch batches[MAX_VCPUS];

static struct mc_batch *this_batch(void)
{
	return &batches[smp_processor_id()];
}

unsigned int mc_queued(void)
{
	return this_batch()->n;
}

void *mc_arg_space(size_t size)
{
	struct mc_batch *b = this_batch();
	void *p;

	size = (size + 15) & ~15UL;
	/*
	 * Flush now, not in the mc_queue() that follows, if either half of
	 * the batch is full: a flush recycles the argument space, which must
	 * not happen between placing an argument and queueing its entry.
	 */
	if (b->arg_used + size > sizeof(b->args) || b->n == MC_BATCH_ENTRIES)
		mc_flush();
	p = b->args + b->arg_used;
	b->arg_used += size;
	return p;
}

void mc_queue(unsigned int op, unsigned long a0, unsigned long a1, unsigned long a2,
	      unsigned long a3, unsigned long a4, unsigned long a5)
{
	struct mc_batch *b = this_batch();

	if (b->n == MC_BATCH_ENTRIES)
		mc_flush();
	b->queued[b->n++] = (multicall_entry_t){ .op = op, .args = { a0, a1, a2, a3, a4, a5 } };
}

void mc_queue_evtchn_send(unsigned int port)
{
	struct evtchn_send *send = mc_arg_space(sizeof(*send));

	send->port = port;
	mc_queue(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)send, 0, 0, 0, 0);
}

void mc_callback(void (*fn)(void *arg), void *arg)
{
	struct mc_batch *b = this_batch();

	if (b->nr_callbacks == MC_BATCH_CALLBACKS) {
		/* Everything queued so far, the call @fn follows included, goes out now. */
		mc_flush();
		fn(arg);
		return;
	}
	b->callback[b->nr_callbacks++] = (struct mc_callback){ fn, arg };
}

/* The batch has been issued and every entry succeeded: tell whoever asked. */
static void run_callbacks(struct mc_batch *b)
{
	unsigned int n = b->nr_callbacks;

	b->nr_callbacks = 0;
	for (unsigned int i = 0; i < n; i++)
		b->callback[i].fn(b->callback[i].arg);
}

/*
 * Report entry @i of @n, queued as @e, which failed with @result, and end
 * the run. Xen stops an mmu_update or mmuext_op list at the first error
 * and writes to the done count the batch gave it how many it did in all,
 * across restarts: name the one after, from the list as queued.
 */
static void __noreturn report_failed_entry(const multicall_entry_t *e, long result, int i,
					   unsigned int n)
{
	unsigned long count = e->args[1];
	bool counted = e->args[2] != 0;
	unsigned int done = counted ? *(const unsigned int *)e->args[2] : 0;

	if (e->op == __HYPERVISOR_mmu_update && counted && done < count) {
		const mmu_update_t *req = (const mmu_update_t *)e->args[0];

		report_hypercall_failure("mmu_update", result,
					 "multicall entry %d of %u: request %u of %lu: ptr=%llx, val=%llx",
					 i, n, done, count, (unsigned long long)req[done].ptr,
					 (unsigned long long)req[done].val);
	}
	if (e->op == __HYPERVISOR_mmuext_op && counted && done < count) {
		const struct mmuext_op *op = (const struct mmuext_op *)e->args[0] + done;

		report_hypercall_failure("mmuext_op", result,
					 "multicall entry %d of %u: op %u of %lu: %s, arg1 %lx",
					 i, n, done, count, mmuext_name(op->cmd),
					 (unsigned long)op->arg1.mfn);
	}
	report_hypercall_failure(hypercall_name(e->op), result,
				 "multicall entry %d of %u, args %lx, %lx, %lx", i, n, e->args[0],
				 e->args[1], e->args[2]);
}

void mc_flush(void)
{
	struct mc_batch *b = this_batch();
	unsigned int n = b->n;
	long rc;
	int bad;

	if (!n) {
		run_callbacks(b);
		return;
	}
	memcpy(b->call, b->queued, n * sizeof(b->call[0]));
	rc = HYPERVISOR_multicall(b->call, n);
	b->n = 0;
	b->arg_used = 0;
	if (rc)
		report_hypercall_failure("multicall", rc, "%p, %u entries", b->call, n);
	bad = multicall_first_failure(b->call, n);
	if (bad >= 0)
		report_failed_entry(&b->queued[bad], b->call[bad].result, bad, n);
	run_callbacks(b);
}
