/*
 * Starting programs from kernel code (see <pvmm/process.h>): a process of
 * the kernel's (no parent) whose first task execs the program, as Linux
 * starts init.
 */
#include <xen/errno.h>
#include <hypercall/hypercall.h>
#include <pvmm/bug.h>
#include <pvmm/lib.h>
#include <pvmm/process.h>
#include <pvmm/sched.h>
#include <asm/page_alloc.h>
#include <asm/switch.h>
#include <asm/console.h>

static void spawn_entry(void *arg)
{
	struct exec_args *args = arg;
	struct task *t = current_task();
	const char *program = t->proc->program;
	long rc;

	rc = do_exec(program, args, task_user_regs(t));
	free_page(args);
	if (rc) {
		printk("pvmm: cannot start program '%s': %s\n", program, xen_errno_name(rc));
		thread_exit(EXIT_STATUS(127));
	}
	local_irq_disable();
	enter_user(task_user_regs(t));
}

/* A new process running @program with argv {program} (@arg NULL) or {program, arg}. */
static int spawn(const char *program, const char *arg, unsigned int cpu)
{
	struct process *proc = proc_alloc(NULL);
	struct exec_args *args = alloc_page();
	struct task *t = task_alloc("user", spawn_entry, args);
	int pid;

	if (!proc || !args || !t) {
		if (proc)
			proc_free(proc);
		if (args)
			free_page(args);
		if (t)
			free_pages(t, t->pages);
		return -XEN_ENOMEM;
	}
	args->argc = args->envc = args->len = 0;
	if (exec_args_add(args, program, false) || (arg && exec_args_add(args, arg, false)))
		panic("process_spawn: program name '%s' too long for an argv", program);
	fd_table_init(&proc->files);
	pid = proc->pid;
	proc->program = program;
	t->proc = proc;
	t->reap = true;
	task_start_on(t, cpu, cpumask_of(cpu));
	return pid;
}

int process_spawn(const char *program, unsigned long arg, unsigned int cpu)
{
	char number[24];

	snprintf(number, sizeof(number), "%lu", arg);
	return spawn(program, number, cpu);
}

int process_spawn_init(const char *path, unsigned int cpu)
{
	return spawn(path, NULL, cpu);
}

