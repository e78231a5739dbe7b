/*
 * Descriptors (see <pvmm/file.h>). A file's references are the
 * descriptors naming it, in every table (fork shares them), plus one held
 * for each read or write in progress: a table's lock covers its slots,
 * and a file found there gains its reference before the lock is let go,
 * so a close by another thread meanwhile cannot free it under the call.
 * A pipe counts its ends' files, not their descriptors: an end is let go
 * with its file's last reference, which is when the other side sees end
 * of file or -EPIPE.
 *
 * The console is one file for everyone: writes go to Xen's console ring;
 * a read finds end of file (pvmm takes no console input).
 */
#include <xen/errno.h>
#include <asm-generic/errno-base.h>	/* EMFILE, ENFILE: Linux's alone */
#include <asm-generic/fcntl.h>
#include <pvmm/file.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <asm/console.h>
#include <asm/uaccess.h>

#define MAX_FILES	256	/* open pipe ends, in all processes */
#define STDERR		2

static struct file console_file = { .kind = FILE_CONSOLE, .refs = 1 };
static struct file files[MAX_FILES];
static spinlock_t files_lock = SPINLOCK_INIT;

static struct file *file_alloc(enum file_kind kind, struct pipe *pipe)
{
	unsigned long flags = spin_lock_irqsave(&files_lock);
	struct file *f = NULL;

	for (unsigned int i = 0; i < MAX_FILES && !f; i++)
		if (!files[i].refs)
			f = &files[i];
	if (f)
		*f = (struct file){ .kind = kind, .pipe = pipe, .refs = 1 };
	spin_unlock_irqrestore(&files_lock, flags);
	return f;
}

static void file_get(struct file *f)
{
	__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
	/*
	 * Read while this reference holds the slot: from the drop of the
	 * last one, file_alloc() on another vCPU may give the slot to a new
	 * file, and its kind and pipe read after that would put the new
	 * file's pipe end instead of this one's (which then never goes).
	 */
	enum file_kind kind = f->kind;
	struct pipe *pipe = f->pipe;

	if (f == &console_file)
		return;
	if (__atomic_fetch_sub(&f->refs, 1, __ATOMIC_ACQ_REL) == 1 && kind != FILE_RAMFS)
		pipe_put(pipe, kind == FILE_PIPE_WRITE);
}

static struct fd_table *my_table(void)
{
	return &current_task()->proc->files;
}

struct file *fd_get(unsigned long fd)
{
	struct fd_table *t = my_table();
	struct file *f = NULL;
	unsigned long flags;

	if (fd >= MAX_FDS)
		return NULL;
	flags = spin_lock_irqsave(&t->lock);
	f = t->fd[fd];
	if (f)
		file_get(f);
	spin_unlock_irqrestore(&t->lock, flags);
	return f;
}

void fd_table_init(struct fd_table *t)
{
	*t = (struct fd_table){ .lock = SPINLOCK_INIT };
	for (unsigned int fd = 0; fd <= STDERR; fd++)
		t->fd[fd] = &console_file;
}

void fd_table_copy(struct fd_table *dst, struct fd_table *s)
{
	unsigned long flags = spin_lock_irqsave(&s->lock);

	*dst = (struct fd_table){ .lock = SPINLOCK_INIT };
	for (unsigned int fd = 0; fd < MAX_FDS; fd++) {
		dst->fd[fd] = s->fd[fd];
		dst->cloexec[fd] = s->cloexec[fd];
		if (dst->fd[fd])
			file_get(dst->fd[fd]);
	}
	spin_unlock_irqrestore(&s->lock, flags);
}

void fd_table_close(struct fd_table *t, bool all)
{
	for (unsigned int fd = 0; fd < MAX_FDS; fd++) {
		unsigned long flags = spin_lock_irqsave(&t->lock);
		struct file *f = all || t->cloexec[fd] ? t->fd[fd] : NULL;

		if (f) {
			t->fd[fd] = NULL;
			t->cloexec[fd] = false;
		}
		spin_unlock_irqrestore(&t->lock, flags);
		if (f)
			file_put(f);
	}
}

static long write_console(unsigned long buf, unsigned long len)
{
	char kbuf[256];
	unsigned long done = 0;

	while (done < len) {
		unsigned long n = len - done < sizeof(kbuf) ? len - done : sizeof(kbuf);
		unsigned long copied = n - copy_from_user(kbuf, buf + done, n);

		console_write(kbuf, copied);
		done += copied;
		if (copied < n)	/* unmapped meanwhile by another thread */
			return done ? (long)done : -XEN_EFAULT;
	}
	return len;
}

/* read(2) and write(2): the file at @fd, the right end of it, then its kind's own transfer. */
static long fd_transfer(unsigned long fd, unsigned long buf, unsigned long len, bool write)
{
	struct file *f = fd_get(fd);
	long rc;

	if (!f)
		return -XEN_EBADF;
	if (!user_range_ok(buf, len))
		rc = -XEN_EFAULT;
	else if (f->kind == FILE_CONSOLE)
		rc = write ? write_console(buf, len) : 0;	/* no console input: end of file */
	else if (f->kind == FILE_RAMFS)
		rc = write ? -XEN_EBADF : ramfs_read(f, buf, len);	/* opened for reading only */
	else if (f->kind == (write ? FILE_PIPE_WRITE : FILE_PIPE_READ))
		rc = write ? pipe_write(f->pipe, buf, len) : pipe_read(f->pipe, buf, len);
	else
		rc = -XEN_EBADF;	/* the pipe's other end */
	file_put(f);
	return rc;
}

