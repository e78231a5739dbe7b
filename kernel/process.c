/*
 * Processes and their system calls (see <pvmm/process.h>).
 *
 * proc_lock protects the process table: pids, parent links, thread
 * counts, zombie state. A process's mm is torn down by its last thread,
 * on its way out, so that exit_mmap never races with a thread still using
 * the mm; the thread's task is freed by the scheduler once it has switched
 * away, and the process slot by whoever waits for it.
 */
#include <xen/errno.h>
#include <uapi/pvmm_syscall.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <asm/signal.h>
#include <hypercall/hypercall.h>
#include <pvmm/bug.h>
#include <pvmm/futex.h>
#include <pvmm/lib.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <pvmm/spinlock.h>
#include <pvmm/test.h>
#include <pvmm/vma.h>
#include <pv-mmu/mm.h>
#include <asm/page_alloc.h>
#include <asm/switch.h>
#include <asm/console.h>
#include <asm/uaccess.h>

#define MAX_PROCS	128

static struct process procs[MAX_PROCS];
static spinlock_t proc_lock = SPINLOCK_INIT;
static int last_pid;
/* The domain is ending: no new process (processes_stop_all()). */
static bool stopping;
/* Whoever waits for every process to be gone. */
static struct wait_queue process_end_queue;

struct process *proc_alloc(struct process *parent)
{
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	struct process *p = NULL;

	for (unsigned int i = 0; i < MAX_PROCS && !p && !stopping; i++)
		if (!procs[i].pid)
			p = &procs[i];
	if (p)
		*p = (struct process){ .pid = ++last_pid, .parent = parent, .threads = 1 };
	spin_unlock_irqrestore(&proc_lock, flags);
	return p;
}

void proc_free(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&proc_lock);

	p->pid = 0;
	spin_unlock_irqrestore(&proc_lock, flags);
}

