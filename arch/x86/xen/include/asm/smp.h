/*
 * vCPUs: which exist, which are online, which are active, and bringing
 * them up.
 *
 * Online: the vCPU runs pvmm and takes cross-vCPU calls. Active: the
 * scheduler may place tasks on it. Every active vCPU is online. A vCPU
 * going offline (kernel/hotplug.c) stops being active first, sends its
 * tasks away and leaves its mm, and only then stops being online; one
 * coming back is online first, active last.
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <asm/cpumask.h>

extern unsigned int nr_cpus;		/* vCPUs the domain has (at most MAX_VCPUS used) */
extern cpumask_t cpu_online_mask;	/* vCPUs running pvmm; read it with cpus_online() */
extern cpumask_t cpu_active_mask;	/* vCPUs taking tasks; read it with cpus_active() */

static inline cpumask_t cpus_online(void)
{
	return cpumask_load(&cpu_online_mask);
}

static inline bool cpu_online(unsigned int cpu)
{
	return cpumask_test_atomic(&cpu_online_mask, cpu);
}

static inline cpumask_t cpus_active(void)
{
	return cpumask_load(&cpu_active_mask);
}

static inline bool cpu_active(unsigned int cpu)
{
	return cpumask_test_atomic(&cpu_active_mask, cpu);
}

/* Bring every other vCPU of the domain up; each ends in its idle loop. */
void smp_init(void);
/*
 * Bring @cpu, down in Xen, up again: it returns from its VCPUOP_down, or,
 * if its context went with an old domain, starts afresh in its idle loop.
 */
void smp_vcpu_up(unsigned int cpu);
/* After a restore: every vCPU but 0 is down with no context in the new domain. */
void smp_forget_contexts(void);

#endif
