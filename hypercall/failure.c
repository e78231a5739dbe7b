/* Checking and reporting hypercall results. */
#include <hypercall/hypercall.h>
#include <pvmm/lib.h>
#include <pvmm/test.h>
#include <asm/traps.h>

int multicall_first_failure(const multicall_entry_t *calls, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		if ((long)calls[i].result < 0)
			return i;
	return -1;
}

void report_hypercall_failure(const char *call, long rc, const char *args_fmt, ...)
{
	va_list ap;

	printk("hypercall failed: %s(", call);
	va_start(ap, args_fmt);
	vprintk(args_fmt, ap);
	va_end(ap);
	printk(") = %ld (%s)\n", rc, xen_errno_name(rc));
	print_call_stack((unsigned long)__builtin_frame_address(0));
	test_end(RESULT_FAILURE);
}