static struct process *proc_find(int pid)
{
	for (unsigned int i = 0; i < MAX_PROCS; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

/* CLONE_CHILD_SETTID's word is written by the child, as in Linux: a fork's parent cannot reach its mm. */
static void user_entry(void *frame)
{
	struct task *t = current_task();

	if (t->set_child_tid)
		copy_to_user(t->set_child_tid, &t->id, sizeof(t->id));
	enter_user(frame);
}

/*
 * A new thread of @proc in @mm starting from @frame, queued where the
 * caller may run. @set_tid: a word of the caller's memory that gets its tid
 * before it can run (CLONE_PARENT_SETTID; a failed write is ignored, as
 * Linux does), or 0; @clear_tid: its CLONE_CHILD_CLEARTID word, or 0;
 * @child_tid: its CLONE_CHILD_SETTID word, or 0; @fs_base: its TLS (the
 * caller's, unless CLONE_SETTLS gives another). No tid word is checked:
 * as in Linux, the copies refuse one outside user space (asm/uaccess.h).
 * Returns the tid, or 0 if out of memory: read before the thread is
 * queued, after which it may run, exit and be freed before this returns
 * (syscall-fuzz saw a freed task's id 0: the parent ran on as the child).
 */
static unsigned int start_thread(struct process *proc, const struct cpu_regs *frame,
				 unsigned long set_tid, unsigned long clear_tid, unsigned long child_tid,
				 unsigned long fs_base)
{
	struct task *t = task_alloc("user", user_entry, NULL);
	unsigned int tid;

	if (!t)
		return 0;
	tid = t->id;
	t->mm = proc->mm;
	t->proc = proc;
	t->reap = true;
	t->clear_child_tid = clear_tid;
	t->set_child_tid = child_tid;
	t->fs_base = fs_base;
	t->sigmask = current_task()->sigmask;
	t->arg = task_user_regs(t);
	*task_user_regs(t) = *frame;
	if (set_tid)
		copy_to_user(set_tid, &tid, sizeof(tid));
	task_start_on(t, smp_processor_id(), current_task()->allowed);
	return tid;
}

/*
 * CLONE_CHILD_CLEARTID: zero the thread's tid word and wake whoever joins
 * it, while the thread still runs in its mm (a fault there, the word
 * unmapped meanwhile, is the joiner's problem, as in Linux).
 */
static void clear_child_tid(struct task *t)
{
	unsigned int zero = 0;

	if (!t->clear_child_tid)
		return;
	if (!copy_to_user(t->clear_child_tid, &zero, sizeof(zero)))
		futex_wake_all(t->clear_child_tid);
	t->clear_child_tid = 0;
}

/* The thread ends; the last one ends the process. Never returns. */
void thread_exit(int status)
{
	struct task *t = current_task();
	struct process *proc = t->proc, *parent;
	struct task *waiter;
	struct mm *mm = NULL;
	unsigned long flags;
	bool last;

	clear_child_tid(t);

	/*
	 * Let go of the mm before no longer counting as one of its users:
	 * from the moment this thread is not counted, the last thread may
	 * tear the mm down, and were this task switched out and back in
	 * still naming it, it would reload (and re-pin) a dying or freed mm.
	 * Without one it is a kernel context that borrows whatever is loaded.
	 */
	t->mm = NULL;
	flags = spin_lock_irqsave(&proc_lock);
	last = --proc->threads == 0;
	if (last) {
		proc->exit_status = proc->group_exit ? proc->group_status : status;
		mm = proc->mm_borrowed ? NULL : proc->mm;	/* a vfork parent's is not torn down here */
		proc->mm = NULL;
		proc->mm_borrowed = false;	/* the parent's vfork returns at this exit's wake-up */
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	if (!last)	/* the mm lives on with the other threads */
		task_exit();

	/* Its pipes' other ends see end of file or -EPIPE from here. */
	fd_table_close(&proc->files, true);
	if (mm)	/* none if its first exec failed */
		mm_destroy(mm);	/* exit_mmap, from the last thread */
	/*
	 * From here to the switch away, events stay masked: once the process
	 * is a zombie its waiter may run, and were this task preempted before
	 * it switched away for good, its pages (freed by that switch) would
	 * still be in use when the waiter looks (fork-loop saw 4 pages over
	 * its baseline under a CPU hog).
	 */
	local_irq_disable();
	spin_lock(&proc_lock);
	for (unsigned int i = 0; i < MAX_PROCS; i++) {
		/*
		 * Orphans go to the kernel, which reaps them as Linux's init
		 * does: one already dead now, a live one at its own exit.
		 */
		if (procs[i].pid && procs[i].parent == proc) {
			procs[i].parent = NULL;
			procs[i].orphan = true;
			if (procs[i].zombie)
				procs[i].pid = 0;
		}
	}
	__atomic_store_n(&proc->zombie, true, __ATOMIC_SEQ_CST);
	if (proc->orphan)
		proc->pid = 0;	/* nobody waits for it: reaped, its slot free */
	parent = proc->parent;
	waiter = parent ? NULL : __atomic_load_n(&proc->spawn_waiter, __ATOMIC_SEQ_CST);
	spin_unlock(&proc_lock);
	/* Any number of the parent's threads may be waiting, each for a child of its choice. */
	if (parent)
		wake_up_all(&parent->child_wait);
	else if (waiter)
		wake_up(waiter);
	wake_up_all(&process_end_queue);
	task_exit();
}

struct vfork_wait {
	struct process *child;
	int pid;
};

/* The vfork child has let go of its parent's mm: by exec, or by its end (its slot reaped, even). */
static bool vfork_done(void *arg)
{
	struct vfork_wait *w = arg;
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	bool done = w->child->pid != w->pid || !w->child->mm_borrowed;

	spin_unlock_irqrestore(&proc_lock, flags);
	return done;
}

/*
 * A fork, with the child's tid words (as start_thread()'s), or a vfork
 * (@vfork): the child runs in the caller's own mm, not a copy, while the
 * caller waits until the child has let go of it by exec or exit, as
 * Linux's vfork parent does. The mm stays alive meanwhile: the waiting
 * thread is one of its process's, so no exit_mmap can start.
 */
static long fork_process(struct cpu_regs *regs, unsigned long child_tid, unsigned long clear_tid,
			 bool vfork)
{
	struct process *parent = current_task()->proc, *child;
	struct cpu_regs frame = *regs;
	unsigned int tid = 0;
	struct vfork_wait w;
	int pid;

	child = proc_alloc(parent);
	if (!child)
		return -XEN_EAGAIN;
	pid = child->pid;
	child->program = parent->program;
	child->lstate = parent->lstate;
	child->lstate.brk_busy = false;
	child->mm_borrowed = vfork;
	child->mm = vfork ? parent->mm : mm_dup(parent->mm);
	frame.rax = 0;	/* fork returns 0 in the child */
	if (child->mm)
		fd_table_copy(&child->files, &parent->files);
	if (child->mm)
		tid = start_thread(child, &frame, 0, clear_tid, child_tid, current_task()->fs_base);
	if (!tid) {
		if (child->mm) {
			fd_table_close(&child->files, true);
			if (!vfork)
				mm_destroy(child->mm);
		}
		proc_free(child);
		return -XEN_ENOMEM;
	}
	w = (struct vfork_wait){ child, pid };
	if (vfork)
		wait_queue_wait(&parent->child_wait, vfork_done, &w);
	return pid;
}

long process_fork(struct cpu_regs *regs, unsigned long child_tid, unsigned long clear_tid)
{
	return fork_process(regs, child_tid, clear_tid, false);
}

long process_vfork(struct cpu_regs *regs)
{
	return fork_process(regs, 0, 0, true);
}

/* clone(2) for a thread: what pvmm requires, and what it accepts besides. */
#define CLONE_THREAD_NEEDS	(CLONE_VM | CLONE_THREAD | CLONE_SIGHAND)
#define CLONE_THREAD_MAY	(CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_PARENT_SETTID | \
				 CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_SETTLS)
/* clone(2) for a fork: SIGCHLD as the exit signal, and the tid words glibc's fork() passes. */
#define CLONE_FORK_MAY		(CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

/*
 * clone(2): a fork (exit signal SIGCHLD, no new stack, and at most the
 * child's tid words), or a new thread of the calling process that starts
 * where the caller returns, on @newsp, with 0 in %rax, and with @tls as
 * its FS base under CLONE_SETTLS. Its tid is the new task's id.
 */
long process_clone(const struct cpu_regs *regs, unsigned long flags, unsigned long newsp,
		   unsigned long uptid, unsigned long uctid, unsigned long tls)
{
	struct process *proc = current_task()->proc;
	struct cpu_regs frame = *regs;
	unsigned long irq;
	unsigned int tid;

	if ((flags & ~(unsigned long)CLONE_FORK_MAY) == SIGCHLD && !newsp)
		return process_fork(&frame, flags & CLONE_CHILD_SETTID ? uctid : 0,
				    flags & CLONE_CHILD_CLEARTID ? uctid : 0);
	if (flags == (CLONE_VM | CLONE_VFORK | SIGCHLD)) {	/* posix_spawn's, on a stack of its own */
		frame.rsp = newsp ? newsp : frame.rsp;
		return process_vfork(&frame);
	}
	if ((flags & CLONE_THREAD_NEEDS) != CLONE_THREAD_NEEDS ||
	    flags & ~(CLONE_THREAD_NEEDS | CLONE_THREAD_MAY) || !newsp || !user_range_ok(newsp, 0))
		return -XEN_EINVAL;
	if (flags & CLONE_SETTLS && tls >= USER_END)
		return -XEN_EPERM;	/* as arch_prctl(ARCH_SET_FS) */
	frame.rax = 0;
	frame.rsp = newsp;
	irq = spin_lock_irqsave(&proc_lock);
	proc->threads++;
	spin_unlock_irqrestore(&proc_lock, irq);
	tid = start_thread(proc, &frame, flags & CLONE_PARENT_SETTID ? uptid : 0,
			   flags & CLONE_CHILD_CLEARTID ? uctid : 0,
			   flags & CLONE_CHILD_SETTID ? uctid : 0,
			   flags & CLONE_SETTLS ? tls : current_task()->fs_base);
	if (!tid) {
		irq = spin_lock_irqsave(&proc_lock);
		proc->threads--;
		spin_unlock_irqrestore(&proc_lock, irq);
		return -XEN_ENOMEM;
	}
	return tid;
}

struct wait_target {
	struct process *parent;	/* NULL: a process the kernel spawned, by pid */
	int pid;		/* -1: any child */
	int reaped;		/* the child it reaped, 0 if none yet */
	int status;		/* and its exit status */
	bool none;		/* no such child at all */
};

static bool child_exited(void *arg)
{
	struct wait_target *w = arg;
	unsigned long flags = spin_lock_irqsave(&proc_lock);

	w->none = true;
	for (unsigned int i = 0; i < MAX_PROCS && !w->reaped; i++) {
		struct process *p = &procs[i];

		if (!p->pid || p->parent != w->parent || (w->pid != -1 && p->pid != w->pid))
			continue;
		w->none = false;
		if (p->zombie) {
			/* Reaped here, under the lock: two waiters can never both take it. */
			w->reaped = p->pid;
			w->status = p->exit_status;
			p->pid = 0;
		}
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	return w->reaped || w->none;
}

void process_exit_group(int status)
{
	struct process *proc = current_task()->proc;

	proc->group_status = status;
	WRITE_ONCE(proc->group_exit, true);
	thread_exit(status);
}

/*
 * wait4(2) for a child process: any (-1, or 0: pvmm has no process
 * groups) or one by pid; WNOHANG the only option, no rusage. Its pid, with
 * its status in *@ustatus as Linux encodes it; with WNOHANG, 0 while the
 * children it could reap all still run.
 */
long process_wait4(long pid, unsigned long ustatus, unsigned long options, unsigned long urusage)
{
	struct process *me = current_task()->proc;
	struct wait_target w = { .parent = me, .pid = pid ? pid : -1 };
	int status;

	if (options & ~(unsigned long)WNOHANG || urusage || pid < -1)
		return -XEN_EINVAL;
	if (ustatus && !user_range_ok(ustatus, sizeof(int)))
		return -XEN_EFAULT;
	if (!(options & WNOHANG))
		wait_queue_wait(&me->child_wait, child_exited, &w);
	else if (!child_exited(&w))
		return 0;
	if (!w.reaped)
		return -XEN_ECHILD;
	status = w.status;
	if (ustatus && copy_to_user(ustatus, &status, sizeof(status)))
		return -XEN_EFAULT;	/* unmapped while this thread waited: the child is reaped all the same */
	return w.reaped;
}

/* getppid(2): 0 for a process the kernel started, as for Linux's init; under proc_lock, as orphaning is. */
long process_ppid(void)
{
	struct process *me = current_task()->proc;
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	long ppid = me->parent ? me->parent->pid : 0;

	spin_unlock_irqrestore(&proc_lock, flags);
	return ppid;
}

bool process_exec_mm(struct process *proc, struct mm *mm, const char *program)
{
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	bool borrowed = proc->mm_borrowed;
	struct process *parent = proc->parent;

	proc->mm = mm;
	proc->program = program;
	proc->mm_borrowed = false;
	spin_unlock_irqrestore(&proc_lock, flags);
	if (borrowed && parent)
		wake_up_all(&parent->child_wait);	/* its vfork returns */
	return !borrowed;
}

struct mm *process_mm(int pid)
{
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	struct process *proc = proc_find(pid);
	struct mm *mm = proc && !proc->zombie ? proc->mm : NULL;

	/* Under proc_lock: a process's mm is replaced or let go of only under it. */
	if (mm)
		mm_grab(mm);
	spin_unlock_irqrestore(&proc_lock, flags);
	return mm;
}

static bool no_process_alive(void *unused)
{
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	bool none = true;

	for (unsigned int i = 0; i < MAX_PROCS && none; i++)
		none = !procs[i].pid || procs[i].zombie;
	spin_unlock_irqrestore(&proc_lock, flags);
	return none;
}

/* Under proc_lock: every live process killed with @sig (unless already killed), how many. */
static int kill_all_locked(int sig)
{
	int killed = 0;

	for (unsigned int i = 0; i < MAX_PROCS; i++) {
		if (procs[i].pid && !procs[i].zombie) {
			if (!procs[i].kill_signal)
				WRITE_ONCE(procs[i].kill_signal, sig);
			WRITE_ONCE(procs[i].killed, true);
			killed++;
		}
	}
	return killed;
}

void processes_kill_all(void)
{
	unsigned long flags = spin_lock_irqsave(&proc_lock);

	kill_all_locked(SIGKILL);
	spin_unlock_irqrestore(&proc_lock, flags);
}

int processes_stop_all(void)
{
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	int killed;

	/*
	 * Under proc_lock with new processes refused: a fork under way either
	 * got its slot before (and its child is killed here) or gets none.
	 */
	stopping = true;
	killed = kill_all_locked(SIGKILL);
	spin_unlock_irqrestore(&proc_lock, flags);
	/* Each thread exits at its next return to user mode; the last one runs exit_mmap. */
	wait_queue_wait(&process_end_queue, no_process_alive, NULL);
	return killed;
}

int process_wait_spawned(int pid)
{
	struct process *proc;
	struct wait_target w = { .parent = NULL, .pid = pid };
	unsigned long flags = spin_lock_irqsave(&proc_lock);

	proc = proc_find(pid);
	spin_unlock_irqrestore(&proc_lock, flags);
	if (!proc)
		return -XEN_ECHILD;
	sched_wait(child_exited, &w, &proc->spawn_waiter);
	if (!w.reaped)
		return -XEN_ECHILD;
	return w.status & 0x7f ? EXIT_KILLED : w.status >> 8 & 0xff;
}
