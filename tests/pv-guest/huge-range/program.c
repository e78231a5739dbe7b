/*
 * huge-range's process: map 16 TiB, touch three pages of it (first,
 * middle, last), then make it read-only, unmap it, and unmap it again.
 * Each change must cost what its present pages cost: one multicall for
 * the three pages, none once nothing is mapped, whatever the range's size.
 */
#include <ulib.h>
#include "calls.h"

static int expect(const char *what, long got, long want)
{
	printf("%s.hypercalls=%ld\n", what, got);
	if (got == want)
		return 0;
	printf("huge-range: %s: %ld (hypercalls, or -errno), %ld expected\n", what, got, want);
	return 1;
}

int main(int argc, char **argv)
{
	char *p = map_anon(HUGE_LEN, PROT_READ | PROT_WRITE);
	int bad = 0;

	if ((long)p < 0) {
		printf("huge-range: mmap of %lu bytes failed: %ld\n", HUGE_LEN, (long)p);
		return 2;
	}
	p[0] = p[HUGE_LEN / 2] = p[HUGE_LEN - 4096] = 1;
	bad |= expect("mprotect_3_present", test_call(METERED_MPROTECT, (unsigned long)p), 1);
	if (p[HUGE_LEN / 2] != 1)
		bad = 1;
	bad |= expect("munmap_3_present", test_call(METERED_MUNMAP, (unsigned long)p), 1);
	bad |= expect("munmap_none_present", test_call(METERED_MUNMAP, (unsigned long)p), 0);
	return bad;
}
