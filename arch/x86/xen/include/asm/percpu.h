/*
 * Per-vCPU data, reached through the kernel GS base (set with
 * HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL)). Each vCPU's area starts
 * with a pointer to itself so that the area's address is one %gs load.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <stddef.h>

#define MAX_VCPUS 64

struct percpu {
	struct percpu *self;
	unsigned int cpu_id;
	unsigned long timer_ticks;	/* VIRQ_TIMER events handled */
	int timer_port;			/* VIRQ_TIMER event channel, or -1 */
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

/* Install the boot vCPU's area; nothing that uses per-CPU data may run before. */
void percpu_init_boot(void);

#endif
