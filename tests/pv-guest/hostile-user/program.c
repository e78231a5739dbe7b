/*
 * hostile-user's program: every system call that takes a pointer is handed
 * an address of each kind outside user space (calls.h) and must answer as
 * Linux does, change nothing the program can see (a pipe's bytes, its
 * descriptors, a child waiting to be reaped) and nothing in the kernel (the
 * scenario compares its memory after every call: HOSTILE_CHANGED). Exit 0
 * if every answer was right; each wrong one is printed.
 */
#include <ulib.h>
#include "calls.h"

#define THREAD_FLAGS	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)

static const char *const kind_names[NR_KINDS] = KIND_NAMES;
static int wrong;
static char self[] = "hostile-user", one[] = "1";
static char thread_stack[256] __attribute__((aligned(16)));

static void expect(const char *call, const char *what, long rc, long want)
{
	long changed = test_call(HOSTILE_CHANGED, 0);

	if (rc == want && !changed)
		return;
	printf("hostile-user: %s with %s: %ld, expected %ld; kernel memory changed: 0x%lx\n",
	       call, what, rc, want, changed);
	wrong = 1;
}

static void check(const char *what, const char *kind, int ok)
{
	if (ok)
		return;
	printf("hostile-user: after the calls with a %s address: %s\n", kind, what);
	wrong = 1;
}

/* read and write refuse the buffer before they touch the pipe; pipe2 leaks no descriptor. */
static void pipes(const char *kind, unsigned long a)
{
	char buf[16];
	int p[2], q[2];

	if (pipe2(p, 0) || write(p[1], "abcd", 4) != 4) {
		check("a pipe of its own", kind, 0);
		return;
	}
	expect("read", kind, read(p[0], (void *)a, 4), -EFAULT);
	expect("write", kind, write(p[1], (void *)a, 4), -EFAULT);
	check("the pipe holds what was written, no more, no less", kind,
	      read(p[0], buf, sizeof(buf)) == 4 && buf[0] == 'a' && buf[3] == 'd');
	expect("pipe2", kind, pipe2((int *)a, 0), -EFAULT);
	check("the next pipe gets the next descriptors (none leaked)", kind,
	      !pipe2(q, 0) && q[0] == p[1] + 1 && q[1] == p[1] + 2);
	close(q[0]);
	close(q[1]);
	close(p[0]);
	close(p[1]);
}

/*
 * mmap at a fixed kernel address finds no room, mprotect no vma there
 * (the start page-aligned: an unaligned one is -EINVAL first); without a
 * fixed flag the address is only a hint, and the mapping lands in user space.
 */
static void maps(const char *kind, unsigned long a)
{
	void *page = (void *)(a & ~4095UL);
	long hinted;

	expect("mmap MAP_FIXED", kind, (long)mmap(page, 4096, PROT_READ | PROT_WRITE,
						  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), -ENOMEM);
	expect("mmap MAP_FIXED_NOREPLACE", kind, (long)mmap(page, 4096, PROT_READ | PROT_WRITE,
							    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
							    -1, 0), -ENOMEM);
	expect("mprotect", kind, mprotect(page, 4096, PROT_READ), -ENOMEM);
	hinted = (long)mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("mmap with the address as a hint maps in user space", kind,
	      hinted > 0 && hinted < 0x800000000000L && !munmap((void *)hinted, 4096));
}

/* A child that exits at once: wait4 refuses the status word and leaves it to be reaped. */
static void waits(const char *kind, unsigned long a)
{
	long pid = fork();
	int status;

	if (pid == 0)
		exit(7);
	expect("wait4", kind, wait4(pid, (int *)a, 0, NULL), -EFAULT);
	check("the child is still there to reap", kind,
	      waitpid(pid, &status) == pid && exit_code(status) == 7);
}

