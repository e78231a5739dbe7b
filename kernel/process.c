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
#include <hypercall/hypercall.h>
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

static struct process *proc_alloc(struct process *parent)
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

/* Give back a slot that never ran (its pid was never handed out). */
static void proc_free(struct process *p)
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

static void user_entry(void *frame)
{
	enter_user(frame);
}

/* A new thread of @proc in @mm starting from @frame, queued where the caller may run. */
static struct task *start_thread(struct process *proc, const struct cpu_regs *frame)
{
	struct task *t = task_alloc("user", user_entry, NULL);

	if (!t)
		return NULL;
	t->mm = proc->mm;
	t->proc = proc;
	t->reap = true;
	t->arg = task_user_regs(t);
	*task_user_regs(t) = *frame;
	task_start_on(t, smp_processor_id(), current_task()->allowed);
	return t;
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
		mm = proc->mm;
		proc->mm = NULL;
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	if (!last)	/* the mm lives on with the other threads */
		task_exit();

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
		/* Orphans go to the kernel; one already dead is reaped now. */
		if (procs[i].pid && procs[i].parent == proc) {
			procs[i].parent = NULL;
			if (procs[i].zombie)
				procs[i].pid = 0;
		}
	}
	__atomic_store_n(&proc->zombie, true, __ATOMIC_SEQ_CST);
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

long process_fork(struct cpu_regs *regs)
{
	struct process *parent = current_task()->proc, *child;
	struct cpu_regs frame = *regs;
	int pid;

	child = proc_alloc(parent);
	if (!child)
		return -XEN_EAGAIN;
	pid = child->pid;
	child->program = parent->program;
	child->mm = mm_dup(parent->mm);
	frame.rax = 0;	/* fork returns 0 in the child */
	if (!child->mm || !start_thread(child, &frame)) {
		if (child->mm)
			mm_destroy(child->mm);
		proc_free(child);
		return -XEN_ENOMEM;
	}
	return pid;
}

long process_clone(unsigned long entry, unsigned long stack, unsigned long arg)
{
	struct process *proc = current_task()->proc;
	struct cpu_regs frame = {
		.rip = entry, .cs = FLAT_USER_CS, .rflags = 0x202,
		.rsp = stack, .ss = FLAT_USER_SS, .rdi = arg,
	};
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	struct task *t;

	proc->threads++;
	spin_unlock_irqrestore(&proc_lock, flags);
	t = start_thread(proc, &frame);
	if (!t) {
		flags = spin_lock_irqsave(&proc_lock);
		proc->threads--;
		spin_unlock_irqrestore(&proc_lock, flags);
		return -XEN_ENOMEM;
	}
	return t->id;
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

long process_wait(long pid, unsigned long status_addr)
{
	struct process *me = current_task()->proc;
	struct wait_target w = { .parent = me, .pid = pid };
	int status;

	if (status_addr && !user_range_ok(status_addr, sizeof(int)))
		return -XEN_EFAULT;
	wait_queue_wait(&me->child_wait, child_exited, &w);
	if (!w.reaped)
		return -XEN_ECHILD;
	status = w.status;
	if (status_addr && copy_to_user(status_addr, &status, sizeof(status)))
		return -XEN_EFAULT;	/* unmapped while this thread waited: the child is reaped all the same */
	return w.reaped;
}

void return_to_user(struct cpu_regs *regs)
{
	struct process *proc = current_task()->proc;

	if (proc && (READ_ONCE(proc->killed) || READ_ONCE(proc->group_exit))) {
		local_irq_enable();
		thread_exit(EXIT_KILLED);
	}
	preempt_on_upcall_return(true);
}

static void kill_process(const char *why, unsigned long addr, const struct cpu_regs *regs)
{
	struct process *proc = current_task()->proc;

	printk("pid %d (%s) killed: %s at 0x%016lx, rip 0x%lx\n", proc->pid, proc->program, why,
	       addr, regs->rip);
	WRITE_ONCE(proc->killed, true);
}

void user_trap(struct cpu_regs *regs, unsigned long fault_addr)
{
	struct task *t = current_task();

	if (regs->vector == 14) {
		bool write = regs->error_code & 2;

		local_irq_enable();
		if (fault_addr < USER_END && !handle_mm_fault(t->mm, fault_addr, write)) {
			local_irq_disable();
			return;
		}
		if (t->fault_entry) {
			/* The thread asked to see its bad faults: enter its handler, on its stack. */
			*regs = (struct cpu_regs){
				.rip = t->fault_entry, .cs = FLAT_USER_CS, .rflags = 0x202,
				.rsp = t->fault_stack, .ss = FLAT_USER_SS,
				.rdi = fault_addr, .rsi = regs->error_code,
			};
			local_irq_disable();
			return;
		}
		kill_process(write ? "page fault (write)" : "page fault (read)", fault_addr, regs);
	} else {
		local_irq_enable();
		kill_process("exception", regs->vector, regs);
	}
	return_to_user(regs);
}

struct spawn_args {
	const char *program;
	unsigned long arg;
};

static void spawn_entry(void *arg)
{
	struct spawn_args sa = *(struct spawn_args *)arg;
	struct task *t = current_task();
	long rc;

	free_page(arg);
	rc = do_exec(sa.program, sa.arg, task_user_regs(t));
	if (rc) {
		printk("pvmm: cannot start program '%s': %s\n", sa.program, xen_errno_name(rc));
		thread_exit(127);
	}
	local_irq_disable();
	enter_user(task_user_regs(t));
}

int process_spawn(const char *program, unsigned long arg, unsigned int cpu)
{
	struct process *proc = proc_alloc(NULL);
	struct spawn_args *sa = alloc_page();
	struct task *t = task_alloc("user", spawn_entry, sa);
	int pid;

	if (!proc || !sa || !t) {
		if (proc)
			proc_free(proc);
		if (sa)
			free_page(sa);
		if (t)
			free_pages(t, t->pages);
		return -XEN_ENOMEM;
	}
	*sa = (struct spawn_args){ program, arg };
	pid = proc->pid;
	proc->program = program;
	t->proc = proc;
	t->reap = true;
	task_start_on(t, cpu, cpumask_of(cpu));
	return pid;
}

void process_exec_mm(struct process *proc, struct mm *mm, const char *program)
{
	unsigned long flags = spin_lock_irqsave(&proc_lock);

	proc->mm = mm;
	proc->program = program;
	spin_unlock_irqrestore(&proc_lock, flags);
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

int processes_stop_all(void)
{
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	int killed = 0;

	/*
	 * Under proc_lock with new processes refused: a fork under way either
	 * got its slot before (and its child is killed here) or gets none.
	 */
	stopping = true;
	for (unsigned int i = 0; i < MAX_PROCS; i++) {
		if (procs[i].pid && !procs[i].zombie) {
			WRITE_ONCE(procs[i].killed, true);
			killed++;
		}
	}
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
	return w.reaped ? w.status : -XEN_ECHILD;
}
