#include <hypercall/hypercall.h>
#include <asm/shutdown.h>
#include <asm/console.h>
#include <pvmm/lib.h>

void xen_shutdown(unsigned int reason)
{
	struct sched_shutdown shutdown = { .reason = reason };
	static bool failed_once;
	long rc;

	console_flush();
	rc = HYPERVISOR_sched_op(SCHEDOP_shutdown, &shutdown);
	/* A successful shutdown does not return. */
	if (!failed_once) {
		failed_once = true;
		printk("hypercall failed: sched_op(SCHEDOP_shutdown, reason=%u) = %ld (%s)\n", reason, rc,
		       xen_errno_name(rc));
	}
	/*
	 * Nothing better is left than crashing the domain; if even that
	 * fails, the runner's timeout reports the guest that never ended.
	 */
	shutdown.reason = SHUTDOWN_crash;
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &shutdown);
}