long sys_write(unsigned long fd, unsigned long buf, unsigned long len)
{
	return fd_transfer(fd, buf, len, true);
}

long sys_read(unsigned long fd, unsigned long buf, unsigned long len)
{
	return fd_transfer(fd, buf, len, false);
}

long sys_close(unsigned long fd)
{
	struct fd_table *t = my_table();
	struct file *f = NULL;
	unsigned long flags;

	if (fd >= MAX_FDS)
		return -XEN_EBADF;
	flags = spin_lock_irqsave(&t->lock);
	f = t->fd[fd];
	t->fd[fd] = NULL;
	t->cloexec[fd] = false;
	spin_unlock_irqrestore(&t->lock, flags);
	if (!f)
		return -XEN_EBADF;
	file_put(f);
	return 0;
}

/* The lowest free descriptor, set to @f; -EMFILE if none. */
static long fd_install(struct fd_table *t, struct file *f, bool cloexec)
{
	unsigned long flags = spin_lock_irqsave(&t->lock);
	long fd = -EMFILE;

	for (unsigned int i = 0; i < MAX_FDS; i++) {
		if (!t->fd[i]) {
			t->fd[i] = f;
			t->cloexec[i] = cloexec;
			fd = i;
			break;
		}
	}
	spin_unlock_irqrestore(&t->lock, flags);
	return fd;
}

/* pipe2(2): flags 0 or O_CLOEXEC (no O_NONBLOCK, no O_DIRECT). */
long sys_pipe2(unsigned long ufds, unsigned long flags)
{
	struct fd_table *t = my_table();
	struct pipe *p;
	struct file *r, *w;
	int fds[2];

	if (flags & ~(unsigned long)O_CLOEXEC)
		return -XEN_EINVAL;
	if (!user_range_ok(ufds, sizeof(fds)))
		return -XEN_EFAULT;
	p = pipe_create();
	if (!p)
		return -XEN_ENOMEM;
	pipe_get(p, false);
	pipe_get(p, true);
	r = file_alloc(FILE_PIPE_READ, p);
	w = r ? file_alloc(FILE_PIPE_WRITE, p) : NULL;
	if (!w) {
		if (r)
			file_put(r);	/* the pipe's read end goes with its file */
		else
			pipe_put(p, false);
		pipe_put(p, true);	/* the last end: the pipe is freed */
		return -ENFILE;
	}
	fds[0] = fd_install(t, r, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(t, w, flags & O_CLOEXEC);
	if (fds[1] < 0 || copy_to_user(ufds, fds, sizeof(fds))) {
		long rc = fds[1] < 0 ? fds[1] : -XEN_EFAULT;

		if (fds[0] >= 0)
			sys_close(fds[0]);
		else
			file_put(r);
		if (fds[1] >= 0)
			sys_close(fds[1]);
		else
			file_put(w);
		return rc;
	}
	return 0;
}

long fd_open(const struct file *proto, bool cloexec)
{
	struct file *f = file_alloc(proto->kind, proto->pipe);
	long fd;

	if (!f)
		return -ENFILE;
	f->ramfs = proto->ramfs;
	fd = fd_install(my_table(), f, cloexec);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_dup(unsigned long oldfd)
{
	struct file *f = fd_get(oldfd);
	long fd;

	if (!f)
		return -XEN_EBADF;
	fd = fd_install(my_table(), f, false);	/* the reference fd_get() took is the new descriptor's */
	if (fd < 0)
		file_put(f);
	return fd;
}

/*
 * dup3(2): @newfd names @oldfd's file, whatever it named before (closed
 * after the table's lock is let go, as in any close).
 */
long sys_dup3(unsigned long oldfd, unsigned long newfd, unsigned long flags)
{
	struct fd_table *t = my_table();
	struct file *f, *old;
	unsigned long irq;

	if (flags & ~(unsigned long)O_CLOEXEC || oldfd == newfd)
		return -XEN_EINVAL;
	if (newfd >= MAX_FDS)
		return -XEN_EBADF;
	f = fd_get(oldfd);
	if (!f)
		return -XEN_EBADF;
	irq = spin_lock_irqsave(&t->lock);
	old = t->fd[newfd];
	t->fd[newfd] = f;	/* with the reference fd_get() took */
	t->cloexec[newfd] = flags & O_CLOEXEC;
	spin_unlock_irqrestore(&t->lock, irq);
	if (old)
		file_put(old);
	return newfd;
}

long sys_dup2(unsigned long oldfd, unsigned long newfd)
{
	struct file *f;

	if (oldfd != newfd)
		return sys_dup3(oldfd, newfd, 0);
	f = fd_get(oldfd);
	if (!f)
		return -XEN_EBADF;
	file_put(f);
	return newfd;
}
