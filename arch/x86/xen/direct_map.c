/*
 * The direct map: every frame of the domain at KERNEL_BASE + pfn * 4 KiB.
 *
 * Xen's domain builder maps only the bootstrap region: the image, the p2m
 * list, start_info, the boot page tables and a little spare, up to a 4 MiB
 * boundary. direct_map_init() extends that mapping 2 MiB at a time over the rest
 * of the domain's frames. Each new L1 table is taken from frames that are
 * already mapped, filled while it is still an ordinary writable page,
 * then in one multicall made read-only (Xen types a page as a page table
 * only while no writable mapping of it exists) and hooked into the boot L2.
 * Its frames then join the allocator, so the next L1 can come from them.
 */
#include <hypercall/hypercall.h>
#include <asm/page_alloc.h>
#include <asm/direct_map.h>
#include <asm/page.h>
#include <pvmm/bug.h>
#include <pvmm/lib.h>

/* Data: never executable (W^X: direct_map_protect_image()). */
#define KERNEL_PTE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX)
#define KERNEL_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PAGES_PER_L1	PT_ENTRIES
/* One L2 table (1 GiB) maps the kernel's half of the top 2 GiB. */
#define MAX_MAPPED_PFNS	(1UL << (L3_SHIFT - PAGE_SHIFT))

static unsigned long mapped_end;	/* frames [0, mapped_end) are mapped */
static unsigned long boot_mapped_end;	/* frames [0, boot_mapped_end) the domain builder mapped */

static pte_t *table_of(pte_t entry)
{
	return mfn_to_virt((entry & PTE_MFN_MASK) >> PAGE_SHIFT);
}

/*
 * The entry that maps @va at the level whose index starts at bit @shift,
 * found by walking the boot tables from the top; NULL if a table above it
 * is missing.
 */
static pte_t *boot_pt_entry(unsigned long va, unsigned int shift)
{
	pte_t *table = (pte_t *)start_info->pt_base;

	for (unsigned int s = L4_SHIFT; s > shift; s -= L2_SHIFT - L1_SHIFT) {
		pte_t e = table[pt_index(va, s)];

		if (!(e & _PAGE_PRESENT))
			return NULL;
		table = table_of(e);
	}
	return &table[pt_index(va, shift)];
}

static bool pfn_mapped(unsigned long pfn)
{
	pte_t *pte = boot_pt_entry((unsigned long)pfn_to_virt(pfn), L1_SHIFT);

	return pte && (*pte & _PAGE_PRESENT);
}

static void check_below(const char *what, unsigned long pfn, unsigned long first_free)
{
	if (pfn >= first_free)
		panic("%s at pfn %lx lies above the boot page tables (first free pfn %lx)",
		      what, pfn, first_free);
}

/* Map [first, end), all under one L2 entry, through a new L1 table. */
static void map_with_new_l1(unsigned long first, unsigned long end, pte_t *l2e)
{
	pte_t *l1 = alloc_page();
	multicall_entry_t mc[2];
	unsigned long l1_pte;	/* named from here: Xen leaves mc[] with only the results */
	mmu_update_t hook;
	int bad;
	long rc;

	if (!l1)
		panic("direct map: no free page for an L1 table at pfn %lx", first);
	for (unsigned long pfn = first; pfn < end; pfn++)
		l1[pt_index(pfn_to_virt(pfn), L1_SHIFT)] = (pfn_to_mfn(pfn) << PAGE_SHIFT) | KERNEL_PTE;

	l1_pte = (virt_to_mfn(l1) << PAGE_SHIFT) | (KERNEL_PTE & ~_PAGE_RW);
	mc[0] = (multicall_entry_t){
		.op = __HYPERVISOR_update_va_mapping,
		.args = { (unsigned long)l1, l1_pte, UVMF_INVLPG | UVMF_LOCAL },
	};
	hook.ptr = virt_to_machine(l2e) | MMU_NORMAL_PT_UPDATE;
	hook.val = (virt_to_mfn(l1) << PAGE_SHIFT) | KERNEL_TABLE;
	mc[1] = (multicall_entry_t){
		.op = __HYPERVISOR_mmu_update,
		.args = { (unsigned long)&hook, 1, 0, DOMID_SELF },
	};
	rc = HYPERVISOR_multicall(mc, 2);
	if (rc)
		report_hypercall_failure("multicall", rc, "%p, 2", mc);
	bad = multicall_first_failure(mc, 2);
	if (bad == 0)
		report_hypercall_failure("multicall[0] update_va_mapping", mc[0].result,
					 "va=%p, pte=%lx, UVMF_INVLPG|UVMF_LOCAL", l1, l1_pte);
	if (bad == 1)
		report_hypercall_failure("multicall[1] mmu_update", mc[1].result,
					 "ptr=%lx, val=%lx, count=1", hook.ptr, hook.val);
}

