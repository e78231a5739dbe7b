/*
 * The trap table, fault reporting and the dispatch of everything the entry
 * code delivers. Every exception is fatal for now: the guest prints the
 * trap, the error code, the faulting address, the registers and the call
 * stack, and ends with FAILURE. It never hangs in a fault.
 */
#include <hypercall/hypercall.h>
#include <asm/traps.h>
#include <asm/switch.h>
#include <asm/events.h>
#include <asm/page.h>
#include <asm/page_alloc.h>
#include <asm/direct_map.h>
#include <asm/shutdown.h>
#include <pvmm/lib.h>
#include <asm/console.h>
#include <pvmm/sched.h>
#include <pvmm/process.h>
#include <pvmm/vma.h>
#include <pv-mmu/check.h>
#include <pv-mmu/tlb.h>

#define DECLARE_ENTRY(name) extern char name[]
DECLARE_ENTRY(entry_divide_error);
DECLARE_ENTRY(entry_debug);
DECLARE_ENTRY(entry_int3);
DECLARE_ENTRY(entry_overflow);
DECLARE_ENTRY(entry_bounds);
DECLARE_ENTRY(entry_invalid_op);
DECLARE_ENTRY(entry_device_not_available);
DECLARE_ENTRY(entry_coprocessor_segment);
DECLARE_ENTRY(entry_invalid_tss);
DECLARE_ENTRY(entry_segment_not_present);
DECLARE_ENTRY(entry_stack_segment);
DECLARE_ENTRY(entry_general_protection);
DECLARE_ENTRY(entry_page_fault);
DECLARE_ENTRY(entry_coprocessor_error);
DECLARE_ENTRY(entry_alignment_check);
DECLARE_ENTRY(entry_machine_check);
DECLARE_ENTRY(entry_simd_error);
DECLARE_ENTRY(entry_event_upcall);
DECLARE_ENTRY(entry_failsafe);
DECLARE_ENTRY(entry_syscall);
extern char __image_start[], __image_end[], __text_end[], __rodata_end[];

/*
 * Flags 4 ("clear event enable") masks events on entry, as an interrupt
 * gate would; the DPL lets int3 and into be raised from any ring.
 */
#define TRAP(vec, dpl, entry) { vec, 4 | (dpl), FLAT_KERNEL_CS, (unsigned long)(entry) }
static const struct trap_info trap_table[] = {
	TRAP(0, 0, entry_divide_error),
	TRAP(1, 0, entry_debug),
	TRAP(3, 3, entry_int3),
	TRAP(4, 3, entry_overflow),
	TRAP(5, 0, entry_bounds),
	TRAP(6, 0, entry_invalid_op),
	TRAP(7, 0, entry_device_not_available),
	TRAP(9, 0, entry_coprocessor_segment),
	TRAP(10, 0, entry_invalid_tss),
	TRAP(11, 0, entry_segment_not_present),
	TRAP(12, 0, entry_stack_segment),
	TRAP(13, 0, entry_general_protection),
	TRAP(14, 0, entry_page_fault),
	TRAP(16, 0, entry_coprocessor_error),
	TRAP(17, 0, entry_alignment_check),
	TRAP(18, 0, entry_machine_check),
	TRAP(19, 0, entry_simd_error),
	{ 0, 0, 0, 0 },
};

static const char *const trap_names[] = {
	[0] = "divide error (#DE)", [1] = "debug (#DB)", [3] = "breakpoint (#BP)",
	[4] = "overflow (#OF)", [5] = "bound range (#BR)", [6] = "invalid opcode (#UD)",
	[7] = "device not available (#NM)", [9] = "coprocessor segment overrun",
	[10] = "invalid TSS (#TS)", [11] = "segment not present (#NP)",
	[12] = "stack segment (#SS)", [13] = "general protection (#GP)",
	[14] = "page fault (#PF)", [16] = "x87 error (#MF)", [17] = "alignment check (#AC)",
	[18] = "machine check (#MC)", [19] = "SIMD error (#XM)",
};

