/*
 * Suspend for save, restore and migration: the arch part (suspend.c).
 * The kernel part (kernel/suspend.c) gets the domain ready first: every
 * vCPU but 0 down, every mm pinned, vCPU 0 on init_mm, no store request
 * in flight.
 */
#ifndef ASM_SUSPEND_H
#define ASM_SUSPEND_H

/*
 * Name the p2m's frames in shared_info (max_pfn and the list of lists), as
 * the toolstack needs them to save the domain: at boot; the suspend
 * publishes them again in each new domain.
 */
void p2m_publish(void);

/*
 * On vCPU 0 alone, events masked: publish the p2m, suspend the domain with
 * SCHEDOP_shutdown(SHUTDOWN_suspend), and on the way back rebuild what
 * derives from frame numbers. 0: resumed in a new domain (vCPU 0's
 * vcpu_info, channels and tick made again; the console on its new
 * channel); 1: the suspend was cancelled (xl save -c, a failed
 * migration) and this is the same domain, as it was.
 */
int xen_suspend_domain(void);

#endif
