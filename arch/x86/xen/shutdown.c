/* How a run ends (see <asm/shutdown.h> and <pvmm/bug.h>). */
#include <hypercall/hypercall.h>
#include <asm/shutdown.h>
#include <asm/console.h>
#include <asm/events.h>
#include <asm/traps.h>
#include <pvmm/bug.h>
#include <pvmm/lib.h>

static const char *const result_names[] = {
	[RESULT_SUCCESS] = "SUCCESS",
	[RESULT_SKIP] = "SKIP",
	[RESULT_FAILURE] = "FAILURE",
	[RESULT_ERROR] = "ERROR",
};

static enum guest_result recorded = RESULT_SUCCESS;

void result_record(enum guest_result result)
{
	enum guest_result old = __atomic_load_n(&recorded, __ATOMIC_RELAXED);

	while (result > old &&
	       !__atomic_compare_exchange_n(&recorded, &old, result, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_RELAXED))
		;
}

/* What guest_exit() asks Xen for: poweroff, unless the toolstack asked for something else. */
static unsigned int exit_reason = SHUTDOWN_poweroff;

void guest_exit_set_reason(unsigned int reason)
{
	WRITE_ONCE(exit_reason, reason);
}

void guest_exit(enum guest_result result)
{
	guest_exit_reason(result, READ_ONCE(exit_reason));
}

void guest_exit_reason(enum guest_result result, unsigned int reason)
{
	static bool ending;

	local_irq_disable();
	if (ending)	/* a failure while ending: the first result line stands */
		xen_shutdown(SHUTDOWN_crash);
	ending = true;
	result_record(result);
	printk("Test result: %s\n", result_names[recorded]);
	xen_shutdown(reason);
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	local_irq_disable();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One printk: a line from another vCPU cannot land inside it. */
	printk("BUG: %s (%s:%d)\n", msg, file, line);
	print_call_stack((unsigned long)__builtin_frame_address(0));
	guest_exit(RESULT_FAILURE);
}

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
