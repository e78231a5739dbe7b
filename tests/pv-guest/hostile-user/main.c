/*
 * hostile-user: a program hands every system call that takes a pointer an
 * address outside user space, of each kind (calls.h): the image's text and
 * data, the direct map, a page-table page, Xen's range, a non-canonical
 * address, a range that wraps. Each call must answer as Linux does and
 * change nothing: the kernel memory behind those addresses is compared
 * after each call. Then programs that try what only the kernel may
 * (privileged instructions, int to kernel vectors, port I/O, a kernel
 * segment, running or reading kernel memory) must die of SIGSEGV, as on
 * Linux, and the guest runs on with every page back.
 */
#include <xen/errno.h>
#include <uapi/pvmm_syscall.h>
#include <pvmm/lib.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <pv-mmu/mm.h>
#include <asm/smp.h>
#include "calls.h"
#include "user_util.h"

/*
 * What the text, data and direct-map kinds point at: written by no one, so
 * any change is a user's doing. Each look compares them with what the last
 * one saw and sets them back, so that a change is blamed on the call just
 * made; the text is only read (under W^X it cannot be written back).
 */
static unsigned char data_canary[64] = { [0 ... 63] = 0xa5 };
static unsigned char text_seen[64];
static unsigned char *direct_page;
static long ever_changed;

static __attribute__((noinline, used, aligned(16))) unsigned long text_canary(unsigned long x)
{
	return x * 2654435761UL ^ (x >> 7);
}

static bool all_bytes(const unsigned char *p, unsigned long n, unsigned char value)
{
	for (unsigned long i = 0; i < n; i++)
		if (p[i] != value)
			return false;
	return true;
}

/* The kinds whose memory changed since the last look (1 << kind each). */
static long changed_kinds(void)
{
	long mask = 0;

	if (memcmp(text_seen, (const void *)text_canary, sizeof(text_seen))) {
		mask |= 1 << KIND_TEXT;
		memcpy(text_seen, (const void *)text_canary, sizeof(text_seen));
	}
	if (!all_bytes(data_canary, sizeof(data_canary), 0xa5)) {
		mask |= 1 << KIND_DATA;
		memset(data_canary, 0xa5, sizeof(data_canary));
	}
	if (!all_bytes(direct_page, PAGE_SIZE, 0x5a)) {
		mask |= 1 << KIND_DIRECT_MAP;
		memset(direct_page, 0x5a, PAGE_SIZE);
	}
	ever_changed |= mask;
	return mask;
}

static long answer(unsigned long op, unsigned long arg)
{
	if (op == HOSTILE_CHANGED)
		return changed_kinds();
	if (op != HOSTILE_ADDRESS)
		return -XEN_EINVAL;
	switch (arg) {
	case KIND_TEXT:
		return (long)text_canary;
	case KIND_DATA:
		return (long)data_canary;
	case KIND_DIRECT_MAP:
		return (long)direct_page;
	case KIND_PAGE_TABLE:
		return (long)current_task()->mm->pgd;
	case KIND_XEN:
		return (long)HYPERVISOR_VIRT_START;
	case KIND_NONCANONICAL:
		return (long)USER_END;
	case KIND_WRAP:
		return -4L;
	default:
		return -XEN_EINVAL;
	}
}

static void hostile_user(void)
{
	static const char *const kills[NR_KILL_CASES] = KILL_CASES;

	direct_page = alloc_page();
	if (!direct_page)
		test_error("no page for the direct-map canary");
	memset(direct_page, 0x5a, PAGE_SIZE);
	memcpy(text_seen, (const void *)text_canary, sizeof(text_seen));

	run_expecting("hostile-user", 0, 0, 0);
	for (unsigned int k = 0; k < NR_KILL_CASES; k++) {
		printk("hostile-user-kill: %s\n", kills[k]);
		run_expecting("hostile-user-kill", k, k % nr_cpus, EXIT_KILLED);
	}
	changed_kinds();
	test_check(!ever_changed, "a user changed kernel memory: kinds 0x%lx (calls.h)", ever_changed);
	free_page(direct_page);
}

REGISTER_TEST(hostile_user, "hostile-user",
	.description = "kernel addresses in every pointer argument, privileged user code: "
		       "Linux's errors and SIGSEGV, nothing changed, every page back",
	.run = hostile_user,
	.user_call = answer,
);
