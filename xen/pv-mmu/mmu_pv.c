/* The lazy-MMU batch and the MMUEXT encoding (see mmu_pv.h). */
#include <hypercall/batch.h>
#include <asm/direct_map.h>
#include <asm/events.h>
#include <asm/page.h>
#include <pvmm/bug.h>
#include <pvmm/lib.h>
#include "mm.h"
#include "mmu_pv.h"

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

	BUG_ON(q->depth == 0);
	if (--q->depth == 0) {
		mmu_issue();
		local_irq_restore(q->irq_flags);
	}
}

/* Move the queued updates into the vCPU's multicall batch (no hypercall yet). */
static void mmu_commit(void)
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

/* @cmd: how Xen is to apply it (MMU_NORMAL_PT_UPDATE, MMU_PT_UPDATE_PRESERVE_AD). */
static void queue_update(uint64_t ptr, uint64_t val, unsigned int cmd)
{
	struct mmu_queue *q = this_queue();

	BUG_ON(q->depth == 0);	/* queueing outside a lazy-MMU section */
	if (q->n == MMU_QUEUE_MAX)
		mmu_commit();	/* a second entry in the same multicall */
	q->req[q->n].ptr = ptr | cmd;
	q->req[q->n].val = val;
	q->n++;
}

void mmu_queue(uint64_t ptr, uint64_t val)
{
	queue_update(ptr, val, MMU_NORMAL_PT_UPDATE);
}

void mmu_queue_preserve_ad(uint64_t ptr, uint64_t val)
{
	queue_update(ptr, val, MMU_PT_UPDATE_PRESERVE_AD);
}

static bool is_multi(unsigned int cmd)
{
	return cmd == MMUEXT_INVLPG_MULTI || cmd == MMUEXT_TLB_FLUSH_MULTI;
}

/*
 * Queue @n ops as one mmuext_op entry, after the updates queued so far.
 * The ops, and the vCPU mask @remote that their *_MULTI ops point at, go
 * into ONE piece of argument space: placed apart, a flush of the batch
 * between the two would recycle the first before its entry is queued.
 */
static void queue_mmuext(const struct mmuext_op *ops, unsigned int n, cpumask_t remote)
{
	struct mmuext_op *copy;
	cpumask_t *mask;	/* a bitmap of 64-bit words: what Xen reads */
	unsigned int *done;	/* Xen says how many ops it did: a failure names its op */

	mmu_commit();	/* keep the order: updates first */
	copy = mc_arg_space(n * sizeof(*copy) + sizeof(*mask) + sizeof(*done));
	mask = (cpumask_t *)(copy + n);
	done = (unsigned int *)(mask + 1);
	*mask = remote;
	*done = 0;
	memcpy(copy, ops, n * sizeof(*copy));
	for (unsigned int i = 0; i < n; i++)
		if (is_multi(copy[i].cmd))
			set_xen_guest_handle(copy[i].arg2.vcpumask, mask);
	mc_queue(__HYPERVISOR_mmuext_op, (unsigned long)copy, n, (unsigned long)done, DOMID_SELF,
		 0, 0);
}

void pv_queue_table_remap(const void *table, bool writable)
{
	mmu_queue(direct_map_pte_maddr(table), direct_map_pte(table, writable));
}

static void queue_on_both_tops(unsigned int cmd, struct mm *mm)
{
	struct mmuext_op ops[2] = {
		{ .cmd = cmd, .arg1.mfn = virt_to_mfn(mm->pgd) },
		{ .cmd = cmd, .arg1.mfn = virt_to_mfn(mm->user_pgd) },
	};

	queue_mmuext(ops, 2, CPUMASK_NONE);
}

void pv_queue_pin(struct mm *mm)
{
	queue_on_both_tops(MMUEXT_PIN_L4_TABLE, mm);
}

void pv_queue_unpin(struct mm *mm)
{
	queue_on_both_tops(MMUEXT_UNPIN_TABLE, mm);
}

/* Per vCPU: the user table frame in the NEW_USER_BASEPTR Xen has carried out. */
static unsigned long user_baseptr[MAX_VCPUS];

unsigned long pv_user_baseptr(void)
{
	return user_baseptr[smp_processor_id()];
}

static void user_baseptr_issued(void *mfn)
{
	user_baseptr[smp_processor_id()] = (unsigned long)mfn;
}

void pv_queue_cr3(struct mm *mm)
{
	/* 0 clears it: init_mm has no user half. */
	unsigned long user_mfn = mm->user_pgd ? virt_to_mfn(mm->user_pgd) : 0;
	struct mmuext_op ops[2] = {
		{ .cmd = MMUEXT_NEW_BASEPTR, .arg1.mfn = virt_to_mfn(mm->pgd) },
		{ .cmd = MMUEXT_NEW_USER_BASEPTR, .arg1.mfn = user_mfn },
	};

	queue_mmuext(ops, 2, CPUMASK_NONE);
	mc_callback(user_baseptr_issued, (void *)user_mfn);
}

/* Up to two ops a page: the local and the remote flush. */
#define FLUSH_OPS_MAX	(2 * FLUSH_CEILING_PAGES)

void pv_queue_flush(cpumask_t remote, bool local, unsigned long start, unsigned long end)
{
	unsigned long pages = (end - start) >> PAGE_SHIFT;
	bool local_by_page = local && pages <= FLUSH_CEILING_PAGES;
	bool others = !cpumask_empty(remote);
	bool others_by_page = others && pages <= REMOTE_FLUSH_CEILING_PAGES;
	struct mmuext_op ops[FLUSH_OPS_MAX];
	unsigned int n = 0;

	if (local && !local_by_page)
		ops[n++] = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_LOCAL };
	if (others && !others_by_page)
		ops[n++] = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_MULTI };
	for (unsigned long va = start; (local_by_page || others_by_page) && va < end; va += PAGE_SIZE) {
		if (local_by_page)
			ops[n++] = (struct mmuext_op){ .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = va };
		if (others_by_page)
			ops[n++] = (struct mmuext_op){ .cmd = MMUEXT_INVLPG_MULTI, .arg1.linear_addr = va };
	}
	if (n)
		queue_mmuext(ops, n, remote);
}

void pv_queue_flush_all(unsigned long start, unsigned long end)
{
	bool full = (end - start) >> PAGE_SHIFT > FLUSH_CEILING_PAGES;
	struct mmuext_op ops[FLUSH_CEILING_PAGES];
	unsigned int n = 0;

	if (full)
		ops[n++] = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_ALL };
	for (unsigned long va = start; !full && va < end; va += PAGE_SIZE)
		ops[n++] = (struct mmuext_op){ .cmd = MMUEXT_INVLPG_ALL, .arg1.linear_addr = va };
	if (n)
		queue_mmuext(ops, n, CPUMASK_NONE);
}
