/* The guest's view of the Xen-provided pages: start_info and shared_info. */
#ifndef ASM_XEN_H
#define ASM_XEN_H

#include <xen/xen.h>
#include <asm/percpu.h>

extern start_info_t *start_info;
extern shared_info_t *shared_info;

static inline struct vcpu_info *this_vcpu_info(void)
{
	return &this_cpu()->vcpu_info;
}

static inline bool xen_initial_domain(void)
{
	return start_info->flags & SIF_INITDOMAIN;
}

/*
 * Map the shared_info page where start_info says it is (start_info holds
 * only its machine address): 0, or update_va_mapping's error.
 */
long shared_info_map(void);

#endif