/* Had exec taken the call, this program would run again with argv[1] "1": it exits 99 then. */
static void execs(const char *kind, unsigned long a)
{
	char *argv_ok[] = { self, one, NULL }, *argv_bad[] = { self, (char *)a, NULL };

	expect("execve's path", kind, execve((char *)a, argv_ok, NULL), -EFAULT);
	expect("execve's argv", kind, execve(self, (char **)a, NULL), -EFAULT);
	expect("execve's argv[1]", kind, execve(self, argv_bad, NULL), -EFAULT);
	expect("execve's envp", kind, execve(self, argv_ok, (char **)a), -EFAULT);
	expect("execve's envp[0]", kind, execve(self, argv_ok, argv_bad + 1), -EFAULT);
}

/*
 * clone(2) of a thread that exits at once, with @ptid and @ctid as its tid
 * words: with a kernel address the call succeeds, as on Linux (which
 * ignores a failed CLONE_PARENT_SETTID write), and neither the tid nor the
 * exit's CLONE_CHILD_CLEARTID zero lands.
 */
static long clone_thread_with(unsigned long flags, unsigned long ptid, unsigned long ctid)
{
	return clone_exiting_thread(THREAD_FLAGS | flags,
				    (unsigned long)thread_stack + sizeof(thread_stack), ptid, ctid);
}

/*
 * In a child, so that its thread's exit (and the zero it must not write)
 * has happened when the wait returns: its status is 0 if clone succeeded.
 */
static void clone_in_child(const char *call, const char *kind, unsigned long flags,
			   unsigned long ptid, unsigned long ctid)
{
	long pid = fork();
	int status;

	if (pid == 0)
		exit_group(clone_thread_with(flags, ptid, ctid) > 0 ? 0 : 10);
	expect(call, kind, waitpid(pid, &status) == pid ? exit_code(status) : -1, 0);
}

static void clones(const char *kind, unsigned long a)
{
	static unsigned int tid_word;

	clone_in_child("clone's ptid (CLONE_PARENT_SETTID)", kind, CLONE_PARENT_SETTID, a, 0);
	clone_in_child("clone's ctid (CLONE_CHILD_CLEARTID)", kind, CLONE_CHILD_CLEARTID,
		       (unsigned long)&tid_word, a);
}

static void with_kind(unsigned int kind)
{
	const char *name = kind_names[kind];
	unsigned long a = test_call(HOSTILE_ADDRESS, kind);
	struct timespec short_sleep = { 0, 1000 };

	pipes(name, a);
	expect("nanosleep's req", name, nanosleep((struct timespec *)a, NULL), -EFAULT);
	expect("nanosleep's rem", name, nanosleep(&short_sleep, (struct timespec *)a), 0);
	expect("sched_setaffinity", name, sched_setaffinity(0, 8, (unsigned long *)a), -EFAULT);
	expect("futex wait", name, futex((unsigned int *)a, FUTEX_WAIT, 0), -EFAULT);
	expect("futex wake", name, futex((unsigned int *)a, FUTEX_WAKE, 1), -EFAULT);
	expect("munmap", name, munmap((void *)a, 4096), -EINVAL);
	maps(name, a);
	waits(name, a);
	execs(name, a);
	clones(name, a);
}

int main(int argc, char **argv)
{
	unsigned long page = (unsigned long)map_anon(4096, PROT_READ | PROT_WRITE);
	int p[2];

	if (program_arg(argc, argv) == 1)
		return 99;
	if ((long)page < 0 || pipe2(p, 0))
		return 1;
	for (unsigned int kind = 0; kind < NR_KINDS; kind++)
		with_kind(kind);
	/* User buffers whose length runs past user space or wraps. */
	expect("read", "a length wrapping past the top", read(p[0], (void *)page, -page + 16), -EFAULT);
	expect("write", "a length past user space", write(p[1], (void *)page, 0x800000000000UL - page + 1),
	       -EFAULT);
	close(p[0]);
	close(p[1]);
	printf("hostile-user: %s\n", wrong ? "some calls answered wrongly" : "every call answered as Linux");
	return wrong;
}
