/*
 * exec: a new mm with a built-in program loaded into it.
 *
 * The mm is built unpinned (its tables written with plain stores) and
 * only pinned by its first load. So an exec that fails after creating it
 * (an unknown program, a bad image, no memory) tears down an mm that was
 * never pinned: no unpin, no writable remap, just frees.
 */
#include <xen/errno.h>
#include <pvmm/process.h>
#include <pvmm/elf.h>
#include <pvmm/sched.h>
#include <pvmm/lib.h>
#include <pvmm/vma.h>
#include <pv-mmu/mm.h>
#include <asm/page_alloc.h>
#include <asm/switch.h>

#define USER_STACK_TOP	0x00007ffffff00000UL
#define USER_STACK_SIZE	(64 * 1024UL)

extern const struct user_program user_programs[];

const struct user_program *find_program(const char *name)
{
	for (const struct user_program *p = user_programs; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static long load_segment(struct mm *mm, const struct user_program *prog, const struct elf64_phdr *ph)
{
	unsigned long start = ph->vaddr & PAGE_MASK;
	unsigned long end = (ph->vaddr + ph->memsz + PAGE_SIZE - 1) & PAGE_MASK;
	long rc;

	if (ph->offset + ph->filesz > prog->size || ph->filesz > ph->memsz || end > USER_END)
		return -XEN_EINVAL;
	rc = do_mmap_anon(mm, start, end - start, PROT_READ | (ph->flags & PF_W ? PROT_WRITE : 0));
	for (unsigned long va = start; !rc && va < end; va += PAGE_SIZE) {
		unsigned char *page = alloc_page();

		if (!page)
			return -XEN_ENOMEM;
		/* The part of the file image that falls in this page; the rest stays zero. */
		for (unsigned long off = 0; off < PAGE_SIZE; off++) {
			unsigned long addr = va + off;

			if (addr >= ph->vaddr && addr < ph->vaddr + ph->filesz)
				page[off] = prog->image[ph->offset + (addr - ph->vaddr)];
		}
		rc = install_user_page(mm, va, page);
		if (rc)
			free_page(page);
	}
	return rc;
}

static long load_program(struct mm *mm, const struct user_program *prog, unsigned long *entry)
{
	const struct elf64_ehdr *eh = (const void *)prog->image;
	long rc = 0;

	if (prog->size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) ||
	    eh->type != ELF_TYPE_EXEC || eh->machine != ELF_MACHINE_X86_64 ||
	    eh->phoff + (unsigned long)eh->phnum * sizeof(struct elf64_phdr) > prog->size)
		return -XEN_EINVAL;
	for (unsigned int i = 0; !rc && i < eh->phnum; i++) {
		const struct elf64_phdr *ph = (const void *)(prog->image + eh->phoff) + i * sizeof(*ph);

		if (ph->type == PT_LOAD && ph->memsz)
			rc = load_segment(mm, prog, ph);
	}
	if (!rc)
		rc = do_mmap_anon(mm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
				 PROT_READ | PROT_WRITE);
	*entry = eh->entry;
	return rc;
}

long do_exec(const char *name, unsigned long arg, struct cpu_regs *frame)
{
	struct task *t = current_task();
	struct mm *new = mm_create(), *old = t->mm;
	const struct user_program *prog;
	unsigned long entry;
	long rc;

	if (!new)
		return -XEN_ENOMEM;
	prog = find_program(name);
	rc = prog ? load_program(new, prog, &entry) : -XEN_ENOENT;
	if (rc) {
		mm_destroy(new);	/* never pinned: torn down without an unpin */
		return rc;
	}
	t->mm = new;
	process_exec_mm(t->proc, new, prog->name);
	arch_activate_mm(t);
	if (old)
		mm_destroy(old);

	*frame = (struct cpu_regs){
		.rip = entry,
		.cs = FLAT_USER_CS,
		.rflags = 0x202,	/* IF: events enabled in user mode */
		.rsp = USER_STACK_TOP - 8,
		.ss = FLAT_USER_SS,
		.rdi = arg,
	};
	return 0;
}
