/*
 * address-reuse's process: ARG cycles of mapping a 1 GiB window at a new
 * address (MAP_FIXED_NOREPLACE, each window 1 GiB + 2 MiB + 4 KiB above
 * the last, so that windows straddle L1, L2 and L3 boundaries in turn),
 * touching one page of it and unmapping it. Every table the touch made is
 * freed by the munmap: pages in use are the same after every cycle. Every
 * SAMPLE cycles it also checks that mmap places a window in the hole a
 * munmap left (the top-down allocator's first fit).
 */
#include <ulib.h>

#define WINDOW	(1UL << 30)
#define STEP	(WINDOW + (2UL << 20) + 4096)
#define FIRST	0x0000100000000000UL	/* 16 TiB */
#define LAST	0x00007e0000000000UL	/* wrap around below here */
#define SAMPLE	1000

static int hole_reused(void)
{
	char *a = mmap(0, WINDOW, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *b;

	if ((long)a < 0 || munmap(a, WINDOW))
		return 0;
	b = mmap(0, WINDOW, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((long)b < 0 || munmap(b, WINDOW))
		return 0;
	if (a != b)
		printf("address-reuse: mmap placed a window at %p, then at %p after its munmap\n", a, b);
	return a == b;
}

int main(int argc, char **argv)
{
	unsigned long cycles = program_arg(argc, argv), addr = FIRST;
	long flat = -1;

	for (unsigned long i = 0; i < cycles; i++) {
		volatile char *p = mmap((void *)addr, WINDOW, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		if (p != (volatile char *)addr) {
			printf("address-reuse: cycle %lu: mmap at 0x%lx returned %p\n", i, addr, p);
			return 1;
		}
		p[(i * 4096 * 517) % WINDOW] = 1;
		if (munmap((void *)p, WINDOW))
			return 2;
		if (i % SAMPLE == 0) {
			if (flat < 0)
				flat = pages_in_use();
			if (pages_in_use() != flat) {
				printf("address-reuse: cycle %lu: %ld pages in use, %ld after the first\n",
				       i, pages_in_use(), flat);
				return 3;
			}
			if (!hole_reused())
				return 4;
		}
		addr += STEP;
		if (addr + WINDOW > LAST)
			addr = FIRST + (addr - FIRST) % WINDOW;
	}
	printf("address-reuse: %lu cycles, %ld pages in use after each sample\n", cycles, flat);
	return 0;
}
