/*
 * vmas: which user addresses a process may touch, and how (see
 * <pvmm/vma.h>). Each operation takes the mm's lock, changes the vmas,
 * then has the PV MMU change the page tables to match.
 */
#include <xen/errno.h>
#include <linux/mman.h>
#include <pvmm/sched.h>
#include <pvmm/vma.h>
#include <asm/page.h>
#include <asm/page_alloc.h>
#include <pv-mmu/mm.h>

static const struct vma *find_vma(const struct mm *mm, unsigned long va)
{
	for (unsigned int i = 0; i < mm->vmas.nr; i++)
		if (va >= mm->vmas.vma[i].start && va < mm->vmas.vma[i].end)
			return &mm->vmas.vma[i];
	return NULL;
}

static bool range_ok(unsigned long start, unsigned long len)
{
	return !(start & ~PAGE_MASK) && len && !(len & ~PAGE_MASK) && start < USER_END &&
	       len <= USER_END - start;
}

/* Split a vma at @addr so that ranges starting or ending there are whole vmas; false if out of slots. */
static bool vma_split_at(struct vma_list *l, unsigned long addr)
{
	for (unsigned int i = 0; i < l->nr; i++) {
		struct vma *v = &l->vma[i];

		if (addr > v->start && addr < v->end) {
			if (l->nr == MAX_VMAS)
				return false;
			l->vma[l->nr] = *v;
			l->vma[l->nr++].start = addr;
			v->end = addr;
			return true;
		}
	}
	return true;
}

/* Add [start, start + len) as a vma, unless it overlaps one. Lock held. */
static long insert_vma(struct vma_list *l, unsigned long start, unsigned long len, unsigned int prot)
{
	if (!range_ok(start, len))
		return -XEN_EINVAL;
	for (unsigned int i = 0; i < l->nr; i++)
		if (start < l->vma[i].end && start + len > l->vma[i].start)
			return -XEN_EEXIST;
	if (l->nr == MAX_VMAS)
		return -XEN_ENOMEM;
	l->vma[l->nr++] = (struct vma){ start, start + len, prot, l->fault_around ? l->fault_around : 1 };
	return 0;
}

long do_mmap_anon(struct mm *mm, unsigned long start, unsigned long len, unsigned int prot)
{
	unsigned long flags = spin_lock_irqsave(&mm->lock);
	long rc = insert_vma(&mm->vmas, start, len, prot);

	spin_unlock_irqrestore(&mm->lock, flags);
	return rc;
}

/*
 * Where a new mapping of @len bytes goes: as Linux's top-down allocator,
 * the highest address below MMAP_TOP (and above MMAP_FLOOR) whose range
 * keeps a guard page from every vma on both sides; 0 if none is free. A
 * range munmap left is found again: first fit from the top, so the
 * address space is reused rather than only ever growing down. Each vma in
 * the way moves the candidate below it, so at most nr + 1 tries.
 */
static unsigned long free_area(const struct vma_list *l, unsigned long len)
{
	unsigned long end = MMAP_TOP;

	for (unsigned int tries = 0; tries <= l->nr; tries++) {
		unsigned long start = end - len;
		const struct vma *below = NULL;

		if (len > end - MMAP_FLOOR)
			return 0;
		/* Of the vmas the candidate (with its guards) meets, the lowest. */
		for (unsigned int i = 0; i < l->nr; i++) {
			const struct vma *v = &l->vma[i];

			if (v->start < end + PAGE_SIZE && v->end + PAGE_SIZE > start &&
			    (!below || v->start < below->start))
				below = v;
		}
		if (!below)
			return start;
		end = below->start - PAGE_SIZE;
		if (below->start < MMAP_FLOOR + PAGE_SIZE)
			return 0;
	}
	return 0;
}

/* The address is picked under the lock: two threads' mmaps never get the same one. */
long mmap_anon(struct mm *mm, unsigned long len, unsigned int prot)
{
	unsigned long flags = spin_lock_irqsave(&mm->lock);
	unsigned long start = free_area(&mm->vmas, len);
	long rc = start ? insert_vma(&mm->vmas, start, len, prot) : -XEN_ENOMEM;

	spin_unlock_irqrestore(&mm->lock, flags);
	return rc ? rc : (long)start;
}

long install_user_page(struct mm *mm, unsigned long va, void *page)
{
	unsigned long flags = spin_lock_irqsave(&mm->lock);
	const struct vma *v = find_vma(mm, va);
	long rc = v ? mm_map_page(mm, va, page, v->prot & PROT_WRITE) : -XEN_EFAULT;

	spin_unlock_irqrestore(&mm->lock, flags);
	return rc;
}

