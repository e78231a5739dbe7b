/*
 * The initramfs as a read-only file system: its regular files can be
 * opened, read, seeked and stat'ed, its directories (every prefix of a
 * file's path) stat'ed, as on a Linux whose root is mounted read-only.
 * The working directory is always / (pvmm has no chdir): a relative path
 * is taken from there, after any leading "./". Names are matched as
 * written: no "..", no "//", no links (the index keeps regular files only).
 * /proc/self/exe, the one link a static program reads, names the file the
 * process was exec'd from.
 */
#include <xen/errno.h>
#include <asm-generic/errno-base.h>	/* ENOTTY, ESPIPE: Linux's alone */
#include <asm-generic/fcntl.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/stat.h>
#include <asm/stat.h>
#include <pvmm/file.h>
#include <pvmm/initramfs.h>
#include <pvmm/lib.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <asm/page.h>
#include <asm/uaccess.h>

#define PATH_BYTES	256
#define SELF_EXE	"/proc/self/exe"

/*
 * The user path at @upath as an absolute one in @buf (PATH_BYTES): 0 or an
 * errno. An empty path is "" in @buf when @empty_ok (AT_EMPTY_PATH).
 */
static long user_path(long dirfd, unsigned long upath, char *buf, bool empty_ok)
{
	char rel[PATH_BYTES - 1];
	const char *p = rel;
	long rc = user_string(upath, rel, sizeof(rel));

	if (rc)
		return rc == -XEN_E2BIG ? -XEN_ENAMETOOLONG : rc;
	if (!*p) {
		buf[0] = 0;
		return empty_ok ? 0 : -XEN_ENOENT;
	}
	if (*p != '/' && dirfd != AT_FDCWD)
		return -XEN_ENOTDIR;	/* pvmm has no directory descriptors */
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (!strcmp(p, "."))
		p = "";
	snprintf(buf, PATH_BYTES, "%s%s", *p == '/' ? "" : "/", p);
	return 0;
}

/* A directory of the archive: the root, or a proper prefix of a file's path. */
static bool is_dir(const char *path)
{
	size_t n = strlen(path);

	if (!strcmp(path, "/"))
		return true;
	if (path[n - 1] == '/')
		n--;
	for (unsigned int i = 0; i < initramfs_files(); i++) {
		const char *name = initramfs_file(i)->name;

		if (!strncmp(name, path, n) && name[n] == '/')
			return true;
	}
	return false;
}

long sys_openat(long dirfd, unsigned long upath, unsigned long flags, unsigned long mode)
{
	char path[PATH_BYTES];
	struct file proto = { .kind = FILE_RAMFS };
	long rc = user_path(dirfd, upath, path, false);

	if (rc)
		return rc;
	proto.ramfs = initramfs_find(path);
	if (!proto.ramfs)
		return is_dir(path) ? -XEN_EISDIR : (flags & O_CREAT ? -XEN_EROFS : -XEN_ENOENT);
	if ((flags & O_ACCMODE) != O_RDONLY || flags & O_TRUNC)
		return -XEN_EROFS;
	if (flags & O_DIRECTORY)
		return -XEN_ENOTDIR;
	return fd_open(&proto, flags & O_CLOEXEC);
}

