/*
 * restore-stack: the process a vCPU ran last before a save is the first
 * it runs after the restore, and enters the kernel on its own stack.
 *
 * Every vCPU but 0 goes offline for a save, and a restored domain starts
 * each afresh, with the kernel stack pointer of its idle task: Xen has
 * forgotten the stack_switch of the process that vCPU ran last. A switch
 * hook that still believed Xen held that process's stack would skip
 * stack_switch when the process comes back, and its next entry from user
 * mode would land on the idle task's stack (do_trap() stops the guest
 * there, naming both stacks). Here one process is the only one vCPU 1
 * ever runs, so it is both the last before the save and the first after.
 */
#include <xen/errno.h>
#include <hypercall/hypercall.h>
#include <pvmm/process.h>
#include <pvmm/suspend.h>
#include <pvmm/xenstore.h>
#include <asm/smp.h>
#include <uapi/pvmm_syscall.h>
#include "calls.h"
#include "handoff.h"
#include "user_util.h"

/* Entries from user mode on vCPU 1 before the save, and after the restore, before saying so. */
#define ENTRIES		100

static unsigned long before, after;
static struct handoff ready, restored;

static long restore_stack_call(unsigned long op, unsigned long arg)
{
	unsigned long resumed, cancelled;

	if (op != RESTORE_STACK_ENTERED)
		return -XEN_EINVAL;
	if (smp_processor_id() != 1)
		return 0;
	suspend_counts(&resumed, &cancelled);
	/* Only this process's calls change the counts: no lock needed. */
	if (!resumed && ++before == ENTRIES)
		handoff_signal(&ready);
	else if (resumed && ++after == ENTRIES)
		handoff_signal(&restored);
	return 0;
}

static void restore_stack(void)
{
	unsigned long base = pages_in_use(), resumed, cancelled;
	int pid, status;

	if (!xenstore_available() || nr_cpus < 2) {
		test_skip("needs a toolstack that can save the guest (xl mode) and 2 vCPUs, has %u",
			  nr_cpus);
		return;
	}
	pid = process_spawn("restore-stack", 0, 1);
	if (pid < 0)
		test_error("cannot start the process on vCPU 1: %s", xen_errno_name(pid));
	handoff_wait(&ready);
	printk("restore-stack: %u entries on vCPU 1; save me\n", ENTRIES);
	handoff_wait(&restored);
	suspend_counts(&resumed, &cancelled);
	printk("restore-stack: %u entries on vCPU 1 after the restore, each on the process's own"
	       " stack\nsuspends_resumed=%lu\n", ENTRIES, resumed);
	processes_stop_all();
	status = process_wait_spawned(pid);
	test_check(status == EXIT_KILLED, "the process ended with %d, not killed (%d)", status,
		   EXIT_KILLED);
	check_pages_back(base, "stopping the process");
	test_end(RESULT_SUCCESS);
}

REGISTER_TEST(restore_stack, "restore-stack",
	.description = "the last process on vCPU 1 before a save enters the kernel on its own stack after the restore",
	.run = restore_stack,
	.user_call = restore_stack_call,
);
