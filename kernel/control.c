/*
 * The toolstack's shutdown requests (see <pvmm/control.h>), the way
 * Linux's drivers/xen/manage.c takes them: read and clear control/shutdown
 * in one transaction, so that a request is acted on once however many
 * times the watch fires, then act. A suspend (xl save, xl migrate) is
 * carried out here and the run goes on (kernel/suspend.c); poweroff,
 * halt and reboot end it.
 */
#include <xen/errno.h>
#include <xen/sched.h>
#include <hypercall/hypercall.h>
#include <pvmm/control.h>
#include <pvmm/lib.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <pvmm/suspend.h>
#include <pvmm/test.h>
#include <pvmm/xenstore.h>

#define SHUTDOWN_NODE	"control/shutdown"

static const struct {
	const char *value;
	unsigned int reason;
} honoured[] = {
	{ "poweroff", SHUTDOWN_poweroff },
	{ "halt", SHUTDOWN_poweroff },
	{ "reboot", SHUTDOWN_reboot },
};

static bool available, claimed, failed, requested;
static unsigned int request_reason;
static struct wait_queue request_queue;

const char *shutdown_reason_name(unsigned int reason)
{
	static const char *const names[] = {
		[SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
		[SHUTDOWN_suspend] = "suspend", [SHUTDOWN_crash] = "crash",
		[SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft-reset",
	};

	return reason < ARRAY_SIZE(names) && names[reason] ? names[reason] : "unknown";
}

/* A store call that failed: the line says which and why; the run's result is FAILURE. */
static void control_failed(const char *call, const char *path, long rc)
{
	xenstore_failed(call, path, rc);
	WRITE_ONCE(failed, true);
	wake_up_all(&request_queue);
}

/* The run ends before its test did: stop everything the normal way, then shut down. */
static void __noreturn end_early(unsigned int reason)
{
	int n;

	printk("pvmm: the toolstack asked for %s before the test ended: stopping every process\n",
	       shutdown_reason_name(reason));
	/* The test may still end first, its processes gone: with this result and reason too. */
	result_record(RESULT_ERROR);
	guest_exit_set_reason(reason);
	n = processes_stop_all();
	printk("pvmm: %d processes stopped, their address spaces torn down\n", n);
	test_end(RESULT_ERROR);
}

/* What the toolstack may ask for: false if the store refused (a line, and FAILURE). */
static bool write_features(void)
{
	static const char *const features[] = {
		"control/feature-poweroff", "control/feature-reboot", "control/feature-suspend",
	};
	long rc;

	for (unsigned int i = 0; i < ARRAY_SIZE(features); i++) {
		rc = xenstore_write(XS_NO_TRANSACTION, features[i], "1");
		if (rc) {
			control_failed("write", features[i], rc);
			return false;
		}
	}
	return true;
}

static void suspend_now(void)
{
	printk("pvmm: control/shutdown request 'suspend'\n");
	if (READ_ONCE(requested)) {
		printk("pvmm: %s is under way: 'suspend' ignored\n", shutdown_reason_name(request_reason));
		return;
	}
	/* A new domain's store has none of the nodes this domain wrote. */
	if (suspend_domain() == 0)
		write_features();
}

static void act(const char *value)
{
	if (!strcmp(value, "suspend")) {
		suspend_now();
		return;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(honoured); i++) {
		if (strcmp(value, honoured[i].value))
			continue;
		printk("pvmm: control/shutdown request '%s'\n", value);
		if (!READ_ONCE(claimed))
			end_early(honoured[i].reason);
		if (READ_ONCE(requested)) {
			printk("pvmm: %s is under way: '%s' ignored\n",
			       shutdown_reason_name(request_reason), value);
			return;
		}
		request_reason = honoured[i].reason;
		__atomic_store_n(&requested, true, __ATOMIC_RELEASE);
		wake_up_all(&request_queue);
		return;
	}
	printk("pvmm: control/shutdown request '%s' ignored: pvmm honours poweroff, halt, reboot and suspend\n",
	       value);
}

/* Read and clear the request: its length (0: none), or an error. */
static long take_request(char *value, size_t size)
{
	xs_transaction_t t;
	long rc, len;

	do {
		rc = xenstore_transaction_start(&t);
		if (rc) {
			control_failed("transaction_start", "", rc);
			return rc;
		}
		len = xenstore_read(t, SHUTDOWN_NODE, value, size);
		if (len <= 0) {
			/* Absent or empty: nothing asked (the watch fires once when set up). */
			xenstore_transaction_end(t, false);
			if (len < 0 && len != -XEN_ENOENT)
				control_failed("read", SHUTDOWN_NODE, len);
			return len == -XEN_ENOENT ? 0 : len;
		}
		/* Clearing the node is the acknowledgement xl waits for. */
		rc = xenstore_write(t, SHUTDOWN_NODE, "");
		if (rc) {
			xenstore_transaction_end(t, false);
			control_failed("write", SHUTDOWN_NODE, rc);
			return rc;
		}
		rc = xenstore_transaction_end(t, true);
	} while (rc == -XEN_EAGAIN);	/* the store changed meanwhile: read again */
	if (rc) {
		control_failed("transaction_end", SHUTDOWN_NODE, rc);
		return rc;
	}
	return len;
}

static void shutdown_node_changed(const char *changed)
{
	char value[64];

	if (take_request(value, sizeof(value)) > 0)
		act(value);
}

void control_init(void)
{
	long rc;

	if (!xenstore_available())
		return;
	xenstore_init();
	if (!write_features())
		return;
	rc = xenstore_watch(SHUTDOWN_NODE, shutdown_node_changed);
	if (rc) {
		control_failed("watch", SHUTDOWN_NODE, rc);
		return;
	}
	WRITE_ONCE(available, true);
}

void control_claim(void)
{
	WRITE_ONCE(claimed, true);
}

static bool request_or_failure(void *unused)
{
	return __atomic_load_n(&requested, __ATOMIC_ACQUIRE) || READ_ONCE(failed);
}

int control_wait(void)
{
	if (!READ_ONCE(available))
		return -XEN_ENODEV;
	wait_queue_wait(&request_queue, request_or_failure, NULL);
	return READ_ONCE(requested) ? (int)request_reason : -XEN_ENODEV;
}
