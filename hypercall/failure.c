/* Checking and reporting hypercall results. */
#include <hypercall/hypercall.h>
#include <pvmm/lib.h>
#include <asm/shutdown.h>
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
	char args[192];
	va_list ap;

	va_start(ap, args_fmt);
	vsnprintf(args, sizeof(args), args_fmt, ap);
	va_end(ap);
	printk("hypercall failed: %s(%s) = %ld (%s)\n", call, args, rc, xen_errno_name(rc));
	print_call_stack((unsigned long)__builtin_frame_address(0));
	guest_exit(RESULT_FAILURE);
}
