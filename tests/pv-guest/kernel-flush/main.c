/*
 * kernel-flush: a kernel mapping changed and flushed with
 * flush_tlb_kernel_range() is seen changed on every vCPU, for one
 * hypercall and no IPI. Kernel threads on the other vCPUs spin reading a
 * kernel page (never blocking: a vCPU Xen switches back to is flushed by
 * Xen) while vCPU 0 points that page at one frame, then another, each
 * time with the PTE change and its flush in one multicall. Each spinner
 * then reads the page again and must find the new frame's contents.
 * inject=no-remote-flush makes the flush local: the spinners see stale
 * contents.
 */
#include <asm/page_alloc.h>
#include <asm/direct_map.h>
#include <asm/page.h>
#include <asm/smp.h>
#include <pv-mmu/tlb.h>
#include <hypercall/hypercall.h>
#include <hypercall/meter.h>
#include <pvmm/sched.h>
#include <pv-mmu/mmu_pv.h>
#include <pvmm/atomic.h>
#include "user_util.h"

#define ROUNDS 200

static volatile unsigned long window[PAGE_SIZE / sizeof(unsigned long)]
	__attribute__((aligned(PAGE_SIZE)));
static volatile unsigned long generation;
static volatile unsigned long seen[MAX_VCPUS], seen_gen[MAX_VCPUS];

static void spinner(void *unused)
{
	unsigned int cpu = smp_processor_id();
	unsigned long g = 0;

	while (g < ROUNDS) {
		(void)window[0];	/* keep the translation warm */
		if (READ_ONCE(generation) != g) {
			g = READ_ONCE(generation);
			seen[cpu] = window[0];
			WRITE_ONCE(seen_gen[cpu], g);
		}
	}
}

/* Point the window at @frame's page, flush everywhere: hypercalls used. */
static unsigned long remap_window(void *frame)
{
	struct hypercall_meter m;

	lazy_mmu_enter();	/* events masked: the count is this remap's alone */
	meter_begin(&m);
	mmu_queue(direct_map_pte_maddr((void *)window), direct_map_pte(frame, false));
	flush_tlb_kernel_range((unsigned long)window, (unsigned long)window + PAGE_SIZE);
	mmu_issue();
	/* Counted before leaving: unmasking may deliver a pending event, with its own calls. */
	meter_end(&m);
	lazy_mmu_leave();
	return m.calls;
}

static void kernel_flush(void)
{
	unsigned long *pages[2] = { alloc_page(), alloc_page() }, ipis, calls = 0;
	struct task *k[MAX_VCPUS];

	if (nr_cpus < 2 || !pages[0] || !pages[1]) {
		test_skip("needs 2 vCPUs and 2 pages");
		return;
	}
	pages[0][0] = 0xaaaa;
	pages[1][0] = 0xbbbb;
	for (unsigned int cpu = 1; cpu < nr_cpus; cpu++)
		k[cpu] = kthread_create("spinner", spinner, NULL, cpu);
	ipis = ipis_sent_all();

	for (unsigned long g = 1; g <= ROUNDS; g++) {
		unsigned long want = pages[g & 1][0];

		calls += remap_window(pages[g & 1]);
		WRITE_ONCE(generation, g);
		for (unsigned int cpu = 1; cpu < nr_cpus; cpu++) {
			while (READ_ONCE(seen_gen[cpu]) != g)
				cpu_relax();
			if (seen[cpu] != want) {
				test_fail("round %lu: vCPU %u read %lx through the window, %lx after the flush",
					  g, cpu, seen[cpu], want);
				g = ROUNDS;	/* the spinners stop at ROUNDS */
				WRITE_ONCE(generation, ROUNDS);
			}
		}
	}
	/* Counted before the joins: a spinner's exit wakes its joiner with an IPI. */
	ipis = ipis_sent_all() - ipis;
	for (unsigned int cpu = 1; cpu < nr_cpus; cpu++)
		kthread_join(k[cpu]);
	/* The window's own frame back, then the pages. */
	remap_window((void *)window);
	free_page(pages[0]);
	free_page(pages[1]);

	printk("rounds=%d\nremap_and_flush.hypercalls=%lu\nipis_during_flushes=%lu\n", ROUNDS,
	       calls / ROUNDS, ipis);
	test_check(calls == ROUNDS, "%lu hypercalls for %d remaps with their flush", calls, ROUNDS);
}

REGISTER_TEST(kernel_flush, "kernel-flush",
	.description = "a kernel-range flush reaches every vCPU: one hypercall, no IPI",
	.run = kernel_flush,
);
