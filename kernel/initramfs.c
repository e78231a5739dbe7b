/*
 * The initramfs (see <pvmm/initramfs.h>). The domain builder places the
 * ramdisk inside the bootstrap region, below the first frame the page
 * allocator hands out (arch/x86/xen/direct_map.c), so it stays where it
 * is for the guest's whole life and the index points into it: nothing is
 * copied. Only regular files are indexed; directories, device nodes and
 * links are skipped, since programs are all a process can be started from.
 */
#include <pvmm/cpio.h>
#include <pvmm/initramfs.h>
#include <pvmm/lib.h>
#include <pvmm/test.h>
#include <asm/page.h>
#include <asm/xen.h>

#define MAX_FILES	64
#define MAX_PATH	64

static struct user_program files[MAX_FILES];
static char paths[MAX_FILES][MAX_PATH];
static unsigned int nr_files;

/* Where the builder put the ramdisk: a virtual address, or a pfn when the flags say so. */
static const unsigned char *ramdisk_start(void)
{
	if (start_info->flags & SIF_MOD_START_PFN)
		return pfn_to_virt(start_info->mod_start);
	return (const unsigned char *)start_info->mod_start;
}

static void add_file(const struct cpio_entry *e)
{
	const char *name = e->name;
	size_t n;

	if (name[0] == '.' && name[1] == '/')
		name += 1;	/* "./init", as `find . | cpio` writes it, is /init */
	else if (name[0] == '.' && !name[1])
		return;
	n = strlen(name) + (name[0] != '/');
	if (n >= MAX_PATH)
		test_error("initramfs: path '%s' is longer than the %u bytes pvmm keeps", e->name, MAX_PATH - 1);
	if (nr_files == MAX_FILES)
		test_error("initramfs: more than %u regular files", MAX_FILES);
	snprintf(paths[nr_files], MAX_PATH, "%s%s", name[0] == '/' ? "" : "/", name);
	files[nr_files] = (struct user_program){ paths[nr_files], e->data, e->size };
	nr_files++;
}

void initramfs_init(void)
{
	const unsigned char *buf = ramdisk_start();
	size_t len = start_info->mod_len, off = 0;
	struct cpio_entry e;
	const char *why = NULL;
	enum cpio_status st;

	if (!start_info->mod_start || !len)
		return;
	while ((st = cpio_next(buf, len, &off, &e, &why)) == CPIO_ENTRY)
		if ((e.mode & CPIO_TYPE_MASK) == CPIO_REGULAR)
			add_file(&e);
	if (st == CPIO_BAD)
		test_error("initramfs: %lu-byte ramdisk, at byte %lu: %s", (unsigned long)len,
			   (unsigned long)off, why);
	printk("pvmm: initramfs: %u files in %lu bytes\n", nr_files, (unsigned long)len);
}

const struct user_program *initramfs_find(const char *path)
{
	for (unsigned int i = 0; i < nr_files; i++)
		if (!strcmp(paths[i], path))
			return &files[i];
	return NULL;
}

unsigned int initramfs_files(void)
{
	return nr_files;
}

const struct user_program *initramfs_file(unsigned int i)
{
	return i < nr_files ? &files[i] : NULL;
}
