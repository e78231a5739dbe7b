/*
 * Bringing up the other vCPUs.
 *
 * The boot vCPU asks Xen how many vCPUs the domain has (VCPUOP_is_up
 * answers -ENOENT past the last), then for each: prepares its per-CPU
 * area, registers that area's vcpu_info with Xen (shared_info only holds
 * 32), gives it a stack, and starts it with VCPUOP_initialise (a complete
 * register state: entry point, stack, the boot page tables, trap table,
 * callbacks and the GS base of its per-CPU area) and VCPUOP_up. It then
 * waits, bounded, for each to report in; a vCPU that does not is reported,
 * never waited on for ever.
 *
 * A vCPU taken down (VCPUOP_down: hotplug, or before a suspend) keeps its
 * Xen context, and VCPUOP_up resumes it where it stopped, unless the
 * domain was restored in between: a new domain holds contexts only for
 * the vCPUs that were up when it was saved, so such a vCPU is started
 * afresh, as at boot (smp_vcpu_up()).
 */
#include <xen/errno.h>
#include <hypercall/hypercall.h>
#include <asm/smp.h>
#include <asm/page_alloc.h>
#include <asm/page.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <asm/ipi.h>
#include <asm/events.h>
#include <asm/vcpu_wait.h>
#include <pvmm/sched.h>
#include <pvmm/bug.h>
#include <pvmm/lib.h>
#include <pvmm/atomic.h>

#define VCPU_STACK_PAGES	4
#define ONLINE_TIMEOUT_NS	(30ULL * 1000000000ULL)

unsigned int nr_cpus = 1;
static bool context_lost[MAX_VCPUS];
cpumask_t cpu_online_mask = { { 1 } };
cpumask_t cpu_active_mask = { { 1 } };

static void __noreturn secondary_start(unsigned int cpu)
{
	vcpu_wait_init();	/* first: any lock it takes may make it wait */
	timer_init();
	debug_dump_init();
	ipi_init();
	cpumask_set_atomic(&cpu_online_mask, cpu);
	cpumask_set_atomic(&cpu_active_mask, cpu);
	cpu_idle();
}

/* VCPUOP_is_up answers -ENOENT past the domain's last vCPU; any other error is reported. */
static unsigned int count_vcpus(void)
{
	unsigned int n = 1;
	long rc;

	while ((rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, n, NULL)) >= 0 && n < MAX_VCPUS)
		n++;
	if (rc >= 0)
		printk("pvmm: the domain has more than %u vCPUs; using %u\n", MAX_VCPUS, MAX_VCPUS);
	else if (rc != -XEN_ENOENT)
		report_hypercall_failure("vcpu_op", rc, "VCPUOP_is_up, vcpu=%u", n);
	return n;
}

static void start_vcpu(unsigned int cpu)
{
	static struct vcpu_guest_context ctxt;	/* 5 KiB: not on the stack */
	struct percpu *p = &percpu_areas[cpu];
	unsigned long *top;
	long rc;

	percpu_init(cpu);
	rc = vcpu_info_register(cpu);
	if (rc)
		report_hypercall_failure("vcpu_op", rc, "VCPUOP_register_vcpu_info, vcpu=%u", cpu);
	/* Started again after a restore: its stack is free (it was down), and kept. */
	if (!p->stack)
		p->stack = alloc_pages(VCPU_STACK_PAGES);
	if (!p->stack)
		panic("no memory for vCPU %u's stack", cpu);
	/* A zero return address and %rbp end the call-stack walk. */
	top = (unsigned long *)((char *)p->stack + VCPU_STACK_PAGES * PAGE_SIZE) - 2;

	memset(&ctxt, 0, sizeof(ctxt));
	ctxt.flags = VGCF_in_kernel;
	ctxt.user_regs.rip = (unsigned long)secondary_start;
	ctxt.user_regs.rdi = cpu;
	ctxt.user_regs.rsp = (unsigned long)top;
	ctxt.user_regs.cs = FLAT_KERNEL_CS;
	ctxt.user_regs.ss = FLAT_KERNEL_SS;
	ctxt.user_regs.rflags = 0x2;	/* the reserved bit; events stay masked */
	ctxt.kernel_ss = FLAT_KERNEL_SS;
	ctxt.kernel_sp = (unsigned long)top;
	/*
	 * The switch hook skips stack_switch when this record already names
	 * the next task's stack. After a restore it still names the last
	 * task this vCPU ran in the old domain, while Xen now holds @top:
	 * that task, run here first, would enter from user mode on this
	 * stack, over the idle task's frames.
	 */
	p->kernel_sp = ctxt.kernel_sp;
	p->fs_base = ctxt.fs_base;	/* the same for the user FS base: 0 in a fresh context */
	ctxt.ctrlreg[3] = xen_pfn_to_cr3(virt_to_mfn((void *)start_info->pt_base));
	ctxt.gs_base_kernel = (unsigned long)p;
	traps_fill_context(&ctxt);

	rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, cpu, &ctxt);
	if (rc)
		report_hypercall_failure("vcpu_op", rc, "VCPUOP_initialise, vcpu=%u, rip=%lx, rsp=%lx",
					 cpu, (unsigned long)ctxt.user_regs.rip, (unsigned long)top);
	rc = HYPERVISOR_vcpu_op(VCPUOP_up, cpu, NULL);
	if (rc)
		report_hypercall_failure("vcpu_op", rc, "VCPUOP_up, vcpu=%u", cpu);
}

void smp_init(void)
{
	char online[CPUMASK_FORMAT_SIZE], wanted[CPUMASK_FORMAT_SIZE];
	cpumask_t all;
	uint64_t deadline;

	nr_cpus = count_vcpus();
	all = cpumask_first_n(nr_cpus);
	for (unsigned int cpu = 1; cpu < nr_cpus; cpu++)
		start_vcpu(cpu);

	/* Block between checks: the new vCPUs may share the physical CPUs with this one. */
	deadline = xen_system_time_ns() + ONLINE_TIMEOUT_NS;
	local_irq_disable();
	while (!cpumask_equal(cpus_active(), all) && xen_system_time_ns() < deadline)
		block_until_event();
	local_irq_enable();
	if (!cpumask_equal(cpus_active(), all))
		panic("vCPUs did not come online within %llu s: active mask %s of %s",
		      ONLINE_TIMEOUT_NS / 1000000000ULL,
		      cpumask_format(online, sizeof(online), cpus_active()),
		      cpumask_format(wanted, sizeof(wanted), all));
}

void smp_forget_contexts(void)
{
	for (unsigned int cpu = 1; cpu < nr_cpus; cpu++)
		context_lost[cpu] = true;
}

void smp_vcpu_up(unsigned int cpu)
{
	long rc;

	if (context_lost[cpu]) {
		context_lost[cpu] = false;
		start_vcpu(cpu);
		return;
	}
	rc = HYPERVISOR_vcpu_op(VCPUOP_up, cpu, NULL);
	if (rc)
		report_hypercall_failure("vcpu_op", rc, "VCPUOP_up, vcpu=%u", cpu);
}