static void register_callback(unsigned int type, void *entry, unsigned int flags)
{
	struct callback_register cb = {
		.type = type,
		.flags = flags,
		.address = (unsigned long)entry,
	};
	long rc = HYPERVISOR_callback_op(CALLBACKOP_register, &cb);

	if (rc)
		report_hypercall_failure("callback_op", rc, "CALLBACKOP_register, type=%u, address=%p",
					 type, entry);
}

void traps_init(void)
{
	long rc = HYPERVISOR_set_trap_table(trap_table);

	if (rc)
		report_hypercall_failure("set_trap_table", rc, "%p", trap_table);
	register_callback(CALLBACKTYPE_event, entry_event_upcall, 0);
	register_callback(CALLBACKTYPE_failsafe, entry_failsafe, CALLBACKF_mask_events);
	register_callback(CALLBACKTYPE_syscall, entry_syscall, CALLBACKF_mask_events);
}

void traps_fill_context(struct vcpu_guest_context *ctxt)
{
	for (const struct trap_info *t = trap_table; t->address; t++)
		ctxt->trap_ctxt[t->vector] = *t;
	ctxt->event_callback_eip = (unsigned long)entry_event_upcall;
	ctxt->failsafe_callback_eip = (unsigned long)entry_failsafe;
	ctxt->syscall_callback_eip = (unsigned long)entry_syscall;
	ctxt->flags |= VGCF_failsafe_disables_events | VGCF_syscall_disables_events;
}

static bool in_image(unsigned long addr)
{
	return addr >= (unsigned long)__image_start && addr < (unsigned long)__image_end;
}

static bool in_direct_map(unsigned long addr)
{
	return addr >= KERNEL_BASE && addr + 16 <= KERNEL_BASE + direct_map_pages() * PAGE_SIZE;
}

/*
 * Walk the frame-pointer chain (the kernel is built with frame pointers).
 * Every frame must lie in the direct map, where all stacks are, and grow
 * upwards, and every return address in the image, so a corrupt chain ends
 * the walk instead of faulting again.
 */
