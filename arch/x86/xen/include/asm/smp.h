/* vCPUs: which exist, which are online, and bringing them up. */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <asm/cpumask.h>

extern unsigned int nr_cpus;		/* vCPUs the domain has (at most MAX_VCPUS used) */
extern cpumask_t cpu_online_mask;	/* vCPUs running pvmm; read it with cpus_online() */

static inline cpumask_t cpus_online(void)
{
	return cpumask_load(&cpu_online_mask);
}

static inline bool cpu_online(unsigned int cpu)
{
	return cpu < MAX_VCPUS &&
	       (__atomic_load_n(&cpu_online_mask.bits[cpu / 64], __ATOMIC_ACQUIRE) >> (cpu % 64)) & 1;
}

/* Bring every other vCPU of the domain up; each ends in its idle loop. */
void smp_init(void);

#endif