/* Fill the missing entries of an existing L1 (a partly mapped 2 MiB). */
static void map_in_existing_l1(unsigned long first, unsigned long end)
{
	mmu_update_t req[PAGES_PER_L1];
	unsigned int n = 0, done = 0;
	long rc;

	for (unsigned long pfn = first; pfn < end; pfn++) {
		pte_t *pte = boot_pt_entry((unsigned long)pfn_to_virt(pfn), L1_SHIFT);

		req[n].ptr = virt_to_machine(pte) | MMU_NORMAL_PT_UPDATE;
		req[n].val = (pfn_to_mfn(pfn) << PAGE_SHIFT) | KERNEL_PTE;
		n++;
	}
	rc = HYPERVISOR_mmu_update(req, n, &done, DOMID_SELF);
	if (rc)
		report_hypercall_failure("mmu_update", rc, "req[%u]={ptr=%lx, val=%lx}, count=%u",
					 done, req[done].ptr, req[done].val, n);
}

void direct_map_init(void)
{
	unsigned long nr_pages = start_info->nr_pages;
	unsigned long first_free = virt_to_pfn((void *)start_info->pt_base) + start_info->nr_pt_frames;

	/* Everything Xen placed for us must lie below the frames we hand out. */
	check_below("start_info", virt_to_pfn(start_info), first_free);
	check_below("the p2m list", virt_to_pfn(p2m + nr_pages - 1), first_free);
	if (!xen_initial_domain()) {
		check_below("the console ring", mfn_to_pfn(start_info->console.domU.mfn), first_free);
		check_below("the xenstore ring", mfn_to_pfn(start_info->store_mfn), first_free);
	}
	if (nr_pages > MAX_MAPPED_PFNS) {
		printk("pvmm: direct map covers 1 GiB: %lu of %lu pages left unused\n",
		       nr_pages - MAX_MAPPED_PFNS, nr_pages);
		nr_pages = MAX_MAPPED_PFNS;
	}

	mapped_end = first_free;
	while (mapped_end < nr_pages && pfn_mapped(mapped_end))
		mapped_end++;
	boot_mapped_end = mapped_end;
	page_alloc_add_range(first_free, mapped_end);

	while (mapped_end < nr_pages) {
		unsigned long end = (mapped_end + PAGES_PER_L1) & ~(PAGES_PER_L1 - 1);
		pte_t *l2e = boot_pt_entry((unsigned long)pfn_to_virt(mapped_end), L2_SHIFT);

		if (end > nr_pages)
			end = nr_pages;
		if (!l2e)
			panic("direct map: no boot L2 table covers pfn %lx", mapped_end);
		if (*l2e & _PAGE_PRESENT)
			map_in_existing_l1(mapped_end, end);
		else
			map_with_new_l1(mapped_end, end, l2e);
		page_alloc_add_range(mapped_end, end);
		mapped_end = end;
	}
}

/* Requests per page of them, and pages enough for a 16 MiB bootstrap region. */
#define REQS_PER_PAGE	(PAGE_SIZE / sizeof(mmu_update_t))
#define MAX_REQ_PAGES	16

extern char __text_end[], __rodata_end[];

/* What W^X makes of the builder's PTE @old for frame @pfn. */
static pte_t protected_pte(unsigned long pfn, pte_t old)
{
	if (pfn < virt_to_pfn(__text_end))
		return old & ~_PAGE_RW;
	if (pfn < virt_to_pfn(__rodata_end))
		return (old & ~_PAGE_RW) | _PAGE_NX;
	return old | _PAGE_NX;
}

