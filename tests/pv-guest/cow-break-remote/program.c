/*
 * cow-break-remote's process P, ARG rounds. Each round P maps a page,
 * writes OLD into it and forks C, so the page is shared copy-on-write. A
 * thread of P on vCPU 1 reads the page without stopping. P's main thread
 * on vCPU 0 writes NEW into it: the write fault copies the page, swaps
 * P's entry and flushes P's holders, vCPU 1 included, before the old page
 * loses P's reference. Then C writes OTHER into its view, which is now the
 * old page's last reference: C takes it over and writes it in place. The
 * reader must never see OTHER (another process's data, through a stale
 * entry for the old page), nor OLD once it has seen NEW.
 */
#include <ulib.h>

#define OLD(r)		((r) * 4 + 1)
#define NEW(r)		((r) * 4 + 2)
#define OTHER(r)	((r) * 4 + 3)

static volatile unsigned long *volatile page;
static volatile unsigned long round, warm, done_round, checked, bad_round, bad_value;
static char stack[16384] __attribute__((aligned(16)));

static void reader(unsigned long cpu)
{
	unsigned long r = 0, seen_new = 0;

	if (set_affinity(1UL << cpu))
		exit_group(1);
	for (;;) {
		unsigned long now = round, v;

		if (now != r) {
			r = now;
			seen_new = 0;
		}
		if (!r || checked == r)
			continue;
		v = *page;
		if (v == OTHER(r) || (seen_new && v == OLD(r))) {
			bad_value = v;
			bad_round = r;
		}
		seen_new |= v == NEW(r);
		warm = r;
		if (done_round == r)
			checked = r;	/* a read after C wrote its data */
	}
}

/* C: wait for P's break, write its own data, say so. */
static int child(int in, int out, unsigned long r)
{
	char go;

	if (read(in, &go, 1) != 1)
		return 1;
	*page = OTHER(r);	/* the old page's last reference: taken over in place */
	return write(out, &go, 1) == 1 ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned long rounds = program_arg(argc, argv);

	if (vcpus() < 2 || set_affinity(1) || thread_start(reader, stack + sizeof(stack), 1) < 0)
		return 1;
	for (unsigned long r = 1; r <= rounds; r++) {
		volatile unsigned long *p = map_anon(4096, PROT_READ | PROT_WRITE);
		int to_child[2], from_child[2], status;
		char go = 1;
		long pid;

		if ((long)p < 0 || pipe2(to_child, 0) || pipe2(from_child, 0))
			return 1;
		*p = OLD(r);
		page = p;
		pid = fork();
		if (pid == 0)
			exit(child(to_child[0], from_child[1], r));
		if (pid < 0)
			return 1;
		round = r;
		while (warm != r)
			;	/* the reader has the old page in its TLB */
		*p = NEW(r);	/* the break: copy, swap, flush, drop the old page */
		if (write(to_child[1], &go, 1) != 1 || read(from_child[0], &go, 1) != 1)
			return 1;
		done_round = r;
		while (checked != r)
			;
		if (waitpid(pid, &status) != pid || exit_code(status))
			return 1;
		if (bad_round == r) {
			printf("cow-break-remote: STALE: round %lu: vCPU 1 read %s after the break\n", r,
			       bad_value == OTHER(r) ? "the other process's data" : "the old page");
			return 3;
		}
		for (int i = 0; i < 2; i++) {
			close(to_child[i]);
			close(from_child[i]);
		}
		if (munmap((void *)p, 4096))
			return 1;
	}
	printf("cow-break-remote: %lu rounds, the reader never saw the old page or the other process's data\n",
	       rounds);
	return 0;
}
