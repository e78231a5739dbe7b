/*
 * huge-range: munmap and mprotect over a huge range hold mm->lock with
 * events masked, so their work must be bounded by what is mapped, not by
 * the range (issue 10): a walk of every page of 16 TiB would keep the vCPU
 * masked for hours. The program asks for each change through PVMM_SYS_test_call
 * (calls.h); the test makes it, metered, and returns its hypercalls.
 */
#include <xen/errno.h>
#include <hypercall/meter.h>
#include <asm/events.h>
#include <pvmm/sched.h>
#include <pvmm/vma.h>
#include "calls.h"
#include "user_util.h"

static long metered_change(unsigned long op, unsigned long start)
{
	struct mm *mm = current_task()->mm;
	struct hypercall_meter m;
	unsigned long flags = local_irq_save();	/* no event handler's calls in the figure */
	long rc;

	meter_begin(&m);
	if (op == METERED_MPROTECT)
		rc = do_mprotect(mm, start, HUGE_LEN, PROT_READ);
	else
		rc = do_munmap(mm, start, HUGE_LEN);
	meter_end(&m);
	local_irq_restore(flags);
	return rc ? rc : (long)m.calls;
}

static long answer(unsigned long op, unsigned long arg)
{
	if (op != METERED_MPROTECT && op != METERED_MUNMAP)
		return -XEN_EINVAL;
	return metered_change(op, arg);
}

static void huge_range(void)
{
	unsigned long base = pages_in_use();
	int status = run_program("huge-range", 0, 0);

	printk("exit_status=%d\n", status);
	test_check(status == 0, "the program exited with %d", status);
	check_pages_back(base, "the program");
}

REGISTER_TEST(huge_range, "huge-range",
	.description = "munmap and mprotect of 16 TiB with 3 pages present: one multicall each",
	.run = huge_range,
	.user_call = answer,
);
