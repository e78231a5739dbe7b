/*
 * Per-vCPU data, reached through the kernel GS base (set with
 * HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL) on the boot vCPU and
 * through VCPUOP_initialise on the others). Each vCPU's area starts with a
 * pointer to itself so that the area's address is one %gs load.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <stddef.h>
#include <xen/xen.h>

/* A build constant: per-vCPU arrays and masks are sized by it. */
#define MAX_VCPUS 128

struct task;

struct percpu {
	struct percpu *self;
	unsigned int cpu_id;
	unsigned int irq_depth;		/* event upcalls being handled */
	struct task *current;
	unsigned long timer_ticks;	/* VIRQ_TIMER events handled */
	bool tick_slow;			/* the next tick is the idle one (time.c) */
	int timer_port, ipi_port;	/* event channels bound to this vCPU */
	int kick_port;			/* polled only: wakes a sleeping waiter (vcpu_wait.h) */
	unsigned int sleep_nest;	/* waits that may sleep, nested (vcpu_wait.h) */
	unsigned long sleeps, kicks_sent;	/* polls made by waits; kicks sent to waiters */
	unsigned long sleep_timeouts;	/* polls ended with neither port pending: timeouts, mostly (vcpu_wait.c) */
	unsigned long ipi_reasons;	/* IPI_* bits not yet handled */
	unsigned long ipis_sent, ipis_received;
	unsigned long spurious_faults;	/* stale read-only TLB entries dropped (traps.c) */
	unsigned long uaccess_fixups;	/* user copies ended by a fault (traps.c) */
	void *stack;			/* the vCPU's boot stack (idle task) */
	unsigned long kernel_sp;	/* the last stack_switch given to Xen */
	unsigned long fs_base;		/* the last user FS base given to Xen (SEGBASE_FS) */
	/*
	 * Xen's per-vCPU record (event mask and pending flags, time), placed
	 * here with VCPUOP_register_vcpu_info: shared_info only has room for
	 * 32 vCPUs. 64-byte aligned, so it never crosses a page.
	 */
	struct vcpu_info vcpu_info __attribute__((aligned(64)));
} __attribute__((aligned(64)));

extern struct percpu percpu_areas[MAX_VCPUS];

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	asm volatile("movq %%gs:%c1, %0" : "=r"(p) : "i"(offsetof(struct percpu, self)));
	return p;
}

static inline unsigned int smp_processor_id(void)
{
	unsigned int id;

	asm volatile("movl %%gs:%c1, %0" : "=r"(id) : "i"(offsetof(struct percpu, cpu_id)));
	return id;
}

static inline bool in_interrupt(void)
{
	return this_cpu()->irq_depth != 0;
}

/* Prepare @cpu's area; nothing that uses per-CPU data may run on it before. */
void percpu_init(unsigned int cpu);
/* Install the boot vCPU's area (GS base) and register its vcpu_info. */
void percpu_init_boot(void);
/* Tell Xen to keep @cpu's vcpu_info in its per-CPU area. */
long vcpu_info_register(unsigned int cpu);

#endif
