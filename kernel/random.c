/*
 * getrandom(2), and the AT_RANDOM bytes exec puts on a new stack (glibc
 * seeds its stack protector and pointer guard from them). pvmm has no
 * entropy pool: the bytes come from splitmix64 over a shared counter,
 * stirred with the TSC at each draw. Unpredictable enough for what a
 * program's start-up does with them, and documented as not cryptographic
 * (docs/syscalls.md); every draw is distinct, even on two vCPUs at once,
 * because each takes its own step of the counter atomically.
 */
#include <xen/errno.h>
#include <linux/random.h>
#include <pvmm/linux_state.h>
#include <pvmm/lib.h>
#include <asm/uaccess.h>

#define GOLDEN_GAMMA	0x9e3779b97f4a7c15UL

static unsigned long counter;

static unsigned long rdtsc(void)
{
	unsigned int lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long)hi << 32 | lo;
}

static unsigned long next_word(void)
{
	unsigned long z = __atomic_add_fetch(&counter, GOLDEN_GAMMA, __ATOMIC_RELAXED) ^ rdtsc();

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
	return z ^ (z >> 31);
}

void random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		unsigned long w = next_word();
		size_t n = len < sizeof(w) ? len : sizeof(w);

		memcpy(p, &w, n);
		p += n;
		len -= n;
	}
}

long sys_getrandom(unsigned long ubuf, unsigned long len, unsigned long flags)
{
	unsigned char chunk[256];
	unsigned long done = 0;

	if (flags & ~(unsigned long)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & GRND_RANDOM && flags & GRND_INSECURE))
		return -XEN_EINVAL;
	if (!user_range_ok(ubuf, len))
		return -XEN_EFAULT;
	while (done < len) {
		unsigned long n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);

		random_bytes(chunk, n);
		if (copy_to_user(ubuf + done, chunk, n))
			return done ? (long)done : -XEN_EFAULT;
		done += n;
	}
	return len;
}
