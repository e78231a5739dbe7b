/*
 * batch-restart: an mmu_update entry of the multicall batch that Xen
 * preempts and restarts, then fails at a later request. Xen restarts the
 * entry with its arguments rewritten (the list advanced past the requests
 * done, the count of those left) and keeps the done count the guest gave
 * it as a total over both runs, so the failure report must name request
 * BAD of COUNT, with the ptr and val queued there, from the list as queued.
 *
 * Xen's mmu_update preempts itself before any request but the first while
 * an event is pending and unmasked on the vCPU. So the test sends itself
 * an event with events masked, unmasks them without taking it, and
 * flushes: Xen does request 0, preempts the entry, delivers the event on
 * its way back to the guest and restarts the entry when the upcall
 * returns. The handler reads the done count then: anything but
 * 0 < done < BAD means the event was taken before the batch was issued or
 * after it came back, and the run ends with ERROR, never testing the path
 * without a restart as if it were this one.
 *
 * Events are unmasked with the batch in flight, which its callers never
 * allow: nothing in the upcall may queue to it. On one vCPU in direct mode
 * (the spec) nothing else is runnable, so the upcall cannot switch tasks,
 * and the tick's handler makes its calls directly.
 */
#include <hypercall/batch.h>
#include <asm/direct_map.h>
#include <asm/events.h>
#include <asm/page.h>
#include <asm/page_alloc.h>
#include <pv-mmu/mm.h>
#include <pvmm/test.h>

#define COUNT	8
#define BAD	5

static unsigned int *done_count;	/* the entry's, beside its requests */

static void event_in_batch(unsigned int port, struct cpu_regs *regs)
{
	unsigned int done = READ_ONCE(*done_count);

	printk("restart.done_at_event=%u\n", done);
	if (done == 0 || done >= BAD)
		test_error("the event was taken with %u of %u requests done, not inside the entry: no restart to test",
			   done, COUNT);
}

static void batch_restart(void)
{
	char *pages = alloc_pages(COUNT);
	unsigned int port = bind_ipi(event_in_batch);
	mmu_update_t *req;

	if (!pages)
		test_error("no memory for %u pages", COUNT);
	local_irq_disable();
	req = mc_arg_space(COUNT * sizeof(*req) + sizeof(*done_count));
	done_count = (unsigned int *)(req + COUNT);
	*done_count = 0;
	/* Each page's direct-map PTE rewritten as it is: requests Xen carries out, told apart by ptr. */
	for (unsigned int i = 0; i < COUNT; i++) {
		req[i].ptr = direct_map_pte_maddr(pages + i * PAGE_SIZE) | MMU_NORMAL_PT_UPDATE;
		req[i].val = direct_map_pte(pages + i * PAGE_SIZE, true);
	}
	/* init_mm's top table mapped writable: Xen refuses, the table is pinned. */
	req[BAD].ptr = direct_map_pte_maddr(init_mm.pgd) | MMU_NORMAL_PT_UPDATE;
	req[BAD].val = direct_map_pte(init_mm.pgd, true);
	printk("bad_request.ptr=%llx\n", (unsigned long long)req[BAD].ptr);
	printk("bad_request.val=%llx\n", (unsigned long long)req[BAD].val);
	mc_queue(__HYPERVISOR_mmu_update, (unsigned long)req, COUNT, (unsigned long)done_count,
		 DOMID_SELF, 0, 0);

	evtchn_notify(port);
	/* Not local_irq_enable(), which would take the event now: Xen must find it pending. */
	barrier();
	this_vcpu_info()->evtchn_upcall_mask = 0;
	barrier();
	mc_flush();
	test_fail("the batch succeeded: Xen did request %u, a writable mapping of a pinned table", BAD);
}

REGISTER_TEST(batch_restart, "batch-restart",
	.description = "an mmu_update entry restarted by Xen fails: the report names the request as queued",
	.run = batch_restart,
);
