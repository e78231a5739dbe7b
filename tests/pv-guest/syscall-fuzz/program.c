/*
 * syscall-fuzz's process: system calls with hostile arguments, from the
 * main thread and from threads it clones. ARG = seed << 20 | calls: each
 * thread makes CALLS calls from its own xorshift stream (the seed and its
 * number), picking among Linux's calls as pvmm has them (docs/syscalls.md):
 * mmap (fixed or not, with flags it must refuse), munmap and mprotect over
 * its own mappings, the program's image, the kernel's addresses and the
 * edge of user space, with zero, unaligned, huge and wrapping lengths and
 * bad protections; execve, wait4, write and nanosleep with bad pointers,
 * descriptors, options or times; futex and clone with what they must
 * refuse; affinity, sleep, yield, pvmm's own calls, unknown numbers and
 * Linux calls pvmm does not have (-ENOSYS), threads and fork. Every
 * pointer argument is also handed kernel addresses of each kind (image,
 * direct map, Xen's range, non-canonical, wrapping: kernel_ptr()), and
 * CLONE_VM threads are made with random tid words and stacks that exit at
 * once, racing the calls of the threads still running. Every answer
 * must be a result or one of the errors those calls can give; exit 0 if
 * they all were, 1 at the first that was not (printed with its call).
 */
#include <ulib.h>
#include <xen/xen.h>

#define MAX_THREADS	4	/* at once */
#define MAX_STARTS	8	/* in all */
#define MAPS		8
#define KERNEL_ADDR	0xffffffff80000000UL
/* A descriptor past the table (pvmm keeps 32): never one a pipe of its own could block on. */
#define NO_FD		64
#define USER_TOP	0x0000800000000000UL
/* test_call(FUZZ_CALLS_MADE, n): this process made n calls (the fuzzer's own test_calls have bit 1 set). */
#define FUZZ_CALLS_MADE	1
#define THREAD_FLAGS	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)

struct fuzzer {
	unsigned long s;
	bool main_thread;	/* only the main thread clones, so the process ends */
	char *maps[MAPS];
};

static unsigned long seed;
static char stacks[MAX_THREADS][16384] __attribute__((aligned(16)));
static int stack_used[MAX_THREADS];
static volatile int threads_live;
static volatile int failed;
static int in_child;	/* a forked child: no clones or forks of its own */
static unsigned long calls_made;	/* by every thread of this process */

static unsigned long rnd(struct fuzzer *f)
{
	f->s ^= f->s << 13;
	f->s ^= f->s >> 7;
	f->s ^= f->s << 17;
	return f->s;
}

/*
 * A pointer into what no user may reach: the image and the direct map after
 * it, Xen's range, both sides of the non-canonical hole, and the top of the
 * address space, where any range wraps.
 */
static unsigned long kernel_ptr(struct fuzzer *f)
{
	switch (rnd(f) % 6) {
	case 0:
		return KERNEL_ADDR + rnd(f) % 0x1000000;
	case 1:
		return KERNEL_ADDR + rnd(f) % 0x40000000;
	case 2:
		return HYPERVISOR_VIRT_START + rnd(f) % (1UL << 43);
	case 3:
		return USER_TOP + rnd(f) % (1UL << 46);
	case 4:
		return HYPERVISOR_VIRT_START - 1 - rnd(f) % (1UL << 46);
	default:
		return -1UL - rnd(f) % 64;
	}
}

/*
 * An address worth trying: mostly ones the kernel must refuse or handle at
 * an edge. For a call that changes mappings (@mutating), never one whose
 * range could reach this program's own image or stack: unmapping those is
 * the program's own death, not the kernel's fault.
 */
static unsigned long any_addr(struct fuzzer *f, bool mutating)
{
	char *m = f->maps[rnd(f) % MAPS];

	switch (rnd(f) % 9) {
	case 0:
		return mutating ? KERNEL_ADDR + rnd(f) % 0x1000000 : kernel_ptr(f);
	case 1:
		return USER_TOP - 4096 * (1 + rnd(f) % 4);
	case 2:
		return mutating ? KERNEL_ADDR : rnd(f);
	case 3:
		return mutating ? USER_TOP : 0;
	case 4:
		return mutating ? USER_TOP - 1 : 0x400000;	/* this program's text */
	case 5:
		return m ? (unsigned long)m + 1 : 4095;	/* unaligned */
	case 6:
		return m ? (unsigned long)m + 4096 * (rnd(f) % 8) : KERNEL_ADDR;
	default:
		return m ? (unsigned long)m : USER_TOP;
	}
}

