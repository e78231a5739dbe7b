/*
 * hostile-user-kill: one try (ARG, calls.h's KILL_CASES) at what only the
 * kernel may do. Each must end the process with SIGSEGV, as on Linux: under
 * Xen a privileged instruction, an int to a gate whose DPL is 0, or a Xen
 * selector is a #GP, and user mode's page tables map no kernel memory.
 * Returning from main at all is the failure (exit 1).
 */
#include <ulib.h>
#include <xen/xen.h>
#include "calls.h"

/* Xen's own ring-0 data segment (its GDT's reserved entries start at FIRST_RESERVED_GDT_BYTE). */
#define XEN_DS_SELECTOR	((unsigned short)(FIRST_RESERVED_GDT_BYTE + 0x10) | 3)

int main(int argc, char **argv)
{
	static const char *const names[NR_KILL_CASES] = KILL_CASES;
	unsigned long k = program_arg(argc, argv);
	unsigned long text = test_call(HOSTILE_ADDRESS, KIND_TEXT);
	unsigned long data = test_call(HOSTILE_ADDRESS, KIND_DATA);
	unsigned long direct = test_call(HOSTILE_ADDRESS, KIND_DIRECT_MAP);
	unsigned long noncanonical = test_call(HOSTILE_ADDRESS, KIND_NONCANONICAL);
	unsigned long v;

	if (k >= NR_KILL_CASES)
		return 2;
	switch (k) {
	case 0: asm volatile("hlt"); break;
	case 1: asm volatile("cli"); break;
	case 2: asm volatile("inb $0x80, %%al" : : : "rax"); break;
	case 3: asm volatile("outb %%al, $0x80" : : "a"(0)); break;
	case 4: asm volatile("mov %%cr3, %0" : "=r"(v)); break;
	case 5: asm volatile("rdmsr" : : "c"(0xc0000080) : "rax", "rdx"); break;
	case 6: asm volatile("int $0x0e"); break;
	case 7: asm volatile("int $0x02"); break;
	case 8: asm volatile("int $0x20"); break;
	case 9: asm volatile("movw %w0, %%ds" : : "r"(XEN_DS_SELECTOR)); break;
	case 10: ((void (*)(void))text)(); break;
	case 11: v = *(volatile unsigned char *)text; break;
	case 12: *(volatile unsigned char *)data = 0; break;
	case 13: v = *(volatile unsigned char *)direct; break;
	case 14: v = *(volatile unsigned char *)noncanonical; break;
	}
	printf("hostile-user-kill: %s did not kill the process\n", names[k]);
	return 1;
}
