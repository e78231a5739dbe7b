/*
 * A static program's entry, as Linux (and pvmm) enter one: %rsp on argc,
 * argv and envp above it. main(argc, argv, envp)'s result is the exit
 * status of the whole process.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	xorl	%ebp, %ebp
	movq	(%rsp), %rdi		/* argc */
	leaq	8(%rsp), %rsi		/* argv */
	leaq	16(%rsp,%rdi,8), %rdx	/* envp: past argv's NULL */
	andq	$-16, %rsp
	call	main
	movl	%eax, %edi
	call	exit_from_main
	ud2
