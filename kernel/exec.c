/*
 * exec: a new mm with a built-in program loaded into it, entered the way
 * Linux enters a static program: %rsp on argc, then argv, envp and the
 * auxiliary vector, the strings above them (docs/syscalls.md).
 *
 * The mm is built unpinned (its tables written with plain stores) and
 * only pinned by its first load. So an exec that fails after creating it
 * (an unknown program, a bad image, no memory) tears down an mm that was
 * never pinned: no unpin, no writable remap, just frees.
 */
#include <xen/errno.h>
#include <linux/auxvec.h>
#include <pvmm/process.h>
#include <pvmm/elf.h>
#include <pvmm/initramfs.h>
#include <pvmm/sched.h>
#include <pvmm/lib.h>
#include <pvmm/vma.h>
#include <pv-mmu/mm.h>
#include <asm/page_alloc.h>
#include <asm/switch.h>
#include <asm/uaccess.h>

extern const struct user_program user_programs[];

/* A path names a file of the initramfs, or a built-in program as /NAME; a bare NAME, a built-in one. */
const struct user_program *find_program(const char *name)
{
	const struct user_program *p = initramfs_find(name);

	if (p)
		return p;
	if (name[0] == '/')
		name++;
	for (p = user_programs; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static long load_segment(struct mm *mm, const struct user_program *prog, const struct elf64_phdr *ph)
{
	unsigned long start = ph->vaddr & PAGE_MASK;
	unsigned long end = PAGE_ALIGN(ph->vaddr + ph->memsz);
	long rc;

	if (ph->offset + ph->filesz > prog->size || ph->filesz > ph->memsz || end > USER_END)
		return -XEN_EINVAL;
	rc = do_mmap_anon(mm, start, end - start, PROT_READ | (ph->flags & PF_W ? PROT_WRITE : 0));
	for (unsigned long va = start; !rc && va < end; va += PAGE_SIZE) {
		/* The part of the file image that falls in this page; the rest stays zero. */
		unsigned long from = va > ph->vaddr ? va : ph->vaddr;
		unsigned long to = ph->vaddr + ph->filesz < va + PAGE_SIZE ? ph->vaddr + ph->filesz :
			va + PAGE_SIZE;
		unsigned char *page = alloc_page();

		if (!page)
			return -XEN_ENOMEM;
		if (from < to)
			memcpy(page + (from - va), prog->image + ph->offset + (from - ph->vaddr), to - from);
		rc = install_user_page(mm, va, page);
		if (rc)
			free_page(page);
	}
	return rc;
}

/* What the new program's auxiliary vector says about its image. */
struct image_info {
	unsigned long entry;
	unsigned long phdr;	/* where its program headers are mapped, or 0 */
	unsigned long phnum;
	unsigned long end;	/* the end of its highest segment: the break starts after it */
};

static long load_program(struct mm *mm, const struct user_program *prog, struct image_info *info)
{
	const struct elf64_ehdr *eh = (const void *)prog->image;
	long rc = 0;

	if (prog->size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) ||
	    eh->type != ELF_TYPE_EXEC || eh->machine != ELF_MACHINE_X86_64 ||
	    eh->phoff + (unsigned long)eh->phnum * sizeof(struct elf64_phdr) > prog->size)
		return -XEN_ENOEXEC;	/* not an x86-64 executable, as Linux says */
	*info = (struct image_info){ .entry = eh->entry, .phnum = eh->phnum };
	for (unsigned int i = 0; !rc && i < eh->phnum; i++) {
		const struct elf64_phdr *ph = (const void *)(prog->image + eh->phoff) + i * sizeof(*ph);

		if (ph->type != PT_LOAD || !ph->memsz)
			continue;
		rc = load_segment(mm, prog, ph);
		/* The headers' address, as Linux finds it: in the segment that maps their file offset. */
		if (eh->phoff >= ph->offset && eh->phoff < ph->offset + ph->filesz)
			info->phdr = ph->vaddr + (eh->phoff - ph->offset);
		if (ph->vaddr + ph->memsz > info->end)
			info->end = ph->vaddr + ph->memsz;
	}
	if (!rc)
		rc = do_mmap_anon(mm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
				 PROT_READ | PROT_WRITE);
	return rc;
}

/*
 * The new program's first stack page, as Linux lays it out for a static
 * program: from %rsp up, argc, the argv pointers and a NULL, the envp
 * pointers and a NULL, the auxiliary vector, then AT_RANDOM's 16 bytes and
 * the strings themselves at the top. %rsp is 16-byte aligned. The strings
 * fit (exec_args_add() keeps them under EXEC_ARGS_MAX), so the page
 * always does. The vector gives what glibc's static start-up reads: its
 * headers (for its TLS block), the page size, the entry, the ids (all
 * root), AT_SECURE 0, and AT_RANDOM (its stack guard: without it, a
 * static glibc program dereferences NULL before main).
 */
#define AUXV_PAIRS	12

static void *initial_stack(const struct exec_args *args, const struct image_info *info,
			   unsigned long *rsp)
{
	char *page = alloc_page();	/* zeroed */
	unsigned long base = USER_STACK_TOP - PAGE_SIZE, strings, random, sp, *w;
	unsigned int words = 1 + args->argc + 1 + args->envc + 1 + 2 * AUXV_PAIRS;
	const char *s = args->strings;

	if (!page)
		return NULL;
	strings = PAGE_SIZE - ((args->len + 15) & ~15UL);
	memcpy(page + strings, args->strings, args->len);
	random = strings - 16;
	random_bytes(page + random, 16);
	sp = (random - words * sizeof(unsigned long)) & ~15UL;
	w = (unsigned long *)(page + sp);

	*w++ = args->argc;
	for (unsigned int i = 0; i < args->argc + args->envc; i++) {
		if (i == args->argc)
			*w++ = 0;	/* the end of argv */
		*w++ = base + strings + (s - args->strings);
		s += strlen(s) + 1;
	}
	if (!args->envc)
		*w++ = 0;
	*w++ = 0;			/* the end of envp */
#define AUX(type, value)	do { *w++ = (type); *w++ = (value); } while (0)
	AUX(AT_PHDR, info->phdr);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, info->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_ENTRY, info->entry);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, base + random);
	AUX(AT_NULL, 0);