/* A length worth trying; for @mutating calls none that reaches from a mapping to the stack. */
static unsigned long any_len(struct fuzzer *f, bool mutating)
{
	switch (rnd(f) % 8) {
	case 0:
		return 0;
	case 1:
		return 1 + rnd(f) % 4095;	/* unaligned */
	case 2:
		return mutating ? 1UL << 30 : USER_TOP;
	case 3:
		return -4096UL;		/* wraps */
	case 4:
		return mutating ? rnd(f) % (1UL << 30) : rnd(f);
	default:
		return 4096 * (1 + rnd(f) % 16);
	}
}

static const long allowed[] = {
	-EINVAL, -EFAULT, -ENOMEM, -EEXIST, -ENOSYS, -ECHILD, -EBUSY, -ENOENT, -EAGAIN, -EBADF,
	-E2BIG, -ENAMETOOLONG, -ESRCH, -EMFILE, -ENFILE,
};

/* Linux calls pvmm does not have: -ENOSYS, as for an unknown number. */
static const long absent[] = { __NR_open, __NR_mount, __NR_kill, __NR_socket };

/* mmap flags worth trying: the ones pvmm takes, and ones it must refuse. */
static int any_map_flags(struct fuzzer *f)
{
	switch (rnd(f) % 6) {
	case 0:
		return MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
	case 4:
		return MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | (rnd(f) & 1 ? MAP_FIXED : 0);
	case 1:
		return MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
	case 2:
		return MAP_SHARED | MAP_ANONYMOUS;
	case 3:
		return MAP_PRIVATE;	/* a file mapping, of fd -1 */
	default:
		return (int)rnd(f);
	}
}

