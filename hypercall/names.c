/* Names for hypercall numbers, MMUEXT commands and Xen error codes. */
#include <xen/errno.h>
#include <hypercall/hypercall.h>
#include <pvmm/lib.h>

#define NAME(prefix, x) [prefix##x] = #x

static const char *const hypercall_names[NR_HYPERCALLS] = {
	NAME(__HYPERVISOR_, set_trap_table),
	NAME(__HYPERVISOR_, mmu_update),
	NAME(__HYPERVISOR_, set_gdt),
	NAME(__HYPERVISOR_, stack_switch),
	NAME(__HYPERVISOR_, set_callbacks),
	NAME(__HYPERVISOR_, fpu_taskswitch),
	NAME(__HYPERVISOR_, sched_op_compat),
	NAME(__HYPERVISOR_, platform_op),
	NAME(__HYPERVISOR_, set_debugreg),
	NAME(__HYPERVISOR_, get_debugreg),
	NAME(__HYPERVISOR_, update_descriptor),
	NAME(__HYPERVISOR_, memory_op),
	NAME(__HYPERVISOR_, multicall),
	NAME(__HYPERVISOR_, update_va_mapping),
	NAME(__HYPERVISOR_, set_timer_op),
	NAME(__HYPERVISOR_, xen_version),
	NAME(__HYPERVISOR_, console_io),
	NAME(__HYPERVISOR_, grant_table_op),
	NAME(__HYPERVISOR_, vm_assist),
	NAME(__HYPERVISOR_, iret),
	NAME(__HYPERVISOR_, vcpu_op),
	NAME(__HYPERVISOR_, set_segment_base),
	NAME(__HYPERVISOR_, mmuext_op),
	NAME(__HYPERVISOR_, sched_op),
	NAME(__HYPERVISOR_, callback_op),
	NAME(__HYPERVISOR_, event_channel_op),
	NAME(__HYPERVISOR_, physdev_op),
};

static const char *const mmuext_names[NR_MMUEXT_OPS] = {
	NAME(MMUEXT_, PIN_L1_TABLE),
	NAME(MMUEXT_, PIN_L2_TABLE),
	NAME(MMUEXT_, PIN_L3_TABLE),
	NAME(MMUEXT_, PIN_L4_TABLE),
	NAME(MMUEXT_, UNPIN_TABLE),
	NAME(MMUEXT_, NEW_BASEPTR),
	NAME(MMUEXT_, TLB_FLUSH_LOCAL),
	NAME(MMUEXT_, INVLPG_LOCAL),
	NAME(MMUEXT_, TLB_FLUSH_MULTI),
	NAME(MMUEXT_, INVLPG_MULTI),
	NAME(MMUEXT_, TLB_FLUSH_ALL),
	NAME(MMUEXT_, INVLPG_ALL),
	NAME(MMUEXT_, FLUSH_CACHE),
	NAME(MMUEXT_, SET_LDT),
	NAME(MMUEXT_, NEW_USER_BASEPTR),
	NAME(MMUEXT_, CLEAR_PAGE),
	NAME(MMUEXT_, COPY_PAGE),
	NAME(MMUEXT_, FLUSH_CACHE_GLOBAL),
	NAME(MMUEXT_, MARK_SUPER),
	NAME(MMUEXT_, UNMARK_SUPER),
};

/*
 * <xen/errno.h> expands XEN_ERRNO() once per error it defines. Two names
 * alias earlier ones (EWOULDBLOCK, EDEADLOCK); the later one wins.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static const char *const errno_names[] = {
#define XEN_ERRNO(name, value) [value] = #name,
#include <xen/errno.h>
};
#pragma GCC diagnostic pop

/* The same list by name: xenstore reports its errors as these names. */
static const struct {
	const char *name;
	int value;
} errno_by_name[] = {
#define XEN_ERRNO(name, value) { #name, value },
#include <xen/errno.h>
};

const char *hypercall_name(unsigned int nr)
{
	if (nr < NR_HYPERCALLS && hypercall_names[nr])
		return hypercall_names[nr];
	return "unknown";
}

const char *mmuext_name(unsigned int cmd)
{
	if (cmd < NR_MMUEXT_OPS && mmuext_names[cmd])
		return mmuext_names[cmd];
	return "unknown";
}

const char *xen_errno_name(long rc)
{
	unsigned long e = -rc;

	if (rc < 0 && e < sizeof(errno_names) / sizeof(errno_names[0]) && errno_names[e])
		return errno_names[e];
	return "E?";
}

long xen_errno_from_name(const char *name)
{
	for (unsigned int i = 0; i < sizeof(errno_by_name) / sizeof(errno_by_name[0]); i++)
		if (!strcmp(errno_by_name[i].name, name))
			return -errno_by_name[i].value;
	return -XEN_EIO;
}
