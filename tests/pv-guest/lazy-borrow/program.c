/*
 * lazy-borrow's process: map and touch a page, then wait in PVMM_SYS_test_call
 * while a kernel thread borrows this mm on the vCPU and the test unmaps
 * the page from another vCPU; once let go, read it again: that read must
 * fault. Exit 0 if it did, 3 if not.
 */
#include <ulib.h>

static volatile unsigned long *page;
static char handler_stack[4096] __attribute__((aligned(16)));

static void faulted(unsigned long addr, unsigned long error_code)
{
	exit_group(addr == (unsigned long)page ? 0 : 4);
}

int main(int argc, char **argv)
{
	/*
	 * The first mmap, so the test knows where: its top page is the one
	 * unmapped. The page below keeps its vma, and so the page table,
	 * alive: a munmap that frees a table remaps it writable, and Xen then
	 * flushes every vCPU that may cache it, which would hide a missing
	 * flush from inject=no-remote-flush.
	 */
	char *two = map_anon(2 * 4096, PROT_READ | PROT_WRITE);

	if ((long)two < 0)
		return 1;
	page = (volatile unsigned long *)(two + 4096);
	set_fault_handler(faulted, handler_stack + sizeof(handler_stack));
	*page = 1;
	if (test_call(0, 0))	/* mapped and touched; back once the test has unmapped it */
		return 2;
	(void)*page;
	printf("lazy-borrow: read 0x%lx after the kernel unmapped it\n", (unsigned long)page);
	return 3;
}