static void check(struct fuzzer *f, const char *call, unsigned long a, unsigned long b, long rc)
{
	if (rc >= 0)
		return;
	for (unsigned int i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (rc == allowed[i])
			return;
	printf("syscall-fuzz: %s(0x%lx, 0x%lx) = %ld\n", call, a, b, rc);
	failed = 1;
}

static void start_thread(struct fuzzer *f);

/* A tid word or stack worth trying: a kernel pointer, or any address (its own maps, the edges). */
static unsigned long any_word(struct fuzzer *f)
{
	return rnd(f) & 1 ? kernel_ptr(f) : any_addr(f, false);
}

/*
 * clone(2) of a CLONE_VM thread with random tid words and stack, which
 * exits at once (never touching its stack), racing the calls of the
 * threads still running: the kernel writes its tid and, at its exit, the
 * CLONE_CHILD_CLEARTID zero only where user memory lets it (a kernel word
 * never, the program's text never: the copy faults and is ignored).
 */
static void clone_racing_thread(struct fuzzer *f, unsigned long r)
{
	unsigned long flags = THREAD_FLAGS | (r & 8 ? CLONE_PARENT_SETTID : 0) |
			      (r & 16 ? CLONE_CHILD_CLEARTID : 0);
	unsigned long ctid = any_word(f), stack = any_word(f), ptid = any_word(f);

	check(f, "clone", flags, ctid, clone_exiting_thread(flags, stack, ptid, ctid));
}

/* Child of a fork: a few calls of its own, then exit. */
static void forked(struct fuzzer *f);

static void one_call(struct fuzzer *f)
{
	unsigned long r = rnd(f), a = any_addr(f, true), len = any_len(f, true);
	char *m;
	int status, flags;

	/* The case from a draw of its own: r's bits choose within it, so none is fixed by the case. */
	switch (rnd(f) % 16) {
	case 0:
		len = any_len(f, false);
		m = map_anon(len, r >> 8 & 15);
		check(f, "mmap", len, r >> 8 & 15, (long)m);
		if ((long)m > 0)
			f->maps[(r >> 12) % MAPS] = m;
		break;
	case 1:
		/* Fixed or not, over its own maps or edges, never over its image or stack. */
		flags = any_map_flags(f);
		if (flags & MAP_POPULATE && len > 64 * 4096)
			len = 64 * 4096;	/* populated at once: no more than a fuzzer should hold */
		m = mmap((void *)a, len, r >> 8 & 7, flags, -1, 0);
		check(f, "mmap", a, len, (long)m);
		if ((long)m > 0)
			f->maps[(r >> 12) % MAPS] = m;
		break;
	case 2:
	case 3:
		check(f, "munmap", a, len, munmap((void *)a, len));
		break;
	case 4:
	case 5:
		check(f, "mprotect", a, len, mprotect((void *)a, len, r >> 8 & 7));
		break;
	case 6:
		/* A valid name with a valid argv would run a real program: only bad ones. */
		if (r & 2) {
			check(f, "execve", r & 1, 0, execve("/yielder", (char *const *)(r & 1 ? kernel_ptr(f) : 1), NULL));
		} else if (r & 4) {
			char *bad[] = { "/yielder", (char *)kernel_ptr(f), NULL };

			check(f, "execve", (unsigned long)bad[1], r & 1,
			      execve("/yielder", r & 1 ? bad : bad + 1, r & 1 ? bad + 1 : (char **)kernel_ptr(f)));
		} else {
			const char *name = (const char *)(r & 1 ? 0 : kernel_ptr(f));

			check(f, "execve", (unsigned long)name, 0, exec_program(name, 0));
		}
		break;
	case 7:
		a = any_addr(f, false);
		if (r & 2)
			check(f, "wait4", r >> 8 & 3, a, wait4(-1, &status, r >> 8 & 3, (void *)(r & 4 ? a : 0)));
		else
			check(f, "wait4", -1, a, waitpid(-1, (int *)(r & 1 ? a : (unsigned long)&status)));
		break;
	case 8:
		/* Pointers or descriptors the kernel must refuse: nothing reaches the console. */
		if (r & 2)
			check(f, "write", r >> 8, 0, write(NO_FD + (r >> 8 & 0xffff), &status, 1));
		else
			check(f, "write", r & 1, len, write(1, (const void *)(r & 1 ? 0 : kernel_ptr(f)), len));
		/* Never a read that could block: the console (end of file), bad descriptors or pointers. */
		a = any_addr(f, false);
		check(f, "read", r >> 4 & 3, a, read(r & 4 ? 0 : NO_FD + (int)(r >> 8 & 0xffff), (void *)a, r & 0xfff));
		check(f, "close", r >> 8, 0, close(NO_FD + (int)(r >> 8 & 0xffff)));
		break;
	case 9:
		check(f, "sched_setaffinity", r >> 8, 0, set_affinity(r >> 8));
		check(f, "sched_setaffinity", 0, 8, sched_setaffinity(0, 8, (unsigned long *)kernel_ptr(f)));
		if (r & 2) {
			int fds[2];

			/* A pipe made and let go of at once, or one the kernel must refuse. */
			if (r & 4) {
				long rc = pipe2(fds, 0);

				check(f, "pipe2", 0, 0, rc);
				if (!rc)
					check(f, "close", 0, 0, close(fds[0]) | close(fds[1]));
			} else {
				/* One it may keep: reads and writes above go to NO_FD and up, never to it. */
				a = any_addr(f, false);
				check(f, "pipe2", a, r >> 8, pipe2(r & 1 ? fds : (int *)a, r & 8 ? 0 : (int)(r >> 8)));
			}
		}
		break;
	case 10:
		if (r & 2) {
			/* Never a pointer to memory that may hold a long sleep. */
			struct timespec bad = { .tv_sec = 0, .tv_nsec = r & 4 ? -1 : 1000000000 };

			check(f, "nanosleep", r & 1, 0, nanosleep(r & 1 ? &bad : (void *)kernel_ptr(f), NULL));
		} else {
			check(f, "sleep", r % 100000, 0, sleep_ns(r % 100000));
		}
		break;
	case 11:
		yield();
		check(f, "getpid", 0, 0, getpid());
		check(f, "pages_in_use", 0, 0, pages_in_use());
		break;
	case 12: {
		long nr = r & 1 ? PVMM_SYS_END + (long)(r % 4) :
			  r & 2 ? absent[r >> 2 & 3] : (long)(r | 1UL << 40);
		long rc = syscall6(nr, a, len, r, 0, 0, 0);

		check(f, "unknown", nr, 0, rc);
		if (rc != -ENOSYS) {
			printf("syscall-fuzz: unknown call %ld = %ld, not -ENOSYS\n", nr, rc);
			failed = 1;
		}
		break;
	}
	case 13:
		if (r & 2) {
			check(f, "test_call", r, a, test_call(r, a));
		} else {
			/* A wait whose word never matches, a wake anywhere, an unknown op. */
			unsigned int word = (unsigned int)r;
			int op = r & 4 ? FUTEX_WAIT : r & 8 ? FUTEX_WAKE : 3 + (int)(r >> 8 & 0xf);

			check(f, "futex", a, op, futex(op == FUTEX_WAIT ? &word : (unsigned int *)a, op, word + 1));
		}
		break;
	case 14:
		if (r & 2) {
			/* Flags no process or thread can come of: never CLONE_VM, never just SIGCHLD. */
			unsigned long flags = (r << 8 | 1) & ~(unsigned long)CLONE_VM;

			check(f, "clone", flags, 0, syscall6(__NR_clone, flags, 0, 0, 0, 0, 0));
		} else if (r & 4 && !in_child) {
			clone_racing_thread(f, r);
		} else if (rnd(f) % 4 == 0 && f->main_thread && !in_child) {
			start_thread(f);
		}
		break;
	default:
		if (rnd(f) % 16 == 0 && !in_child) {
			long pid = fork();

			if (pid == 0)
				forked(f);
			check(f, "fork", 0, 0, pid);
			if (pid > 0)
				check(f, "wait", pid, 0, waitpid(pid, &status));
		}
		break;
	}
}

static void fuzz(struct fuzzer *f, unsigned long calls)
{
	for (unsigned long i = 0; i < calls && !failed; i++) {
		one_call(f);
		__atomic_fetch_add(&calls_made, 1, __ATOMIC_RELAXED);
	}
}

static void forked(struct fuzzer *f)
{
	in_child = 1;
	f->s ^= 0x5555;
	fuzz(f, 32);
	exit_group(failed);
}

static unsigned long calls_per_thread;

static void thread_main(unsigned long slot)
{
	struct fuzzer f = { .s = (seed * 0x9e3779b97f4a7c15UL + 2 * slot) | 1 };

	fuzz(&f, calls_per_thread / 4);
	__atomic_fetch_sub(&threads_live, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&stack_used[slot], 0, __ATOMIC_SEQ_CST);	/* its stack is free from here */
	exit(0);
}

static void start_thread(struct fuzzer *f)
{
	static int starts;

	if (starts == MAX_STARTS)
		return;
	starts++;
	for (int i = 0; i < MAX_THREADS; i++) {
		if (__atomic_exchange_n(&stack_used[i], 1, __ATOMIC_SEQ_CST))
			continue;
		__atomic_fetch_add(&threads_live, 1, __ATOMIC_SEQ_CST);
		if (thread_start(thread_main, stacks[i] + sizeof(stacks[i]), i) < 0) {
			__atomic_fetch_sub(&threads_live, 1, __ATOMIC_SEQ_CST);
			__atomic_store_n(&stack_used[i], 0, __ATOMIC_SEQ_CST);
		}
		return;
	}
}

int main(int argc, char **argv)
{
	unsigned long arg = program_arg(argc, argv);
	struct fuzzer f;

	seed = arg >> 20;
	calls_per_thread = arg & 0xfffff;
	f = (struct fuzzer){ .s = (seed * 0x9e3779b97f4a7c15UL + 0x1234567) | 1, .main_thread = true };
	fuzz(&f, calls_per_thread);
	while (__atomic_load_n(&threads_live, __ATOMIC_SEQ_CST))
		yield();
	printf("syscall-fuzz: seed %lu: %lu calls%s\n", seed, calls_made, failed ? ", one refused wrongly" : "");
	test_call(FUZZ_CALLS_MADE, calls_made);	/* the scenario's count of every call */
	return failed;
}
