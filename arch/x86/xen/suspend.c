/*
 * Suspend and resume, the arch part (see <asm/suspend.h>).
 *
 * To save a PV domain the toolstack reads its memory by pfn and, to
 * restore it, writes it back into a new domain on new machine frames. It
 * finds the p2m through shared_info (max_pfn and a list of lists of its
 * frames), rewrites the p2m itself, and rewrites every page that Xen has
 * typed as a page table to the new frames. Everything else that names a
 * machine frame is the guest's to translate or rebuild:
 *
 * - start_info's store and console frames: pfns while suspended, as
 *   Linux's xen_pre_suspend() leaves them. A restore puts the new frames
 *   there (at the same pfns: the rings keep their direct-map address), a
 *   cancelled suspend gets them back from us.
 * - shared_info: a frame of Xen's, not the domain's, so the toolstack
 *   refuses a page table that maps it. Unmapped before, mapped again
 *   after, from start_info (a new domain has a new one).
 * - vcpu_info registrations, event channels and timers: a new domain has
 *   none. vCPU 0, the one that suspends, registers and binds its own
 *   again; every other vCPU is down by then (the kernel part takes them
 *   offline first) and its Xen context is gone with the old domain, so it
 *   is started afresh when it comes back (smp_vcpu_up()).
 *
 * Between xen_suspend_prepare() and the end of the resume nothing may
 * print: the console's event channel is the old domain's until
 * console_init() runs again.
 */
#include <hypercall/hypercall.h>
#include <asm/console.h>
#include <asm/events.h>
#include <asm/ipi.h>
#include <asm/page.h>
#include <asm/smp.h>
#include <asm/suspend.h>
#include <asm/time.h>
#include <asm/vcpu_wait.h>
#include <asm/xen.h>
#include <pvmm/bug.h>

#define P2M_PER_PAGE	(PAGE_SIZE / sizeof(unsigned long))
/* Each list names P2M_PER_PAGE p2m pages: 1 GiB of the domain's memory. */
#define FRAME_LISTS	4

/*
 * The toolstack reads these before it asks the domain to suspend: built at
 * boot, and again in each new domain (the frames they name change with
 * every restore; nothing else changes the p2m).
 */
static unsigned long frame_list_list[P2M_PER_PAGE]
	__attribute__((section(".bss.page_aligned"), aligned(PAGE_SIZE)));
static unsigned long frame_lists[FRAME_LISTS][P2M_PER_PAGE]
	__attribute__((section(".bss.page_aligned"), aligned(PAGE_SIZE)));

void p2m_publish(void)
{
	unsigned long nr = start_info->nr_pages;
	unsigned long p2m_pages = (nr + P2M_PER_PAGE - 1) / P2M_PER_PAGE;
	unsigned long lists = (p2m_pages + P2M_PER_PAGE - 1) / P2M_PER_PAGE;

	if ((unsigned long)p2m & ~PAGE_MASK)
		panic("the p2m list at %p does not start a page: its frames cannot be listed", p2m);
	if (lists > FRAME_LISTS)
		panic("%lu pages need %lu p2m frame lists; pvmm keeps %u", nr, lists, FRAME_LISTS);
	for (unsigned long i = 0; i < p2m_pages; i++)
		frame_lists[i / P2M_PER_PAGE][i % P2M_PER_PAGE] =
			virt_to_mfn((char *)p2m + i * PAGE_SIZE);
	for (unsigned long i = 0; i < lists; i++)
		frame_list_list[i] = virt_to_mfn(frame_lists[i]);
	shared_info->arch.max_pfn = nr;
	shared_info->arch.pfn_to_mfn_frame_list_list = virt_to_mfn(frame_list_list);
}

static void shared_info_unmap(void)
{
	long rc = HYPERVISOR_update_va_mapping((unsigned long)shared_info, 0, UVMF_INVLPG | UVMF_LOCAL);

	if (rc)
		report_hypercall_failure("update_va_mapping", rc, "va=%p (shared_info), pte=0, UVMF_INVLPG|UVMF_LOCAL",
					 shared_info);
}

/* Map shared_info again, where start_info says it is now. */
static void shared_info_remap(void)
{
	long rc = shared_info_map();

	if (rc)
		report_hypercall_failure("update_va_mapping", rc, "va=%p (shared_info), maddr=%lx",
					 shared_info, start_info->shared_info);
}

static void start_info_to_pfns(void)
{
	start_info->store_mfn = mfn_to_pfn(start_info->store_mfn);
	start_info->console.domU.mfn = mfn_to_pfn(start_info->console.domU.mfn);
}

static void start_info_to_mfns(void)
{
	start_info->store_mfn = pfn_to_mfn(start_info->store_mfn);
	start_info->console.domU.mfn = pfn_to_mfn(start_info->console.domU.mfn);
}

static void xen_suspend_prepare(void)
{
	/*
	 * A new domain reads vCPU 0's event mask from the legacy slot the
	 * toolstack copies over until vCPU 0 registers its vcpu_info again:
	 * it must say masked, or an upcall could come before shared_info is
	 * mapped.
	 */
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	start_info_to_pfns();
	shared_info_unmap();
}

/* In a new domain: vCPU 0's registration, channels and tick, made again. */
static void resume_new_domain(void)
{
	long rc;

	shared_info_remap();
	console_init();		/* the new console channel; printing works again */
	p2m_publish();
	rc = vcpu_info_register(0);
	if (rc)
		report_hypercall_failure("vcpu_op", rc, "VCPUOP_register_vcpu_info, vcpu=0 (after restore)");
	events_forget_ports();
	timer_init();
	debug_dump_init();
	ipi_init();
	vcpu_wait_init();
	smp_forget_contexts();
}

int xen_suspend_domain(void)
{
	long rc;

	BUG_ON(smp_processor_id() != 0 || !cpumask_equal(cpus_online(), cpumask_of(0)));
	BUG_ON(!this_vcpu_info()->evtchn_upcall_mask);
	xen_suspend_prepare();
	rc = HYPERVISOR_suspend(virt_to_mfn(start_info));
	if (rc == 0) {
		resume_new_domain();
		return 0;
	}
	/* Cancelled (or refused): the same domain, whose channels and registrations stand. */
	start_info_to_mfns();
	shared_info_remap();
	if (rc != 1)
		report_hypercall_failure("sched_op", rc, "SCHEDOP_shutdown, reason=SHUTDOWN_suspend, start_info mfn=%lx",
					 virt_to_mfn(start_info));
	return 1;
}
