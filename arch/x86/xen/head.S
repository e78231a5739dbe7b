/*
 * Entry point and ELF notes of the PV image.
 *
 * Xen's PV domain builder (the initial-domain builder and libxenguest under
 * xl alike) reads the notes below, maps the image at XEN_ELFNOTE_VIRT_BASE,
 * writes the hypercall stubs into hypercall_page and enters _start in
 * 64-bit kernel mode (ring 3, FLAT_KERNEL_CS) with %rsi pointing at the
 * start_info page and events masked.
 */
#include <xen/xen.h>
#include <xen/elfnote.h>

#define ELFNOTE(type, desc)					\
	.pushsection .note.Xen, "a", @note;			\
	.balign 4;						\
	.long 2f - 1f;						\
	.long 4f - 3f;						\
	.long type;						\
1:	.asciz "Xen";						\
2:	.balign 4;						\
3:	desc;							\
4:	.balign 4;						\
	.popsection

ELFNOTE(XEN_ELFNOTE_GUEST_OS, .asciz "pvmm")
ELFNOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz "0.1")
ELFNOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
ELFNOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
ELFNOTE(XEN_ELFNOTE_VIRT_BASE, .quad __image_start)
/* Physical and virtual addresses in the ELF headers are the same. */
ELFNOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad __image_start)
ELFNOTE(XEN_ELFNOTE_ENTRY, .quad _start)
ELFNOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page)
/*
 * Page tables are read-only to the guest and edited only by hypercall: the
 * rules the MMU layer is written for. No SUPPORTED_FEATURES note: with one,
 * Xen refuses to build the initial domain unless it lists XENFEAT_dom0.
 */
ELFNOTE(XEN_ELFNOTE_FEATURES, .asciz "!writable_page_tables")

	.section .text.head, "ax", @progbits
	.code64
	.globl _start
_start:
	cld
	leaq	boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp		/* terminates the frame-pointer chain */
	movq	%rsi, %rdi		/* start_info */
	call	xen_start
	ud2

	.section .text.hypercall_page, "ax", @progbits
	.balign 4096
	.globl hypercall_page
hypercall_page:
	.skip 4096

	.section .bss.page_aligned, "aw", @nobits
	.balign 4096
boot_stack:
	.skip 4 * 4096
	.globl boot_stack_top
boot_stack_top:
