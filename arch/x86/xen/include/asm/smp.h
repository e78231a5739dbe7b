/* vCPUs: which exist, which are online, and bringing them up. */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <stdint.h>
#include <asm/percpu.h>

/* One bit per vCPU; MAX_VCPUS is 64. */
typedef uint64_t cpumask_t;

#define cpumask_of(cpu)		((cpumask_t)1 << (cpu))
#define for_each_cpu(cpu, mask)						\
	for (cpumask_t __m = (mask); __m && ((cpu) = __builtin_ctzll(__m), 1);	\
	     __m &= __m - 1)

extern unsigned int nr_cpus;		/* vCPUs the domain has */
extern cpumask_t cpu_online_mask;	/* vCPUs running pvmm */

static inline bool cpu_online(unsigned int cpu)
{
	return cpu < MAX_VCPUS && (__atomic_load_n(&cpu_online_mask, __ATOMIC_ACQUIRE) & cpumask_of(cpu));
}

/* (Not __builtin_popcountll: without -mpopcnt that is a libgcc call.) */
static inline unsigned int cpumask_weight(cpumask_t m)
{
	unsigned int n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

/* Bring every other vCPU of the domain up; each ends in its idle loop. */
void smp_init(void);

#endif