long ramfs_read(struct file *f, unsigned long ubuf, unsigned long len)
{
	unsigned long size = f->ramfs->size, pos, n, left;

	/* Claim [pos, pos + n) first: two readers of one file (dup, fork) never read the same bytes. */
	pos = __atomic_load_n(&f->pos, __ATOMIC_RELAXED);
	do {
		n = pos < size ? size - pos : 0;
		if (n > len)
			n = len;
	} while (!__atomic_compare_exchange_n(&f->pos, &pos, pos + n, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	left = n ? copy_to_user(ubuf, f->ramfs->image + pos, n) : 0;
	if (left && left == n)
		return -XEN_EFAULT;	/* a bad buffer: the claimed bytes stay read, as a fault leaves them */
	return n - left;
}

long sys_lseek(unsigned long fd, long off, unsigned long whence)
{
	struct file *f = fd_get(fd);
	long rc = -XEN_EINVAL, base;

	if (!f)
		return -XEN_EBADF;
	if (f->kind != FILE_RAMFS) {
		file_put(f);
		return -ESPIPE;	/* the console and pipes */
	}
	base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (long)f->pos :
	       whence == SEEK_END ? (long)f->ramfs->size : -1;
	if (base >= 0 && base + off >= 0) {
		rc = base + off;
		__atomic_store_n(&f->pos, rc, __ATOMIC_RELAXED);	/* against a read's claim */
	}
	file_put(f);
	return rc;
}

static void stat_of_file(struct stat *st, const struct user_program *p)
{
	*st = (struct stat){
		.st_ino = 2 + (p - initramfs_file(0)),	/* 1 is the root */
		.st_mode = S_IFREG | 0755,	/* newc keeps modes; pvmm's index does not */
		.st_nlink = 1,
		.st_size = p->size,
		.st_blksize = PAGE_SIZE,
		.st_blocks = (p->size + 511) / 512,
	};
}

static long put_stat(unsigned long ubuf, const struct stat *st)
{
	if (!user_range_ok(ubuf, sizeof(*st)) || copy_to_user(ubuf, st, sizeof(*st)))
		return -XEN_EFAULT;
	return 0;
}

long sys_fstat(unsigned long fd, unsigned long ubuf)
{
	struct file *f = fd_get(fd);
	struct stat st = { .st_nlink = 1, .st_blksize = PAGE_SIZE };

	if (!f)
		return -XEN_EBADF;
	if (f->kind == FILE_RAMFS)
		stat_of_file(&st, f->ramfs);
	else
		st.st_mode = f->kind == FILE_CONSOLE ? S_IFCHR | 0620 : S_IFIFO | 0600;
	file_put(f);
	return put_stat(ubuf, &st);
}

long sys_newfstatat(long dirfd, unsigned long upath, unsigned long ubuf, unsigned long flags)
{
	char path[PATH_BYTES];
	const struct user_program *p;
	struct stat st = { .st_ino = 1, .st_mode = S_IFDIR | 0755, .st_nlink = 2,
			   .st_blksize = PAGE_SIZE };
	long rc;

	if (flags & ~(unsigned long)(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -XEN_EINVAL;
	rc = user_path(dirfd, upath, path, flags & AT_EMPTY_PATH);
	if (rc)
		return rc;
	if (!path[0])
		return dirfd == AT_FDCWD ? put_stat(ubuf, &st) : sys_fstat(dirfd, ubuf);
	p = initramfs_find(path);
	if (p)
		stat_of_file(&st, p);
	else if (!is_dir(path))
		return -XEN_ENOENT;
	return put_stat(ubuf, &st);
}

/* readlink(2): /proc/self/exe is the program's path; the archive has no other link. */
long sys_readlink(unsigned long upath, unsigned long ubuf, unsigned long size)
{
	char path[PATH_BYTES], exe[PATH_BYTES];
	long rc = user_path(AT_FDCWD, upath, path, false);
	size_t n;

	if (rc)
		return rc;
	if (strcmp(path, SELF_EXE))
		return initramfs_find(path) || is_dir(path) ? -XEN_EINVAL : -XEN_ENOENT;
	if ((long)size <= 0)
		return -XEN_EINVAL;
	/* A built-in program's name has no slash: its path is /NAME (find_program()). */
	n = snprintf(exe, sizeof(exe), "%s%s", current_task()->proc->program[0] == '/' ? "" : "/",
		     current_task()->proc->program);
	if (n > size)
		n = size;	/* cut, with no NUL, as readlink(2) does */
	if (!user_range_ok(ubuf, n) || copy_to_user(ubuf, exe, n))
		return -XEN_EFAULT;
	return n;
}

/* getcwd(2): always the root. */
long sys_getcwd(unsigned long ubuf, unsigned long size)
{
	if (size < 2)
		return -XEN_ERANGE;
	if (!user_range_ok(ubuf, 2) || copy_to_user(ubuf, "/", 2))
		return -XEN_EFAULT;
	return 2;
}

/* ioctl(2): no descriptor of pvmm's is a terminal or a device: -ENOTTY for every request. */
long sys_ioctl(unsigned long fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -XEN_EBADF;
	file_put(f);
	return -ENOTTY;
}