long set_fault_around(struct mm *mm, unsigned long pages)
{
	unsigned long flags;

	if (!pages || pages > FAULT_AROUND_MAX || (pages & (pages - 1)))
		return -XEN_EINVAL;
	flags = spin_lock_irqsave(&mm->lock);
	mm->vmas.fault_around = pages;
	spin_unlock_irqrestore(&mm->lock, flags);
	return 0;
}

/*
 * A demand fault at @va in @v, which maps v->fault_around pages: the
 * aligned block around @va, within the vma, allocated and mapped in one
 * batch (mm_map_batch(): one multicall), pages mapped already skipped.
 * Anonymous memory, so each page is a zeroed allocation: what the fault
 * saves in exceptions and hypercalls it pays in memory for neighbours the
 * program may never touch (docs/bench.md has both at 1, 4 and 16). A
 * mapping that does not ask for it (fault_around 1, the default) is never
 * touched by another's fault: the block never leaves the vma. 0, or
 * -XEN_ENOMEM when not even the faulting page could be had.
 */
static long fault_around(struct mm *mm, const struct vma *v, unsigned long va)
{
	unsigned long block = v->fault_around * PAGE_SIZE;
	unsigned long start = va & ~(block - 1), end = start + block;
	void *pages[FAULT_AROUND_MAX];
	unsigned int n = 0, at;
	long rc = 0;

	if (start < v->start)
		start = v->start;
	if (end > v->end)
		end = v->end;
	at = (va - start) >> PAGE_SHIFT;
	while (start + n * PAGE_SIZE < end && (pages[n] = alloc_page()))
		n++;
	if (n <= at) {
		/* Short of memory: the faulting page alone, if it can be had. */
		while (n)
			free_page(pages[--n]);
		start = va;
		if (!(pages[0] = alloc_page()))
			return -XEN_ENOMEM;
		n = 1;
		at = 0;
	}
	mm_map_batch(mm, start, pages, n, v->prot & PROT_WRITE);
	/* The faulting page left over: mapped already by another thread, or no table for it. */
	if (pages[at] && (rc = mm_map_page(mm, va, pages[at], v->prot & PROT_WRITE)) == 0)
		pages[at] = NULL;
	for (unsigned int i = 0; i < n; i++)
		if (pages[i])
			free_page(pages[i]);	/* its address was mapped already */
	return rc == -XEN_EEXIST ? 0 : rc;
}

long handle_mm_fault(struct mm *mm, unsigned long va, bool write)
{
	unsigned long flags = spin_lock_irqsave(&mm->lock);
	const struct vma *v = find_vma(mm, va);
	void *page = NULL;
	long rc = 0;

	if (!v || !(v->prot & PROT_READ) || (write && !(v->prot & PROT_WRITE)))
		rc = -XEN_EFAULT;
	else if (write && (rc = mm_break_cow(mm, va)) != -XEN_ENOENT)
		;		/* a page was there, read-only: shared copy-on-write */
	else if (v->fault_around > 1)
		rc = fault_around(mm, v, va & PAGE_MASK);
	else if (!(page = alloc_page()))
		rc = -XEN_ENOMEM;
	else
		rc = mm_map_page(mm, va, page, v->prot & PROT_WRITE);
	if (rc && page)
		free_page(page);
	if (rc == -XEN_EEXIST)
		rc = 0;		/* resolved by another thread */
	spin_unlock_irqrestore(&mm->lock, flags);
	return rc;
}

/* Drop the vmas and pages of [start, end), a valid range. Lock held. */
static long unmap_locked(struct mm *mm, unsigned long start, unsigned long end)
{
	struct vma_list *l = &mm->vmas;

	if (!vma_split_at(l, start) || !vma_split_at(l, end))
		return -XEN_ENOMEM;
	for (unsigned int i = 0; i < l->nr;) {
		if (l->vma[i].start >= start && l->vma[i].end <= end)
			l->vma[i] = l->vma[--l->nr];
		else
			i++;
	}
	mm_zap_range(mm, start, end);
	return 0;
}

/*
 * [start, start + len) unmapped and, with @insert, mapped anew with @prot
 * (MAP_FIXED), in one hold of the lock: no other thread's mmap can take
 * the hole in between.
 */
static long remap_range(struct mm *mm, unsigned long start, unsigned long len, bool insert,
			unsigned int prot)
{
	unsigned long flags;
	long rc;

	if (!range_ok(start, len))
		return -XEN_EINVAL;
	flags = spin_lock_irqsave(&mm->lock);
	rc = unmap_locked(mm, start, start + len);
	if (!rc && insert)
		rc = insert_vma(&mm->vmas, start, len, prot);
	spin_unlock_irqrestore(&mm->lock, flags);
	return rc;
}

#define MMAP_PROTS	(PROT_READ | PROT_WRITE | PROT_EXEC)
#define MMAP_FLAGS	(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_FIXED_NOREPLACE | MAP_POPULATE)
/* Pages MAP_POPULATE maps per batch: as many updates as one mmu_update entry of a batch holds. */
#define POPULATE_CHUNK	64

