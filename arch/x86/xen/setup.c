/*
 * From Xen's entry to kernel_main(): the order matters because each step
 * needs the ones before it. Per-CPU data first (the hypercall counters
 * live there), then shared_info (event masks, the console ring's events),
 * the console (so that every later failure can be reported), traps, memory,
 * events and the timer.
 */
#include <hypercall/hypercall.h>
#include <asm/xen.h>
#include <asm/page.h>
#include <asm/console.h>
#include <asm/traps.h>
#include <asm/events.h>
#include <asm/time.h>
#include <asm/page_alloc.h>
#include <asm/direct_map.h>
#include <asm/shutdown.h>
#include <asm/smp.h>
#include <asm/suspend.h>
#include <asm/ipi.h>
#include <asm/vcpu_wait.h>
#include <pvmm/sched.h>
#include <pv-mmu/mm.h>
#include <pv-mmu/tlb.h>
#include <pvmm/kernel.h>

start_info_t *start_info;
shared_info_t *shared_info;
unsigned long *p2m;
struct percpu percpu_areas[MAX_VCPUS];

/* Where shared_info is mapped: this page's own frame is never used again. */
static char shared_info_page[PAGE_SIZE] __attribute__((section(".bss.page_aligned"), aligned(PAGE_SIZE)));

void percpu_init(unsigned int cpu)
{
	struct percpu *p = &percpu_areas[cpu];

	p->self = p;
	p->cpu_id = cpu;
	p->timer_port = -1;
	p->ipi_port = -1;
	tlb_init_cpu(cpu);
	/* Events stay masked until the vCPU is ready for them. */
	p->vcpu_info.evtchn_upcall_mask = 1;
}

/*
 * Until it is registered, Xen reads @cpu's event mask from its legacy slot
 * in shared_info (a restored domain's is a stale copy), and the
 * registration copies that slot over ours: it must say masked. At boot,
 * before shared_info is mapped, the domain builder has masked them all.
 */
long vcpu_info_register(unsigned int cpu)
{
	struct vcpu_info *v = &percpu_areas[cpu].vcpu_info;
	struct vcpu_register_vcpu_info info = {
		.mfn = virt_to_mfn(v),
		.offset = (unsigned long)v & ~PAGE_MASK,
	};

	if (shared_info && cpu < XEN_LEGACY_MAX_VCPUS)
		shared_info->vcpu_info[cpu].evtchn_upcall_mask = 1;

	return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, cpu, &info);
}

void percpu_init_boot(void)
{
	long rc;

	percpu_init(0);
	/*
	 * The counters are reached through %gs, so this one call is made raw
	 * and counted once it has made counting possible.
	 */
	rc = _hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_GS_KERNEL, &percpu_areas[0]);
	if (rc)
		xen_shutdown(SHUTDOWN_crash);	/* nothing can be printed yet */
	count_hypercall(__HYPERVISOR_set_segment_base);
	/* Xen copies the live record over, mask and pending bits included. */
	if (vcpu_info_register(0))
		xen_shutdown(SHUTDOWN_crash);
}

long shared_info_map(void)
{
	long rc = HYPERVISOR_update_va_mapping((unsigned long)shared_info_page,
					       start_info->shared_info | _PAGE_PRESENT | _PAGE_RW |
					       _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX,
					       UVMF_INVLPG | UVMF_LOCAL);

	if (!rc)
		shared_info = (shared_info_t *)shared_info_page;
	return rc;
}

static void shared_info_init(void)
{
	if (shared_info_map())
		xen_shutdown(SHUTDOWN_crash);	/* nothing can be printed yet */
}

void __noreturn xen_start(start_info_t *si)
{
	start_info = si;
	p2m = (unsigned long *)si->mfn_list;

	percpu_init_boot();
	shared_info_init();
	console_init();
	traps_init();
	direct_map_init();
	direct_map_protect_image();
	if (!xen_initial_domain())
		p2m_publish();	/* what xl save reads first */
	init_mm_setup();
	events_init();
	vcpu_wait_init();
	timer_init();
	debug_dump_init();
	sched_init();
	ipi_init();
	smp_init();
	kernel_main();
}
