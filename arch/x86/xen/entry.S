/*
 * Exception and event entry.
 *
 * For a PV64 guest Xen bounces every exception and event to the handler
 * registered for it with this frame on the kernel stack, lowest address
 * first: %rcx, %r11, [error code], %rip, %cs, %rflags, %rsp, %ss. The stubs
 * below take %rcx and %r11 back into their registers, push an error code
 * where Xen gave none and the vector, and join one path that saves the
 * rest as a struct cpu_regs and calls do_trap(). The way back is the iret
 * hypercall, which also restores the event mask from the saved %rflags.IF.
 */
#include <xen/xen.h>
#include <asm/traps.h>

.macro TRAP_ENTRY name, vector, has_error_code
	.globl \name
\name:
	popq	%rcx
	popq	%r11
	.if !\has_error_code
	pushq	$0
	.endif
	pushq	$\vector
	jmp	trap_common
.endm

	.text
TRAP_ENTRY entry_divide_error,		0,  0
TRAP_ENTRY entry_debug,			1,  0
TRAP_ENTRY entry_int3,			3,  0
TRAP_ENTRY entry_overflow,		4,  0
TRAP_ENTRY entry_bounds,		5,  0
TRAP_ENTRY entry_invalid_op,		6,  0
TRAP_ENTRY entry_device_not_available,	7,  0
TRAP_ENTRY entry_coprocessor_segment,	9,  0
TRAP_ENTRY entry_invalid_tss,		10, 1
TRAP_ENTRY entry_segment_not_present,	11, 1
TRAP_ENTRY entry_stack_segment,		12, 1
TRAP_ENTRY entry_general_protection,	13, 1
TRAP_ENTRY entry_page_fault,		14, 1
TRAP_ENTRY entry_coprocessor_error,	16, 0
TRAP_ENTRY entry_alignment_check,	17, 1
TRAP_ENTRY entry_machine_check,		18, 0
TRAP_ENTRY entry_simd_error,		19, 0
TRAP_ENTRY entry_event_upcall,		VECTOR_EVENT, 0
/* SYSCALL from user mode: Xen builds the same frame, with the user's %rcx and %r11. */
TRAP_ENTRY entry_syscall,		VECTOR_SYSCALL, 0

/*
 * The failsafe callback: Xen could not load the segment registers of the
 * context it was returning to. It pushes %ds, %es, %fs and %gs above
 * %rcx/%r11; report the return context, which is what went wrong.
 */
	.globl entry_failsafe
entry_failsafe:
	popq	%rcx
	popq	%r11
	addq	$32, %rsp
	pushq	$0
	pushq	$VECTOR_FAILSAFE
	jmp	trap_common

trap_common:
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	call	do_trap

/* Restore the struct cpu_regs at %rsp and return to it (kernel or user mode). */
	.globl trap_return
trap_return:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	addq	$16, %rsp		/* vector, error code */
	pushq	$0			/* iret flags: not returning from a syscall */
	jmp	hypercall_page + __HYPERVISOR_iret * 32

/* void enter_user(struct cpu_regs *frame): first entry of a task into user mode. */
	.globl enter_user
enter_user:
	movq	%rdi, %rsp
	jmp	trap_return
