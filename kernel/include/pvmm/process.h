/*
 * User processes: a process owns an mm and one or more tasks (threads)
 * that run in it. Programs are built into the image (user/programs/).
 */
#ifndef PVMM_PROCESS_H
#define PVMM_PROCESS_H

#include <stdbool.h>
#include <asm/traps.h>
#include <pvmm/file.h>
#include <pvmm/linux_state.h>
#include <pvmm/sched.h>

struct mm;
struct task;

struct process {
	int pid;
	struct process *parent;		/* NULL: the kernel started it, or adopted it (orphan) */
	bool orphan;			/* its parent exited first: reaped at its own exit */
	struct mm *mm;
	unsigned int threads;		/* live tasks */
	bool zombie;			/* every thread has exited */
	bool killed;			/* its threads exit at their next return to user mode */
	bool group_exit;		/* the same, ending with group_status (exit_group) */
	bool mm_borrowed;		/* vfork: mm is the parent's, until this process execs or exits */
	int group_status;
	int exit_status;		/* as wait4() reports it: EXIT_STATUS() or KILLED_STATUS() */
	int kill_signal;		/* why it was killed: SIGSEGV (a bad access), SIGKILL (stopped) */
	struct wait_queue child_wait;	/* its threads waiting for its children */
	struct task *spawn_waiter;	/* the kernel task waiting for this process (no parent) */
	const char *program;
	struct fd_table files;		/* shared by its threads */
	struct linux_state lstate;	/* what Linux's calls keep per process (<pvmm/linux_state.h>) */
};

/* A wait4() status: the process exited with @code, or was killed by signal @sig. */
#define EXIT_STATUS(code)	(((code) & 0xff) << 8)
#define KILLED_STATUS(sig)	((sig) & 0x7f)

/*
 * Start @program in a new process (from kernel code), with argv {program,
 * @arg in decimal}: its pid, or a negative errno.
 */
int process_spawn(const char *program, unsigned long arg, unsigned int cpu);
/* Start @path as Linux starts init: argv {path}, no environment. Its pid, or a negative errno. */
int process_spawn_init(const char *path, unsigned int cpu);
/*
 * Exec: @mm and @program are now @proc's, under proc_lock (process_mm()
 * must not grab the old mm once its teardown may have begun). False when
 * the old mm was a vfork parent's (whose vfork now returns): not the
 * caller's to tear down.
 */
bool process_exec_mm(struct process *proc, struct mm *mm, const char *program);
/* The mm of live process @pid with a reference (mm_drop() it when done), or NULL. */
struct mm *process_mm(int pid);
/*
 * Wait for process @pid started by process_spawn(): its exit code, or
 * EXIT_KILLED if a signal ended it.
 */
int process_wait_spawned(int pid);

/* Every program's stack: its top, and its size (all of it, from exec on: prlimit64's RLIMIT_STACK). */
#define USER_STACK_TOP	0x00007ffffff00000UL
#define USER_STACK_SIZE	(64 * 1024UL)

/* A new program's argv and envp strings, packed one after the other. */
#define EXEC_ARGS_MAX		3072	/* bytes of strings: with their pointers, one stack page */
#define EXEC_ARGS_STRINGS	64
struct exec_args {
	unsigned int argc, envc, len;
	char strings[EXEC_ARGS_MAX];
};
/* Append @s to argv (or envp when @env): 0, -E2BIG when full. */
long exec_args_add(struct exec_args *args, const char *s, bool env);
/* Copy a NUL-terminated user string of at most @size bytes, NUL included: 0, -EFAULT, -E2BIG. */
long user_string(unsigned long addr, char *buf, size_t size);
/* Exec @name with @args into the calling task's frame (exec.c): 0, or an error before any change. */
long do_exec(const char *name, const struct exec_args *args, struct cpu_regs *frame);

/* The system calls on processes (syscall.c dispatches them), Linux's semantics. */
long sys_execve(unsigned long upath, unsigned long uargv, unsigned long uenvp, struct cpu_regs *regs);
/* fork(2); clone(2)'s fork with CLONE_CHILD_SETTID's and CLONE_CHILD_CLEARTID's words (or 0). */
long process_fork(struct cpu_regs *regs, unsigned long child_tid, unsigned long clear_tid);
/* vfork(2): the child borrows the caller's mm; the caller waits until it execs or exits. */
long process_vfork(struct cpu_regs *regs);
long process_clone(const struct cpu_regs *regs, unsigned long flags, unsigned long newsp,
		   unsigned long uptid, unsigned long uctid, unsigned long tls);
long process_wait4(long pid, unsigned long ustatus, unsigned long options, unsigned long urusage);
long process_ppid(void);
/* The calling thread ends (@wstatus: EXIT_STATUS() or KILLED_STATUS()); the last one ends its process. */
void thread_exit(int wstatus) __noreturn;
/* exit_group: every thread of the calling process ends, with @wstatus. */
void process_exit_group(int wstatus) __noreturn;

/*
 * The domain is ending: kill every process and refuse new ones, then wait
 * until none has a thread left (each mm torn down by exit_mmap, as in any
 * exit). How many were killed. A thread held in the kernel (a test's
 * hand-off) is not woken: its process ends once the hold is released.
 */
int processes_stop_all(void);
/* Kill every process (reboot(2)); unlike processes_stop_all(), new ones may start and none is waited for. */
void processes_kill_all(void);

/* A process slot, with a fresh pid, for a child of @parent (NULL: the kernel's), or NULL. */
struct process *proc_alloc(struct process *parent);
/* Give back a slot that never ran (its pid was never handed out). */
void proc_free(struct process *p);

/* Entry points from the trap code. */
void do_syscall(struct cpu_regs *regs);
void user_trap(struct cpu_regs *regs, unsigned long fault_addr);
/* On every return to user mode: exit a thread of a killed process. */
void return_to_user(struct cpu_regs *regs);

/* The built-in programs (generated by the Makefile from user/programs/). */
struct user_program {
	const char *name;
	const unsigned char *image;	/* an ELF executable */
	unsigned long size;
};
const struct user_program *find_program(const char *name);

#endif
