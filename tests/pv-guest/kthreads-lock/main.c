/*
 * kthreads-lock: many kernel threads spread over the vCPUs, contending on
 * one spinlock while the timer preempts them, sleeping and yielding now and
 * then. Each thread counts its own increments; the shared counter, updated
 * under the lock with a deliberately slow read-modify-write, must equal
 * their sum: any update lost to a broken lock shows. Half the threads also
 * move themselves to another vCPU with sched_setaffinity halfway through.
 */
#include <asm/smp.h>
#include <asm/time.h>
#include <hypercall/hypercall.h>
#include <pvmm/atomic.h>
#include <pvmm/sched.h>
#include <pvmm/spinlock.h>
#include <pvmm/test.h>

#define MAX_THREADS 256

static spinlock_t lock = SPINLOCK_INIT;
static volatile unsigned long shared_count;
static unsigned long own_count[MAX_THREADS];
static uint64_t run_ns;

static void worker(void *arg)
{
	unsigned long id = (unsigned long)arg;
	uint64_t start = xen_system_time_ns(), half = start + run_ns / 2;
	bool moved = id % 2 == 0;

	for (unsigned long i = 0; xen_system_time_ns() - start < run_ns; i++) {
		unsigned long flags = spin_lock_irqsave(&lock);
		unsigned long v = shared_count;

		for (volatile int d = 0; d < 20; d++)
			;
		shared_count = v + 1;
		spin_unlock_irqrestore(&lock, flags);
		own_count[id]++;

		for (volatile int d = 0; d < 200; d++)
			;	/* outside the lock: where preemption lands */
		/* Rarely enough that most switches are the timer's. */
		if (i % 8192 == 8191)
			sleep_ns(1000000);
		else if (i % 2048 == 2047)
			yield();
		if (!moved && xen_system_time_ns() > half) {
			unsigned int to = (smp_processor_id() + 1) % nr_cpus;

			moved = true;
			if (sched_setaffinity(cpumask_of(to)))
				test_fail("thread %lu: sched_setaffinity to vCPU %u failed", id, to);
			else if (smp_processor_id() != to)
				test_fail("thread %lu: on vCPU %u after moving to %u", id,
					  smp_processor_id(), to);
		}
	}
}

static void kthreads_lock(void)
{
	unsigned long per_cpu = test_option_ulong("threads_per_cpu", 3);
	unsigned long n = per_cpu * nr_cpus, sum = 0;
	struct task *threads[MAX_THREADS];
	struct sched_stats stats;

	run_ns = test_option_ulong("ms", 300) * 1000000ULL;
	if (n > MAX_THREADS)
		test_error("%lu threads: at most %d", n, MAX_THREADS);
	for (unsigned long i = 0; i < n; i++) {
		threads[i] = kthread_create("worker", worker, (void *)i, i % nr_cpus);
		if (!threads[i])
			test_error("no memory for kernel thread %lu", i);
	}
	for (unsigned long i = 0; i < n; i++)
		kthread_join(threads[i]);

	for (unsigned long i = 0; i < n; i++)
		sum += own_count[i];
	sched_stats_all(&stats);
	printk("threads=%lu\nincrements=%lu\nshared_count=%lu\ncontext_switches=%lu\npreemptions=%lu\n",
	       n, sum, shared_count, stats.switches, stats.preemptions);
	test_check(shared_count == sum, "%lu increments made, the counter says %lu: updates lost",
		   sum, shared_count);
	test_check(stats.preemptions > 0, "no thread was ever preempted by the timer");
	test_print_counters();
}

static const char *const kthreads_lock_options[] = { "threads_per_cpu", "ms", NULL };

REGISTER_TEST(kthreads_lock, "kthreads-lock",
	.description = "kernel threads contending on a lock, preempted, migrating",
	.options = kthreads_lock_options,
	.run = kthreads_lock,
);
