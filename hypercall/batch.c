#include <hypercall/batch.h>
#include <pvmm/lib.h>

struct mc_callback {
	void (*fn)(void *arg);
	void *arg;
};

struct mc_batch {
	multicall_entry_t entry[MC_BATCH_ENTRIES];
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

multicall_entry_t *mc_queue(unsigned int op, unsigned long a0, unsigned long a1,
			    unsigned long a2, unsigned long a3, unsigned long a4,
			    unsigned long a5)
{
	struct mc_batch *b = this_batch();
	multicall_entry_t *e;

	if (b->n == MC_BATCH_ENTRIES)
		mc_flush();
	e = &b->entry[b->n++];
	*e = (multicall_entry_t){ .op = op, .args = { a0, a1, a2, a3, a4, a5 } };
	return e;
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
	rc = HYPERVISOR_multicall(b->entry, n);
	b->n = 0;
	b->arg_used = 0;
	if (rc)
		report_hypercall_failure("multicall", rc, "%p, %u entries", b->entry, n);
	bad = multicall_first_failure(b->entry, n);
	if (bad >= 0 && b->entry[bad].op == __HYPERVISOR_mmu_update) {
		/* Name the request that failed: Xen stops there and says how many it did. */
		const mmu_update_t *req = (const mmu_update_t *)b->entry[bad].args[0];
		unsigned int done = *(const unsigned int *)b->entry[bad].args[2];

		report_hypercall_failure("mmu_update", b->entry[bad].result,
					 "multicall entry %d of %u: request %u of %lu: ptr=%llx, val=%llx",
					 bad, n, done, b->entry[bad].args[1],
					 (unsigned long long)req[done].ptr, (unsigned long long)req[done].val);
	}
	if (bad >= 0)
		report_hypercall_failure(hypercall_name(b->entry[bad].op), b->entry[bad].result,
					 "multicall entry %d of %u, args %lx, %lx, %lx", bad, n,
					 b->entry[bad].args[0], b->entry[bad].args[1],
					 b->entry[bad].args[2]);
	run_callbacks(b);
}
