/*
 * Typed hypercall wrappers. Each one counts the call (see counters.h) and
 * then issues it through the hypercall page. Callers check every return
 * value; report_hypercall_failure() is the common way to end the guest
 * when one fails.
 */
#ifndef HYPERCALL_HYPERCALL_H
#define HYPERCALL_HYPERCALL_H

#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/vcpu.h>
#include <xen/callback.h>
#include <xen/version.h>
#include <hypercall/raw.h>
#include <hypercall/counters.h>

static inline long HYPERVISOR_set_trap_table(const struct trap_info *table)
{
	count_hypercall(__HYPERVISOR_set_trap_table);
	return _hypercall1(__HYPERVISOR_set_trap_table, table);
}

static inline long HYPERVISOR_mmu_update(mmu_update_t *req, unsigned int count,
					 unsigned int *done, domid_t dom)
{
	count_hypercall(__HYPERVISOR_mmu_update);
	return _hypercall4(__HYPERVISOR_mmu_update, req, count, done, dom);
}

static inline long HYPERVISOR_mmuext_op(struct mmuext_op *ops, unsigned int count,
					unsigned int *done, domid_t dom)
{
	count_hypercall(__HYPERVISOR_mmuext_op);
	count_mmuext_ops(ops, count);
	return _hypercall4(__HYPERVISOR_mmuext_op, ops, count, done, dom);
}

static inline long HYPERVISOR_update_va_mapping(unsigned long va, uint64_t pte,
						unsigned long flags)
{
	count_hypercall(__HYPERVISOR_update_va_mapping);
	return _hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

/*
 * A zero return only means the batch was processed: each entry's own
 * result must be checked (multicall_first_failure()).
 */
static inline long HYPERVISOR_multicall(multicall_entry_t *calls, unsigned int count)
{
	count_hypercall(__HYPERVISOR_multicall);
	count_multicall_entries(calls, count);
	return _hypercall2(__HYPERVISOR_multicall, calls, count);
}

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
	count_hypercall(__HYPERVISOR_xen_version);
	return _hypercall2(__HYPERVISOR_xen_version, cmd, arg);
}

static inline long HYPERVISOR_console_io(int cmd, int count, const char *str)
{
	count_hypercall(__HYPERVISOR_console_io);
	return _hypercall3(__HYPERVISOR_console_io, cmd, count, str);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
	count_hypercall(__HYPERVISOR_sched_op);
	return _hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}

/*
 * SCHEDOP_shutdown(SHUTDOWN_suspend). The toolstack takes start_info's
 * frame from the third argument's register. 0: resumed in a new domain;
 * 1: the suspend was cancelled and this is still the same domain.
 */
static inline long HYPERVISOR_suspend(unsigned long start_info_mfn)
{
	struct sched_shutdown shutdown = { .reason = SHUTDOWN_suspend };

	count_hypercall(__HYPERVISOR_sched_op);
	return _hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &shutdown, start_info_mfn);
}

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	count_hypercall(__HYPERVISOR_event_channel_op);
	return _hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	count_hypercall(__HYPERVISOR_vcpu_op);
	return _hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{
	count_hypercall(__HYPERVISOR_callback_op);
	return _hypercall2(__HYPERVISOR_callback_op, cmd, arg);
}

static inline long HYPERVISOR_set_segment_base(unsigned int reg, unsigned long value)
{
	count_hypercall(__HYPERVISOR_set_segment_base);
	return _hypercall2(__HYPERVISOR_set_segment_base, reg, value);
}

/* Index of the first multicall entry whose result is an error, or -1. */
int multicall_first_failure(const multicall_entry_t *calls, unsigned int count);

/* "EINVAL" for -XEN_EINVAL; "E?" for anything unknown. */
const char *xen_errno_name(long rc);
/* -XEN_EINVAL for "EINVAL"; -XEN_EIO for a name <xen/errno.h> does not define. */
long xen_errno_from_name(const char *name);

/*
 * Report a failed hypercall: its name, its arguments (printf-style) and
 * the error, then end the guest with a FAILURE result. Does not return.
 */
void report_hypercall_failure(const char *call, long rc, const char *args_fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

#endif
