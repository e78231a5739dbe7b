/*
 * exec-missing: a process execs a program that does not exist (the caller
 * gets -ENOENT), or with malformed=1 one cut short inside its data segment
 * (-EINVAL, once exec has already built tables and data pages for its
 * text). Either way the new mm, never pinned, is torn down without an
 * unpin: over the whole run exactly the process's own two top-level
 * tables are pinned and unpinned; nothing leaks.
 */
#include <hypercall/hypercall.h>
#include "user_util.h"

static void exec_missing(void)
{
	unsigned long malformed = test_option_ulong("malformed", 0);
	unsigned long base = pages_in_use();
	struct hypercall_counts before, after, delta;
	int status;

	hypercall_counts_snapshot_all(&before);
	if (malformed > 1)
		test_error("malformed=%lu: expected 0 or 1", malformed);
	status = run_program("exec-missing", malformed, 0);
	check_pages_back(base, "exec-missing");
	hypercall_counts_snapshot_all(&after);
	hypercall_counts_delta(&before, &after, &delta);

	printk("exit_status=%d\npins=%lu\nunpins=%lu\n", status, delta.mmuext[MMUEXT_PIN_L4_TABLE],
	       delta.mmuext[MMUEXT_UNPIN_TABLE]);
	test_check(status == 0, "the program exited with %d", status);
	test_check(delta.mmuext[MMUEXT_PIN_L4_TABLE] == 2 && delta.mmuext[MMUEXT_UNPIN_TABLE] == 2,
		   "%lu pins and %lu unpins: only the process's own mm (2 tables) may be pinned",
		   delta.mmuext[MMUEXT_PIN_L4_TABLE], delta.mmuext[MMUEXT_UNPIN_TABLE]);
}

static const char *const exec_missing_options[] = { "malformed", NULL };

REGISTER_TEST(exec_missing, "exec-missing",
	.description = "exec of a missing program: an error, an mm never pinned, nothing leaked",
	.options = exec_missing_options,
	.run = exec_missing,
);
