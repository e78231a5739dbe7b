/*
 * vcpu-wait: the waits that sleep in Xen (<asm/vcpu_wait.h>) are woken.
 *
 * lock: the test holds a lock until a thread on every other vCPU has
 * queued for it and gone to sleep on it (counted by the lock, and blocked
 * in Xen by Xen's runstate), then unlocks: each must get the lock in turn,
 * every hand-off waking a vCPU asleep in Xen.
 * A lost kick leaves a vCPU asleep for ever: the test ends in ERROR after
 * 10 s rather than hang.
 *
 * call: the test calls another vCPU and waits; the call does not return
 * until the test's vCPU is asleep in Xen in that wait, and the caller must
 * get its answer. This part cannot show a lost kick: a
 * caller polls two ports, and Xen ends such a poll on any event of the
 * domain (a timer tick of another vCPU will do).
 */
#include <hypercall/hypercall.h>
#include <asm/percpu.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <pvmm/atomic.h>
#include <pvmm/sched.h>
#include <pvmm/smp_call.h>
#include <pvmm/spinlock.h>
#include <pvmm/test.h>

#define GUARD_NS 10000000000ULL		/* against a hang, not a timing margin */

static spinlock_t lock = SPINLOCK_INIT;
static unsigned int lock_holders;	/* waiters that got the lock */

static unsigned long polls_all(void)
{
	unsigned long polls = 0;

	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		polls += READ_ONCE(percpu_areas[cpu].sleeps);
	return polls;
}

static unsigned long timeouts_all(void)
{
	unsigned long timeouts = 0;

	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		timeouts += READ_ONCE(percpu_areas[cpu].sleep_timeouts);
	return timeouts;
}

/*
 * Events masked: then only its kick ends the sleep (Xen also ends a poll
 * for an event it could deliver), or the poll's 10 ms bound: a lost kick
 * would cost a timed-out poll each time round, counted in lock.timeouts.
 */
static void lock_waiter(void *unused)
{
	unsigned long flags = spin_lock_irqsave(&lock);

	atomic_fetch_add(&lock_holders, 1);
	spin_unlock_irqrestore(&lock, flags);
}

/*
 * Whether @cpu is blocked in Xen: in these waits, asleep in its poll. Its
 * announcement (sleep_nest) is not enough: a waiter that announced may
 * still find its condition true before it polls, and rightly not sleep.
 */
static bool asleep_in_xen(unsigned int cpu)
{
	struct vcpu_runstate_info info;
	long rc = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, cpu, &info);

	if (rc)
		test_error("vcpu_op(VCPUOP_get_runstate_info, %u) = %ld", cpu, rc);
	return READ_ONCE(percpu_areas[cpu].sleep_nest) && info.state == RUNSTATE_blocked;
}

/* Spin until every vCPU of @cpus is asleep in Xen: ERROR naming @what after GUARD_NS. */
static void spin_until_asleep(cpumask_t cpus, const char *what)
{
	uint64_t deadline = xen_system_time_ns() + GUARD_NS;
	unsigned int cpu;

	for_each_cpu(cpu, cpus)
		while (!asleep_in_xen(cpu)) {
			if (xen_system_time_ns() > deadline)
				test_error("%s: vCPU %u not asleep after 10 s", what, cpu);
			cpu_relax();
		}
}

/* Spin until *@word reaches @value: ERROR naming @what after GUARD_NS. */
static void spin_until_reaches(const unsigned int *word, unsigned int value, const char *what)
{
	uint64_t deadline = xen_system_time_ns() + GUARD_NS;

	while (atomic_load_acquire(word) < value) {
		if (xen_system_time_ns() > deadline)
			test_error("%s: %u of %u after 10 s", what, atomic_load_acquire(word), value);
		cpu_relax();
	}
}

static void lock_sleepers_are_woken(void)
{
	unsigned int self = smp_processor_id(), waiters = nr_cpus - 1, cpu;
	unsigned long polls = polls_all(), timeouts = timeouts_all();
	struct task *threads[MAX_VCPUS];

	spin_lock(&lock);
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (cpu == self)
			continue;
		threads[cpu] = kthread_create("lock-waiter", lock_waiter, NULL, cpu);
		if (!threads[cpu])
			test_error("no memory for a kernel thread");
	}
	spin_until_reaches(&lock.sleepers, waiters, "vCPUs queued to sleep on the held lock");
	spin_until_asleep(cpumask_andnot(cpumask_first_n(nr_cpus), cpumask_of(self)),
			  "a vCPU asleep on the held lock");
	spin_unlock(&lock);
	spin_until_reaches(&lock_holders, waiters, "sleepers that got the lock after its release");
	for (cpu = 0; cpu < nr_cpus; cpu++)
		if (cpu != self)
			kthread_join(threads[cpu]);
	polls = polls_all() - polls;
	printk("lock.sleepers=%u\nlock.polls=%lu\nlock.timeouts=%lu\n", waiters, polls,
	       timeouts_all() - timeouts);
	test_check(polls >= waiters, "%lu polls for %u vCPUs that slept on the lock", polls, waiters);
}

static void answer_once_caller_sleeps(void *caller)
{
	spin_until_asleep(cpumask_of((unsigned long)caller), "the caller asleep on its call");
}

static void call_waiter_is_woken(void)
{
	unsigned int self = smp_processor_id(), target = (self + 1) % nr_cpus;
	unsigned long polls = this_cpu()->sleeps;
	int rc;

	rc = smp_call_function_single(target, answer_once_caller_sleeps,
				      (void *)(unsigned long)self, true);
	polls = this_cpu()->sleeps - polls;
	printk("call.polls=%lu\n", polls);
	test_check(rc == 1, "smp_call_function_single to vCPU %u returned %d", target, rc);
	test_check(polls >= 1, "the caller, asleep in Xen on its call, made no poll");
}

static void vcpu_wait(void)
{
	if (nr_cpus < 2) {
		test_skip("needs at least 2 vCPUs, has %u", nr_cpus);
		return;
	}
	lock_sleepers_are_woken();
	call_waiter_is_woken();
	test_print_counters();
}

REGISTER_TEST(vcpu_wait, "vcpu-wait",
	.description = "a vCPU asleep on a lock or on a call is woken when it may go on",
	.run = vcpu_wait,
);
