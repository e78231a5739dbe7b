/*
 * Save, restore and migration: `xl save`, `xl restore`, `xl migrate` ask
 * through control/shutdown = "suspend" (docs/lifecycle.md).
 *
 * The kernel's part: every vCPU but 0 goes offline the hotplug way (so it
 * holds no mm and is in no flush mask), no store request is left in
 * flight, every mm is pinned (the toolstack rewrites only typed page
 * tables to a restore's new frames), and vCPU 0 leaves its mm. The arch
 * part suspends and rebuilds what derives from frame numbers. Then the
 * store is reconnected and its watches made again, and the vCPUs that
 * were online come back; the rest stay offline.
 */
#ifndef PVMM_SUSPEND_H
#define PVMM_SUSPEND_H

/*
 * From the xenwatch thread: 0 once resumed in a new domain, 1 if the
 * suspend was cancelled (the same domain goes on), or a negative error
 * (a vCPU would not go offline: nothing was suspended).
 */
int suspend_domain(void);
/* How many suspends came back in a new domain, and how many were cancelled. */
void suspend_counts(unsigned long *resumed, unsigned long *cancelled);

#endif