/*
 * MAP_POPULATE: every page of [start, end) allocated and mapped now, a
 * chunk at a time, each chunk's PTE writes queued in one lazy-MMU section
 * and so issued as one multicall; events open between chunks. What it
 * buys: a 64-page mapping costs one hypercall instead of a fault (an
 * exception, a PTE update, an iret) per page. What it costs: memory for
 * pages the program may never touch, allocated up front. As in Linux, a
 * page it cannot populate (no memory, unmapped meanwhile by another
 * thread) is left to fault in on demand, and the mmap succeeds.
 */
static void populate(struct mm *mm, unsigned long start, unsigned long end)
{
	void *pages[POPULATE_CHUNK];

	while (start < end) {
		unsigned long flags = spin_lock_irqsave(&mm->lock);
		const struct vma *v = find_vma(mm, start);
		unsigned int n = 0;

		/* Up to a chunk, within one vma (unmapped or changed meanwhile: what is left). */
		while (v && v->prot & PROT_READ && n < POPULATE_CHUNK && start + n * PAGE_SIZE < end &&
		       start + n * PAGE_SIZE < v->end && (pages[n] = alloc_page()))
			n++;
		if (n)
			mm_map_batch(mm, start, pages, n, v->prot & PROT_WRITE);
		spin_unlock_irqrestore(&mm->lock, flags);
		for (unsigned int i = 0; i < n; i++)
			if (pages[i])
				free_page(pages[i]);	/* its address was mapped already */
		if (!n)
			return;
		start += n * PAGE_SIZE;
	}
}

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
	      unsigned long fd, unsigned long off)
{
	struct mm *mm = current_task()->mm;
	long rc;

	if (prot & ~(unsigned long)MMAP_PROTS || flags & ~(unsigned long)MMAP_FLAGS ||
	    (flags & (MAP_PRIVATE | MAP_ANONYMOUS)) != (MAP_PRIVATE | MAP_ANONYMOUS))
		return -XEN_EINVAL;
	if (prot & PROT_EXEC)
		prot |= PROT_READ;
	prot &= PROT_READ | PROT_WRITE;
	/* Linux's answers, in its order: no length, no room, then an unaligned fixed address. */
	if (!len)
		return -XEN_EINVAL;
	if (len > USER_END)
		return -XEN_ENOMEM;
	len = PAGE_ALIGN(len);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) && addr > USER_END - len)
		return -XEN_ENOMEM;
	if (flags & MAP_FIXED) {
		rc = remap_range(mm, addr, len, true, prot);
		rc = rc ? rc : (long)addr;
	} else if (flags & MAP_FIXED_NOREPLACE) {
		rc = do_mmap_anon(mm, addr, len, prot);
		rc = rc ? rc : (long)addr;
	} else {
		rc = mmap_anon(mm, len, prot);
	}
	if (rc >= 0 && flags & MAP_POPULATE)
		populate(mm, rc, rc + len);
	return rc;
}

/* As Linux: the length is rounded up to whole pages; a range outside user space is -EINVAL. */
long do_munmap(struct mm *mm, unsigned long start, unsigned long len)
{
	if (start & ~PAGE_MASK || start > USER_END || len > USER_END - start || !len)
		return -XEN_EINVAL;
	return remap_range(mm, start, PAGE_ALIGN(len), false, 0);
}

long do_mprotect(struct mm *mm, unsigned long start, unsigned long len, unsigned int prot)
{
	struct vma_list *l = &mm->vmas;
	unsigned long flags, end, covered = 0;
	long rc = 0;

	/*
	 * As Linux: an unaligned start is -EINVAL, no length is nothing to do,
	 * the length is rounded up, and a range that wraps or leaves user
	 * space has no vma there: -ENOMEM.
	 */
	if (start & ~PAGE_MASK || !(prot & PROT_READ))
		return -XEN_EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start || end > USER_END)
		return -XEN_ENOMEM;
	flags = spin_lock_irqsave(&mm->lock);
	for (unsigned int i = 0; i < l->nr; i++)
		if (l->vma[i].start < end && l->vma[i].end > start)
			covered += (l->vma[i].end < end ? l->vma[i].end : end) -
				   (l->vma[i].start > start ? l->vma[i].start : start);
	if (covered != len) {
		rc = -XEN_ENOMEM;	/* as mprotect(2): part of the range is not mapped */
		goto out;
	}
	if (!vma_split_at(l, start) || !vma_split_at(l, end)) {
		rc = -XEN_ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < l->nr; i++)
		if (l->vma[i].start >= start && l->vma[i].end <= end)
			l->vma[i].prot = prot;
	mm_protect_range(mm, start, end, prot & PROT_WRITE);
out:
	spin_unlock_irqrestore(&mm->lock, flags);
	return rc;
}