/*
 * W^X, as Linux's mark_rodata_ro() and NX data give it: the domain builder
 * maps the whole bootstrap region writable and executable. Text becomes
 * read-only; read-only data (the notes and the exception table with it)
 * read-only and no-execute; everything else the builder mapped (data, bss,
 * the p2m list, start_info, the boot tables, the spare) no-execute, its RW
 * bit kept: a page table is read-only already (Xen refuses it writable),
 * and shared_info's frame, mapped before this, stays where it is, so each
 * PTE is the builder's, changed, never rebuilt. The direct map beyond was
 * made no-execute as it was built (KERNEL_PTE). One multicall: every
 * update, then a local TLB flush, since mmu_update flushes nothing; no
 * other vCPU is up yet to hold the old entries. From here on a kernel
 * write to its text is a fault that fatal_trap() names.
 */
void direct_map_protect_image(void)
{
	mmu_update_t *reqs[MAX_REQ_PAGES];
	multicall_entry_t mc[MAX_REQ_PAGES + 1];
	unsigned int counts[MAX_REQ_PAGES], pages = 0, n = 0, done[MAX_REQ_PAGES];
	struct mmuext_op flush = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
	int bad;
	long rc;

	if (boot_mapped_end > MAX_REQ_PAGES * REQS_PER_PAGE)
		panic("W^X: the builder mapped %lu frames, more than the %lu one multicall covers",
		      boot_mapped_end, MAX_REQ_PAGES * REQS_PER_PAGE);
	for (unsigned long pfn = 0; pfn < boot_mapped_end; pfn++) {
		pte_t *pte = boot_pt_entry((unsigned long)pfn_to_virt(pfn), L1_SHIFT);

		if (!pte || !(*pte & _PAGE_PRESENT))
			continue;
		if (!n && !(reqs[pages] = alloc_page()))
			panic("W^X: no free page for the PTE updates at pfn %lx", pfn);
		reqs[pages][n].ptr = virt_to_machine(pte) | MMU_NORMAL_PT_UPDATE;
		reqs[pages][n].val = protected_pte(pfn, *pte);
		if (++n == REQS_PER_PAGE) {
			counts[pages++] = n;
			n = 0;
		}
	}
	if (n)
		counts[pages++] = n;
	for (unsigned int i = 0; i < pages; i++)
		mc[i] = (multicall_entry_t){
			.op = __HYPERVISOR_mmu_update,
			.args = { (unsigned long)reqs[i], counts[i], (unsigned long)&done[i], DOMID_SELF },
		};
	mc[pages] = (multicall_entry_t){
		.op = __HYPERVISOR_mmuext_op,
		.args = { (unsigned long)&flush, 1, 0, DOMID_SELF },
	};
	rc = HYPERVISOR_multicall(mc, pages + 1);
	if (rc)
		report_hypercall_failure("multicall", rc, "%p, %u (W^X)", mc, pages + 1);
	bad = multicall_first_failure(mc, pages + 1);
	if (bad >= 0 && (unsigned int)bad < pages)
		report_hypercall_failure("multicall mmu_update (W^X)", mc[bad].result,
					 "entry %d: req[%u]={ptr=%lx, val=%lx}, count=%u", bad, done[bad],
					 reqs[bad][done[bad]].ptr, reqs[bad][done[bad]].val, counts[bad]);
	if (bad == (int)pages)
		report_hypercall_failure("multicall mmuext_op (W^X)", mc[bad].result,
					 "TLB_FLUSH_LOCAL, count=1");
	for (unsigned int i = 0; i < pages; i++)
		free_page(reqs[i]);
}

uint64_t direct_map_pte_maddr(const void *va)
{
	pte_t *pte = boot_pt_entry((unsigned long)va, L1_SHIFT);

	if (!pte || !(*pte & _PAGE_PRESENT) || virt_to_pfn(va) >= mapped_end)
		panic("%p is not in the direct map", va);
	return virt_to_machine(pte);
}

bool direct_map_writable(const void *va)
{
	pte_t *pte = boot_pt_entry((unsigned long)va, L1_SHIFT);

	return pte && (*pte & (_PAGE_PRESENT | _PAGE_RW)) == (_PAGE_PRESENT | _PAGE_RW);
}

uint64_t direct_map_pte(const void *va, bool writable)
{
	return (virt_to_mfn(va) << PAGE_SHIFT) | (writable ? KERNEL_PTE : KERNEL_PTE & ~_PAGE_RW);
}

unsigned long direct_map_pages(void)
{
	return mapped_end;
}
