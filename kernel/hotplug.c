/*
 * vCPU hotplug (see <pvmm/hotplug.h>), the way Linux's
 * drivers/xen/cpu_hotplug.c takes requests: the watch on cpu/ fires for
 * every change below it (and once when set up, which applies what xl
 * asked for at creation), and each vCPU's availability is read and acted
 * on in turn.
 *
 * The controller runs in the xenwatch thread on vCPU 0. It waits for the
 * vCPU it acts on by polling the state that vCPU publishes (and Xen's
 * VCPUOP_is_up), a tick at a time and bounded: a vCPU that never answers
 * ends the run with FAILURE instead of hanging the store's watches.
 */
#include <xen/errno.h>
#include <hypercall/hypercall.h>
#include <asm/ipi.h>
#include <asm/shutdown.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <pvmm/atomic.h>
#include <pvmm/hotplug.h>
#include <pvmm/lib.h>
#include <pvmm/sched.h>
#include <pvmm/smp_call.h>
#include <pvmm/xenstore.h>
#include <pv-mmu/check.h>
#include <pv-mmu/mm.h>
#include <pv-mmu/tlb.h>

#define ANSWER_TIMEOUT_NS	(30ULL * 1000000000ULL)	/* as for bringing vCPUs up at boot */
#define POLL_NS			1000000ULL
/* Written after each change is applied: how many vCPUs are active (dom0's tests wait on it). */
#define ACTIVE_NODE		"data/vcpus-active"

/* Set by a vCPU about to make VCPUOP_down, cleared by the controller before VCPUOP_up. */
static bool parked[MAX_VCPUS];
static unsigned long downs, ups;

void cpu_go_offline(void)
{
	unsigned int self = smp_processor_id();
	long rc;

	sched_send_tasks_away();
	leave_mm();
	check_loaded("vCPU going offline");
	/* Nothing of this vCPU is an mm's holder now: callers that see it offline can skip it. */
	cpumask_clear_atomic(&cpu_online_mask, self);
	smp_call_quiesce();
	__atomic_store_n(&parked[self], true, __ATOMIC_RELEASE);
	rc = HYPERVISOR_vcpu_op(VCPUOP_down, self, NULL);
	if (rc)
		report_hypercall_failure("vcpu_op", rc, "VCPUOP_down, vcpu=%u", self);
	/* Back (VCPUOP_up): on init_mm's tables still, as it left. */
	check_loaded("vCPU back online");
	timer_restart();
	cpumask_set_atomic(&cpu_online_mask, self);
	cpumask_set_atomic(&cpu_active_mask, self);
}

/* Poll @done(@cpu) a tick at a time; false, with a line and FAILURE, if it never holds. */
static bool vcpu_answers(bool (*done)(unsigned int), unsigned int cpu, const char *what)
{
	uint64_t deadline = xen_system_time_ns() + ANSWER_TIMEOUT_NS;

	while (!done(cpu)) {
		if (xen_system_time_ns() > deadline) {
			printk("pvmm: vCPU %u did not %s within %llu s\n", cpu, what,
			       ANSWER_TIMEOUT_NS / 1000000000ULL);
			result_record(RESULT_FAILURE);
			return false;
		}
		sleep_ns(POLL_NS);
	}
	return true;
}

static bool is_parked(unsigned int cpu)
{
	return __atomic_load_n(&parked[cpu], __ATOMIC_ACQUIRE);
}

/* Xen has it down: only then does VCPUOP_up bring it back (before, it is a no-op). */
static bool is_down(unsigned int cpu)
{
	long rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, cpu, NULL);

	if (rc < 0)
		report_hypercall_failure("vcpu_op", rc, "VCPUOP_is_up, vcpu=%u", cpu);
	return rc == 0;
}

static bool is_active(unsigned int cpu)
{
	return cpu_active(cpu);
}

bool hotplug_cpu_down(unsigned int cpu)
{
	const struct tlb_state *t = tlb_state_of(cpu);

	cpumask_clear_atomic(&cpu_active_mask, cpu);
	/* Make it schedule: its running task is not queued again there, and its idle task goes. */
	send_ipi_mask(cpumask_of(cpu), IPI_RESCHEDULE);
	if (!vcpu_answers(is_parked, cpu, "get ready to go offline") ||
	    !vcpu_answers(is_down, cpu, "go down in Xen"))
		return false;
	if (READ_ONCE(t->loaded_mm) != &init_mm || READ_ONCE(t->xen_mm) != &init_mm) {
		printk("pvmm: vCPU %u went offline holding mm %p (Xen: %p), not init_mm\n", cpu,
		       t->loaded_mm, t->xen_mm);
		result_record(RESULT_FAILURE);
		return false;
	}
	downs++;
	printk("pvmm: vCPU %u offline\n", cpu);
	return true;
}

bool hotplug_cpu_up(unsigned int cpu)
{
	__atomic_store_n(&parked[cpu], false, __ATOMIC_RELEASE);
	smp_vcpu_up(cpu);
	if (!vcpu_answers(is_active, cpu, "come back online"))
		return false;
	ups++;
	printk("pvmm: vCPU %u online\n", cpu);
	return true;
}

/* Take @cpu where cpu/@cpu/availability says. */
static void apply_availability(unsigned int cpu)
{
	char path[32], value[16];
	long rc;

	snprintf(path, sizeof(path), "cpu/%u/availability", cpu);
	rc = xenstore_read(XS_NO_TRANSACTION, path, value, sizeof(value));
	if (rc == -XEN_ENOENT)
		return;
	if (rc < 0) {
		xenstore_failed("read", path, rc);
		return;
	}
	if (!strcmp(value, "online")) {
		if (!cpu_active(cpu))
			hotplug_cpu_up(cpu);
	} else if (!strcmp(value, "offline")) {
		if (cpu == 0)
			printk("pvmm: %s: vCPU 0 stays online (it runs the store's watches)\n", path);
		else if (cpu_active(cpu))
			hotplug_cpu_down(cpu);
	} else {
		printk("pvmm: %s is '%s', not online or offline: ignored\n", path, value);
	}
}

static void cpu_nodes_changed(const char *changed)
{
	char count[8];
	long rc;

	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		apply_availability(cpu);
	snprintf(count, sizeof(count), "%u", cpumask_weight(cpus_active()));
	rc = xenstore_write(XS_NO_TRANSACTION, ACTIVE_NODE, count);
	if (rc)
		xenstore_failed("write", ACTIVE_NODE, rc);
}

void hotplug_init(void)
{
	long rc;

	if (!xenstore_available())
		return;
	rc = xenstore_watch("cpu", cpu_nodes_changed);
	if (rc)
		xenstore_failed("watch", "cpu", rc);
}

void hotplug_counts(unsigned long *down, unsigned long *up)
{
	*down = downs;
	*up = ups;
}
