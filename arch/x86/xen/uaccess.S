/*
 * copy_user_bytes(dst, src, n): rep movsb, whose fault leaves %rcx at the
 * bytes not copied; the exception table sends such a fault to 2:, which
 * returns them (asm/uaccess.h).
 */
	.text
	.globl copy_user_bytes
copy_user_bytes:
	movq	%rdx, %rcx
1:	rep movsb
2:	movq	%rcx, %rax
	ret

	.pushsection .ex_table, "a"
	.balign 8
	.quad	1b, 2b
	.popsection
