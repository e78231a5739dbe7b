#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <stdint.h>

/* Xen system time of this vCPU, in ns since the host booted. */
uint64_t xen_system_time_ns(void);
/*
 * Start this vCPU's tick: VIRQ_TIMER every 10 ms, even while it blocks;
 * every 250 ms once the scheduler says the vCPU needs no more (sched_tick()).
 */
void timer_init(void);
/*
 * Arm the tick again on a vCPU back from VCPUOP_down: a tick that fell due
 * while it was down may have been its last (each tick arms the next).
 */
void timer_restart(void);
/* With events masked: the tick at 10 ms again, if it was slowed. */
void tick_keep_pace(void);

#endif
