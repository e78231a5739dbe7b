#include <hypercall/batch.h>
#include <pvmm/lib.h>
#include <pvmm/test.h>
#include <asm/events.h>
#include "lazy_mmu.h"

struct mmu_queue {
	mmu_update_t req[MMU_QUEUE_MAX];
	unsigned int n;
	unsigned int depth;	/* lazy_mmu_enter() nesting */
	unsigned long irq_flags;	/* the event mask before the outermost enter */
};

static struct mmu_queue queues[MAX_VCPUS];

static struct mmu_queue *this_queue(void)
{
	return &queues[smp_processor_id()];
}

/*
 * A section masks events: an event handler (an IPI asking this vCPU to
 * leave an mm, say) or a preemption must never find, extend or issue a
 * half-built batch.
 */
void lazy_mmu_enter(void)
{
	unsigned long flags = local_irq_save();
	struct mmu_queue *q = this_queue();

	if (q->depth++ == 0)
		q->irq_flags = flags;
}

void lazy_mmu_leave(void)
{
	struct mmu_queue *q = this_queue();

	if (!q->depth)
		test_error("lazy_mmu_leave() without lazy_mmu_enter()");
	if (--q->depth == 0) {
		mmu_issue();
		local_irq_restore(q->irq_flags);
	}
}

void mmu_commit(void)
{
	struct mmu_queue *q = this_queue();
	mmu_update_t *req;
	unsigned int *done;

	if (!q->n)
		return;
	/* One piece of argument space: a second request could flush and recycle the first. */
	req = mc_arg_space(q->n * sizeof(*req) + sizeof(*done));
	done = (unsigned int *)(req + q->n);
	memcpy(req, q->req, q->n * sizeof(*req));
	*done = 0;
	mc_queue(__HYPERVISOR_mmu_update, (unsigned long)req, q->n, (unsigned long)done,
		 DOMID_SELF, 0, 0);
	q->n = 0;
}

void mmu_issue(void)
{
	mmu_commit();
	mc_flush();
}

void mmu_queue(uint64_t ptr, uint64_t val)
{
	struct mmu_queue *q = this_queue();

	if (q->n == MMU_QUEUE_MAX)
		mmu_commit();	/* a second entry in the same multicall */
	if (!q->depth)
		test_error("mmu_queue() outside a lazy-MMU section");
	q->req[q->n].ptr = ptr | MMU_NORMAL_PT_UPDATE;
	q->req[q->n].val = val;
	q->n++;
}

void mmu_queue_mmuext(const struct mmuext_op *ops, unsigned int n)
{
	struct mmuext_op *copy;

	mmu_commit();	/* keep the order: updates first */
	copy = mc_arg_space(n * sizeof(*copy));
	memcpy(copy, ops, n * sizeof(*copy));
	mc_queue(__HYPERVISOR_mmuext_op, (unsigned long)copy, n, 0, DOMID_SELF, 0, 0);
}
