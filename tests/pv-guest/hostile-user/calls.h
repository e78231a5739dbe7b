/* hostile-user's PVMM_SYS_test_call operations (main.c answers them, the programs ask). */
#ifndef HOSTILE_USER_CALLS_H
#define HOSTILE_USER_CALLS_H

/* The kinds of address outside user space a program hands the kernel. */
#define KIND_TEXT		0	/* the kernel image's text */
#define KIND_DATA		1	/* the image's data */
#define KIND_DIRECT_MAP		2	/* a page of the direct map */
#define KIND_PAGE_TABLE		3	/* the caller's own top-level page table (read-only to it) */
#define KIND_XEN		4	/* Xen's range: HYPERVISOR_VIRT_START */
#define KIND_NONCANONICAL	5	/* USER_END: the first address past user space */
#define KIND_WRAP		6	/* the last 4 bytes of the address space: any longer range wraps */
#define NR_KINDS		7

#define KIND_NAMES { "text", "data", "direct-map", "page-table", "xen", "non-canonical", "wrap" }

/* An address of kind ARG (4-byte aligned: a futex word may sit there). */
#define HOSTILE_ADDRESS		1
/* The kinds whose kernel memory changed since the last such call: a mask of (1 << kind), 0 if none. */
#define HOSTILE_CHANGED		2

/* What hostile-user-kill does (ARG): each must end the process with SIGSEGV. */
#define KILL_CASES { "hlt", "cli", "in", "out", "mov-cr3", "rdmsr", "int-0x0e", "int-0x02", \
		     "int-0x20", "mov-ds-xen", "jump-text", "read-text", "write-data", \
		     "read-direct-map", "read-noncanonical" }
#define NR_KILL_CASES		15

#endif