#undef AUX
	*rsp = base + sp;
	return page;
}

long exec_args_add(struct exec_args *args, const char *s, bool env)
{
	size_t n = strlen(s) + 1;

	if (args->len + n > EXEC_ARGS_MAX || args->argc + args->envc >= EXEC_ARGS_STRINGS)
		return -XEN_E2BIG;
	if (!env && args->envc)
		return -XEN_EINVAL;	/* every argv string comes before the first envp one */
	memcpy(args->strings + args->len, s, n);
	args->len += n;
	if (env)
		args->envc++;
	else
		args->argc++;
	return 0;
}

long do_exec(const char *name, const struct exec_args *args, struct cpu_regs *frame)
{
	struct task *t = current_task();
	struct mm *new = mm_create(), *old = t->mm;
	const struct user_program *prog;
	struct image_info info;
	unsigned long rsp;
	void *stack;
	long rc;

	if (!new)
		return -XEN_ENOMEM;
	prog = find_program(name);
	rc = prog ? load_program(new, prog, &info) : -XEN_ENOENT;
	if (!rc) {
		stack = initial_stack(args, &info, &rsp);
		rc = stack ? install_user_page(new, USER_STACK_TOP - PAGE_SIZE, stack) : -XEN_ENOMEM;
		if (rc && stack)
			free_page(stack);
	}
	if (rc) {
		mm_destroy(new);	/* never pinned: torn down without an unpin */
		return rc;
	}
	t->mm = new;
	t->fs_base = 0;		/* no TLS until the program sets it: loaded with the new mm */
	linux_state_exec(&t->proc->lstate, prog->name, info.end);
	arch_activate_mm(t);
	/* Published once this vCPU has left the old mm: a vfork parent resumes in it from here. */
	if (process_exec_mm(t->proc, new, prog->name) && old)
		mm_destroy(old);
	fd_table_close(&t->proc->files, false);	/* O_CLOEXEC ones */

	*frame = (struct cpu_regs){
		.rip = info.entry,
		.cs = FLAT_USER_CS,
		.rflags = 0x202,	/* IF: events enabled in user mode */
		.rsp = rsp,
		.ss = FLAT_USER_SS,
	};
	return 0;
}

long user_string(unsigned long addr, char *buf, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		if (copy_from_user(&buf[i], addr + i, 1))
			return -XEN_EFAULT;
		if (!buf[i])
			return 0;
	}
	return -XEN_E2BIG;
}

/* A NULL-terminated user array of string pointers (NULL: none) into @args. */
static long user_strings(struct exec_args *args, unsigned long uarray, bool env, char *buf)
{
	for (unsigned long i = 0; uarray; i++) {
		unsigned long ustr;
		long rc;

		if (copy_from_user(&ustr, uarray + i * 8, 8))
			return -XEN_EFAULT;
		if (!ustr)
			return 0;
		rc = user_string(ustr, buf, EXEC_ARGS_MAX);
		if (!rc)
			rc = exec_args_add(args, buf, env);
		if (rc)
			return rc;
	}
	return 0;
}

long sys_execve(unsigned long upath, unsigned long uargv, unsigned long uenvp, struct cpu_regs *regs)
{
	struct exec_args *args = alloc_page();
	char *buf = alloc_page(), path[64];
	long rc;

	if (!args || !buf) {
		rc = -XEN_ENOMEM;
		goto out;
	}
	args->argc = args->envc = args->len = 0;
	rc = user_string(upath, path, sizeof(path));
	if (rc == -XEN_E2BIG)
		rc = -XEN_ENAMETOOLONG;
	if (!rc)
		rc = user_strings(args, uargv, false, buf);
	if (!rc)
		rc = user_strings(args, uenvp, true, buf);
	if (!rc && current_task()->proc->threads > 1)
		rc = -XEN_EBUSY;	/* Linux would end the other threads first: pvmm refuses */
	if (!rc)
		rc = do_exec(path, args, regs);
out:
	if (args)
		free_page(args);
	if (buf)
		free_page(buf);
	return rc;
}
