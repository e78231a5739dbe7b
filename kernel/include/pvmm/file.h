/*
 * Open files: a process's descriptor table (kernel/file.c) and what a
 * descriptor can name: the console, or one end of a pipe (kernel/pipe.c).
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

enum file_kind { FILE_CONSOLE, FILE_PIPE_READ, FILE_PIPE_WRITE };

struct file {
	enum file_kind kind;
	struct pipe *pipe;
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

/* The pipe objects (pipe.c): a ring of one page, readers and writers counted. */
struct pipe *pipe_create(void);
/* An end's file made, or its last reference gone: the last of both ends frees the pipe. */
void pipe_get(struct pipe *p, bool writer);
void pipe_put(struct pipe *p, bool writer);
/* Blocking read and write of user memory: bytes moved, 0 at end of file, or an errno. */
long pipe_read(struct pipe *p, unsigned long ubuf, unsigned long len);
long pipe_write(struct pipe *p, unsigned long ubuf, unsigned long len);

#endif
