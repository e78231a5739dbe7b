#include <hypercall/hypercall.h>
#include <asm/shutdown.h>
#include <asm/console.h>

void xen_shutdown(unsigned int reason)
{
	struct sched_shutdown shutdown = { .reason = reason };

	console_flush();
	for (;;) {
		/*
		 * A successful shutdown does not return. If it fails there is
		 * nothing better to try; the runner's timeout reports the hang.
		 */
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &shutdown);
		shutdown.reason = SHUTDOWN_crash;
	}
}
