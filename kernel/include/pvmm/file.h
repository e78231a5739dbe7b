/*
 * Open files: a process's descriptor table (kernel/file.c) and what a
 * descriptor can name: the console, one end of a pipe (kernel/pipe.c), or
 * a regular file of the initramfs opened for reading (kernel/ramfs.c).
 * Threads share their process's table; fork copies it; exec keeps it,
 * less the descriptors opened with O_CLOEXEC; the last thread's exit
 * closes it.
 */
#ifndef PVMM_FILE_H
#define PVMM_FILE_H

#include <stdbool.h>
#include <pvmm/spinlock.h>

#define MAX_FDS		32

struct pipe;
struct user_program;

enum file_kind { FILE_CONSOLE, FILE_PIPE_READ, FILE_PIPE_WRITE, FILE_RAMFS };

struct file {
	enum file_kind kind;
	struct pipe *pipe;
	const struct user_program *ramfs;	/* FILE_RAMFS: the file of the initramfs */
	unsigned long pos;		/* FILE_RAMFS: the offset, shared by its descriptors (dup) */
	unsigned int refs;		/* descriptors naming it, in every table, and calls using it */
};

struct fd_table {
	spinlock_t lock;
	struct file *fd[MAX_FDS];
	bool cloexec[MAX_FDS];
};

/* A new process's table: 0, 1 and 2 the console. */
void fd_table_init(struct fd_table *t);
/* @dst a copy of @src (fork), taken under @src's lock: every file gains a reference. */
void fd_table_copy(struct fd_table *dst, struct fd_table *src);
/* Close what exec closes (O_CLOEXEC), or everything (@all: the process is gone). */
void fd_table_close(struct fd_table *t, bool all);

/* The system calls on descriptors, Linux's semantics (docs/syscalls.md). */
long sys_read(unsigned long fd, unsigned long buf, unsigned long len);
long sys_write(unsigned long fd, unsigned long buf, unsigned long len);
long sys_close(unsigned long fd);
long sys_pipe2(unsigned long ufds, unsigned long flags);
long sys_dup(unsigned long fd);
long sys_dup3(unsigned long oldfd, unsigned long newfd, unsigned long flags);
/* dup2(2): dup3() without flags, and @newfd == @oldfd allowed (then only checked). */
long sys_dup2(unsigned long oldfd, unsigned long newfd);

/* The initramfs's files, read-only (ramfs.c); the working directory is always /. */
long sys_openat(long dirfd, unsigned long upath, unsigned long flags, unsigned long mode);
long sys_lseek(unsigned long fd, long off, unsigned long whence);
long sys_fstat(unsigned long fd, unsigned long ubuf);
long sys_newfstatat(long dirfd, unsigned long upath, unsigned long ubuf, unsigned long flags);
long sys_readlink(unsigned long upath, unsigned long ubuf, unsigned long size);
long sys_getcwd(unsigned long ubuf, unsigned long size);
long sys_ioctl(unsigned long fd);

/* The file at @fd of the caller's table, with a reference to file_put() once done, or NULL. */
struct file *fd_get(unsigned long fd);
void file_put(struct file *f);
/* A new file like @proto at the caller's lowest free descriptor: the descriptor, or an errno. */
long fd_open(const struct file *proto, bool cloexec);
/* read(2) of a FILE_RAMFS file (ramfs.c). */
long ramfs_read(struct file *f, unsigned long ubuf, unsigned long len);

/* The pipe objects (pipe.c): a ring of one page, readers and writers counted. */
struct pipe *pipe_create(void);
/* An end's file made, or its last reference gone: the last of both ends frees the pipe. */
void pipe_get(struct pipe *p, bool writer);
void pipe_put(struct pipe *p, bool writer);
/* Blocking read and write of user memory: bytes moved, 0 at end of file, or an errno. */
long pipe_read(struct pipe *p, unsigned long ubuf, unsigned long len);
long pipe_write(struct pipe *p, unsigned long ubuf, unsigned long len);

#endif
