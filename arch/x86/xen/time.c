/* Xen system time and the per-vCPU tick. */
#include <hypercall/hypercall.h>
#include <hypercall/meter.h>
#include <asm/time.h>
#include <asm/events.h>
#include <pvmm/lib.h>
#include <pvmm/sched.h>

#define TICK_NS		10000000ULL	/* 100 Hz */
/*
 * The tick of a vCPU that has idled for a while with nothing to wake
 * (sched_tick() says when). Every tick is an event upcall and a
 * hypercall, and under QEMU's TCG a few tens of microseconds of host
 * time: 128 vCPUs at 100 Hz took a whole host CPU, starving the vCPUs
 * with work (exit-while-lazy-128 over 90 s beside a busy host). The idle
 * tick is slowed, not stopped: Credit2 in Xen 4.17 can leave a runnable
 * vCPU queued while the physical CPUs idle (vcpu_wait.c), and a vCPU
 * whose tick had stopped then stranded at boot (smp-up-64 stuck 5 runs of
 * 5 beside a busy host); any vCPU's tick makes Xen schedule again.
 */
#define IDLE_TICK_NS	250000000ULL	/* 4 Hz */

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * system_time + scaled TSC delta, read consistently: Xen makes version odd
 * while it updates the record, as a seqlock writer would.
 */
uint64_t xen_system_time_ns(void)
{
	const volatile struct vcpu_time_info *t = &this_vcpu_info()->time;
	uint32_t version;
	uint64_t ns;

	do {
		version = t->version;
		asm volatile("lfence" ::: "memory");
		uint64_t delta = rdtsc() - t->tsc_timestamp;
		int8_t shift = t->tsc_shift;

		if (shift < 0)
			delta >>= -shift;
		else
			delta <<= shift;
		ns = t->system_time + (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
		asm volatile("lfence" ::: "memory");
	} while ((version & 1) || version != t->version);
	return ns;
}

/*
 * Arm this vCPU's one-shot timer @delta_ns from now. A one-shot rather than
 * Xen's periodic timer because Xen stops the periodic timer while a vCPU
 * is blocked: a vCPU waiting in SCHEDOP_block for its next tick would
 * never get it.
 */
static void timer_arm(uint64_t delta_ns)
{
	struct vcpu_set_singleshot_timer single = {
		.timeout_abs_ns = xen_system_time_ns() + delta_ns,
	};
	unsigned int cpu = smp_processor_id();
	long rc = HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, cpu, &single);

	if (rc)
		report_hypercall_failure("vcpu_op", rc, "VCPUOP_set_singleshot_timer, vcpu=%u, timeout_abs_ns=%llu",
					 cpu, (unsigned long long)single.timeout_abs_ns);
}

/* The next tick, fast or slow; @slow is recorded for tick_keep_pace(). */
static void tick_arm(bool slow)
{
	this_cpu()->tick_slow = slow;
	timer_arm(slow ? IDLE_TICK_NS : TICK_NS);
}

static void timer_interrupt(unsigned int port, struct cpu_regs *regs)
{
	this_cpu()->timer_ticks++;
	tick_arm(!sched_tick());
}

/*
 * Left out of every meter: whether the tick was slowed depends on how long
 * the vCPU idled before, not on what the operation being measured asked.
 */
void tick_keep_pace(void)
{
	struct unmetered u;

	if (!this_cpu()->tick_slow)
		return;
	unmetered_begin(&u);
	tick_arm(false);
	unmetered_end(&u);
}

void timer_init(void)
{
	unsigned int cpu = smp_processor_id();
	long rc = HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, cpu, NULL);

	if (rc)
		report_hypercall_failure("vcpu_op", rc, "VCPUOP_stop_periodic_timer, vcpu=%u", cpu);
	this_cpu()->timer_port = bind_virq(VIRQ_TIMER, timer_interrupt);
	tick_arm(false);
}

void timer_restart(void)
{
	tick_arm(false);
}
