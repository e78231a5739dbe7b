#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

/* A pseudo-vector for the event-channel upcall, beyond the 256 real ones. */
#define VECTOR_EVENT	0x100
#define VECTOR_FAILSAFE	0x101
#define VECTOR_SYSCALL	0x102

#ifndef __ASSEMBLY__
/*
 * Registers as the entry code saves them, in stack order. The last five
 * fields are the frame Xen builds (with %rcx and %r11, which Xen also
 * pushes, moved into place by the entry stub).
 */
struct cpu_regs {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	unsigned long rax, rcx, rdx, rsi, rdi;
	unsigned long vector, error_code;
	unsigned long rip, cs, rflags, rsp, ss;
};

struct vcpu_guest_context;

static inline bool user_mode(const struct cpu_regs *regs)
{
	/* Xen reports the guest kernel's %cs with RPL 0, user mode's with RPL 3. */
	return (regs->cs & 3) == 3;
}

/* Return to @frame, which is on the task's kernel stack, in user mode. */
void enter_user(struct cpu_regs *frame) __attribute__((noreturn));

void traps_init(void);
/* The trap table and callbacks, for a vCPU started with VCPUOP_initialise. */
void traps_fill_context(struct vcpu_guest_context *ctxt);
void do_trap(struct cpu_regs *regs);
void print_call_stack(unsigned long rbp);
#endif

#endif
