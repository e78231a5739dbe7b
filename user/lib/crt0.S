/* exec enters here with the program's argument in %rdi; main's result is the exit status. */
	.section .text.start, "ax"
	.globl _start
_start:
	xorl	%ebp, %ebp
	call	main
	movl	%eax, %edi
	call	exit_from_main
	ud2