void print_call_stack(unsigned long rbp)
{
	printk("call stack:\n");
	for (int depth = 0; depth < 32 && rbp && in_direct_map(rbp); depth++) {
		unsigned long *frame = (unsigned long *)rbp;
		unsigned long ret = frame[1];

		if (!in_image(ret))
			break;
		printk("  [%d] %016lx\n", depth, ret);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
}

static void print_registers(const struct cpu_regs *r)
{
	/* Xen keeps the interrupted context's event mask in bits 32-39 of the saved %cs. */
	printk("rip=%016lx cs=%04lx rflags=%08lx rsp=%016lx ss=%04lx upcall_mask=%lu\n",
	       r->rip, r->cs & 0xffff, r->rflags, r->rsp, r->ss & 0xffff, (r->cs >> 32) & 0xff);
	printk("rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n", r->rax, r->rbx, r->rcx, r->rdx);
	printk("rsi=%016lx rdi=%016lx rbp=%016lx r8 =%016lx\n", r->rsi, r->rdi, r->rbp, r->r8);
	printk("r9 =%016lx r10=%016lx r11=%016lx r12=%016lx\n", r->r9, r->r10, r->r11, r->r12);
	printk("r13=%016lx r14=%016lx r15=%016lx\n", r->r13, r->r14, r->r15);
}

/*
 * A kernel fault that W^X made (direct_map_protect_image()): a write to the
 * image's text or read-only data, or running memory that is not text. Named
 * on a BUG: line, since it is the kernel's own bug, not a bad trap.
 */
static void report_wx_violation(const struct cpu_regs *regs, unsigned long addr)
{
	unsigned long ec = regs->error_code;

	if (regs->vector != 14 || !(ec & 1) || (ec & 4))
		return;	/* not a kernel-mode protection violation */
	if (ec & 2 && addr >= (unsigned long)__image_start && addr < (unsigned long)__rodata_end)
		printk("BUG: kernel write to its read-only %s at 0x%016lx, rip 0x%lx (W^X)\n",
		       addr < (unsigned long)__text_end ? "text" : "data", addr, regs->rip);
	else if (ec & 16 && (addr < (unsigned long)__image_start || addr >= (unsigned long)__text_end))
		printk("BUG: kernel jump to non-executable memory at 0x%016lx (W^X)\n", addr);
}

static void __noreturn fatal_trap(const struct cpu_regs *regs)
{
	static bool reporting;
	const char *name = regs->vector < ARRAY_SIZE(trap_names) ? trap_names[regs->vector] : NULL;

	/* A fault while reporting a fault: say so once and stop. */
	if (reporting) {
		static const char msg[] = "nested fault while reporting a fault\nTest result: FAILURE\n";

		console_write(msg, sizeof(msg) - 1);
		xen_shutdown(SHUTDOWN_crash);
	}
	reporting = true;

	report_wx_violation(regs, this_vcpu_info()->arch.cr2);

	if (regs->vector == VECTOR_FAILSAFE)
		printk("FATAL: failsafe callback: Xen could not load segment registers\n");
	else
		printk("FATAL: %s, vector %lu, error code 0x%lx, vcpu %u\n",
		       name ? name : "unexpected trap", regs->vector, regs->error_code,
		       smp_processor_id());
	if (regs->vector == 14) {
		unsigned long ec = regs->error_code;

		printk("fault address: 0x%016lx (%s %s in %s mode)\n", this_vcpu_info()->arch.cr2,
		       ec & 1 ? "protection violation," : "not present,",
		       ec & 16 ? "instruction fetch" : ec & 2 ? "write" : "read",
		       ec & 4 ? "user" : "kernel");
	}
	print_registers(regs);
	print_call_stack(regs->rbp);
	guest_exit(RESULT_FAILURE);
}

/*
 * A kernel write fault on a direct-map page that is writable now: a stale
 * read-only TLB entry. Teardown makes page-table pages writable again with
 * mmu_update, which flushes nothing, so any vCPU that read a table through
 * the direct map may still hold the read-only translation. Rather than
 * flush every vCPU at every teardown, the vCPU that trips over one drops
 * it (as Linux's spurious_kernel_fault does) and retries. Stale entries in
 * the other direction (writable after a page became read-only) cannot
 * happen: Xen flushes them before it types the page.
 */
static bool fix_spurious_fault(const struct cpu_regs *regs)
{
	unsigned long addr = this_vcpu_info()->arch.cr2;
	struct mmuext_op invlpg = { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = addr };
	long rc;

	if (regs->vector != 14 || (regs->error_code & 3) != 3 || !in_direct_map(addr) ||
	    !direct_map_writable((void *)addr))
		return false;
	rc = HYPERVISOR_mmuext_op(&invlpg, 1, NULL, DOMID_SELF);
	if (rc)
		report_hypercall_failure("mmuext_op", rc, "INVLPG_LOCAL %lx", addr);
	this_cpu()->spurious_faults++;
	return true;
}

struct exception_entry {
	unsigned long insn, fixup;
};

extern const struct exception_entry __ex_table_start[], __ex_table_end[];

struct mm *uaccess_mm(void)
{
	struct task *t = current_task();
	struct mm *mm = t->mm ? t->mm : t->borrowed_mm;
	unsigned long flags = local_irq_save();	/* this vCPU's state, read without a switch between */
	const struct tlb_state *s = tlb_state_of(smp_processor_id());
	bool loaded = mm && READ_ONCE(s->loaded_mm) == mm && READ_ONCE(s->xen_mm) == mm;

	/* Check mode: what the copy will go through is really @mm's (CR3 as Xen holds it, pinned). */
	if (loaded)
		check_loaded("a user copy's check");
	local_irq_restore(flags);
	return loaded ? mm : NULL;
}

/*
 * A kernel fault on a user address in one of the user-copy routines
 * (asm/uaccess.h). The copy began only through uaccess_mm(), and the fault
 * is resolved against it again, the mm loaded here: a page not there yet
 * in a vma that allows the access is mapped (demand-zero, as for the
 * process itself), a write to a page shared copy-on-write gets its own
 * copy, and the copy goes on; anything else (no such vma,
 * another thread unmapped or protected the memory under the copy, the mm
 * no longer loaded here) resumes at the routine's fixup, which returns
 * what was not copied: the system call fails with -EFAULT, the guest
 * lives on.
 */
static bool fixup_user_access(struct cpu_regs *regs)
{
	unsigned long addr = this_vcpu_info()->arch.cr2;
	bool not_present = !(regs->error_code & 1), write = regs->error_code & 2;

	if (regs->vector != 14 || addr >= USER_END)
		return false;
	for (const struct exception_entry *e = __ex_table_start; e < __ex_table_end; e++) {
		struct mm *mm;

		if (e->insn != regs->rip)
			continue;
		mm = uaccess_mm();
		/* Not present, or a write to a page shared copy-on-write: handle_mm_fault() decides. */
		if (mm && (not_present || write) && !handle_mm_fault(mm, addr, write))
			return true;	/* mapped (or copied) now: retry the copy */
		regs->rip = e->fixup;
		this_cpu()->uaccess_fixups++;
		return true;
	}
	return false;
}

/*
 * Xen puts the frame of an entry from user mode at the kernel stack
 * pointer it was last given (stack_switch, or a vCPU's initial context),
 * and the switch hook keeps that the running task's. A frame anywhere
 * else means the record of what Xen holds went stale: the entry is
 * running over another task's stack, so stop before it does harm.
 */
static void check_user_entry_stack(const struct cpu_regs *regs)
{
	struct task *t = current_task();

	if (likely(regs == task_user_regs(t)))
		return;
	printk("FATAL: entry from user mode (vector %lu) on vCPU %u put its frame at %p, not on the"
	       " stack of task %u (%s) at %p: Xen's kernel stack pointer is %lx by pvmm's record\n",
	       regs->vector, smp_processor_id(), regs, t->id, t->name, task_user_regs(t),
	       this_cpu()->kernel_sp);
	print_registers(regs);
	guest_exit(RESULT_FAILURE);
}

void do_trap(struct cpu_regs *regs)
{
	if (user_mode(regs))
		check_user_entry_stack(regs);
	if (regs->vector == VECTOR_SYSCALL) {
		do_syscall(regs);
		count_hypercall(__HYPERVISOR_iret);
		return;
	}
	if (regs->vector == VECTOR_EVENT) {
		this_cpu()->irq_depth++;
		do_event_upcall(regs);
		this_cpu()->irq_depth--;
		/* Xen keeps the interrupted context's event mask in bits 32-39 of %cs. */
		preempt_on_upcall_return(((regs->cs >> 32) & 0xff) == 0);
		/* The entry code's iret hypercall, counted like any other call. */
		if (user_mode(regs))
			return_to_user(regs);
		count_hypercall(__HYPERVISOR_iret);
		return;
	}
	if (user_mode(regs) && regs->vector != VECTOR_FAILSAFE) {
		user_trap(regs, regs->vector == 14 ? this_vcpu_info()->arch.cr2 : 0);
		count_hypercall(__HYPERVISOR_iret);
		return;
	}
	if (!user_mode(regs) && (fix_spurious_fault(regs) || fixup_user_access(regs))) {
		count_hypercall(__HYPERVISOR_iret);
		return;
	}
	fatal_trap(regs);
}
