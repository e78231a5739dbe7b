/*
 * vCPU hotplug: `xl vcpu-set` writes cpu/N/availability ("online" or
 * "offline") in the domain's xenstore directory; pvmm watches cpu/ and
 * takes each vCPU to the state asked for, one at a time, from the
 * xenwatch thread. vCPU 0 never goes offline: it runs that thread.
 *
 * Going offline, in this order (docs/lifecycle.md, "vCPU hotplug"): the
 * vCPU stops being active, so no task is placed on it; it sends its tasks
 * away; it leaves its loaded_mm (both base pointers back to init_mm's), so
 * no teardown waits on it and no flush is aimed at it; it stops being
 * online and runs the calls already aimed at it; then VCPUOP_down. Coming
 * back (VCPUOP_up from the controller), it finds itself on init_mm and is
 * online, then active.
 */
#ifndef PVMM_HOTPLUG_H
#define PVMM_HOTPLUG_H

#include <stdbool.h>

/* Watch cpu/ (a domU with a store; after control_init()). */
void hotplug_init(void);
/* On a vCPU no longer active, from its idle loop: go offline; returns once it is back. */
void cpu_go_offline(void);
/*
 * From the xenwatch thread on vCPU 0: take @cpu (1 or above) offline, or
 * bring it back online, and wait until it has. False, with a line and
 * FAILURE, if it never answers.
 */
bool hotplug_cpu_down(unsigned int cpu);
bool hotplug_cpu_up(unsigned int cpu);
/* How many times vCPUs went offline and came back online. */
void hotplug_counts(unsigned long *downs, unsigned long *ups);

#endif
