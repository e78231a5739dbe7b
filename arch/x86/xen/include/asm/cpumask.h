/*
 * Sets of vCPUs: one bit per vCPU, MAX_VCPUS bits in 64-bit words, the
 * layout Xen reads for the vcpumask of MMUEXT_*_MULTI (a bitmap of
 * unsigned longs). Small enough to pass and return by value, so masks are
 * used like integers: cpumask_or(a, b), cpumask_andnot(a, b), ...
 */
#ifndef ASM_CPUMASK_H
#define ASM_CPUMASK_H

#include <stdint.h>
#include <asm/percpu.h>

#define CPUMASK_WORDS	((MAX_VCPUS + 63) / 64)

typedef struct {
	uint64_t bits[CPUMASK_WORDS];
} cpumask_t;

#define CPUMASK_NONE	((cpumask_t){ { 0 } })

static inline cpumask_t cpumask_of(unsigned int cpu)
{
	cpumask_t m = CPUMASK_NONE;

	m.bits[cpu / 64] = 1ULL << (cpu % 64);
	return m;
}

/* vCPUs 0 to @n - 1. */
static inline cpumask_t cpumask_first_n(unsigned int n)
{
	cpumask_t m = CPUMASK_NONE;

	for (unsigned int w = 0; w < CPUMASK_WORDS && n > w * 64; w++)
		m.bits[w] = n - w * 64 >= 64 ? ~0ULL : (1ULL << (n - w * 64)) - 1;
	return m;
}

static inline bool cpumask_test(cpumask_t m, unsigned int cpu)
{
	return cpu < MAX_VCPUS && (m.bits[cpu / 64] >> (cpu % 64)) & 1;
}

static inline void cpumask_set(cpumask_t *m, unsigned int cpu)
{
	m->bits[cpu / 64] |= 1ULL << (cpu % 64);
}

static inline void cpumask_clear(cpumask_t *m, unsigned int cpu)
{
	m->bits[cpu / 64] &= ~(1ULL << (cpu % 64));
}

static inline cpumask_t cpumask_or(cpumask_t a, cpumask_t b)
{
	for (unsigned int w = 0; w < CPUMASK_WORDS; w++)
		a.bits[w] |= b.bits[w];
	return a;
}

static inline cpumask_t cpumask_and(cpumask_t a, cpumask_t b)
{
	for (unsigned int w = 0; w < CPUMASK_WORDS; w++)
		a.bits[w] &= b.bits[w];
	return a;
}

/* @a without @b. */
static inline cpumask_t cpumask_andnot(cpumask_t a, cpumask_t b)
{
	for (unsigned int w = 0; w < CPUMASK_WORDS; w++)
		a.bits[w] &= ~b.bits[w];
	return a;
}

static inline bool cpumask_empty(cpumask_t m)
{
	for (unsigned int w = 0; w < CPUMASK_WORDS; w++)
		if (m.bits[w])
			return false;
	return true;
}

static inline bool cpumask_equal(cpumask_t a, cpumask_t b)
{
	for (unsigned int w = 0; w < CPUMASK_WORDS; w++)
		if (a.bits[w] != b.bits[w])
			return false;
	return true;
}

/* The lowest vCPU in @m, or MAX_VCPUS if it is empty. */
static inline unsigned int cpumask_first(cpumask_t m)
{
	for (unsigned int w = 0; w < CPUMASK_WORDS; w++)
		if (m.bits[w])
			return w * 64 + __builtin_ctzll(m.bits[w]);
	return MAX_VCPUS;
}

/* (Not __builtin_popcountll: without -mpopcnt that is a libgcc call.) */
static inline unsigned int cpumask_weight(cpumask_t m)
{
	unsigned int n = 0;

	for (unsigned int w = 0; w < CPUMASK_WORDS; w++)
		for (uint64_t b = m.bits[w]; b; b &= b - 1)
			n++;
	return n;
}

#define for_each_cpu(cpu, mask)							\
	for (cpumask_t __m = (mask); ((cpu) = cpumask_first(__m)) < MAX_VCPUS;	\
	     cpumask_clear(&__m, (cpu)))

/* Each word read atomically: a mask other vCPUs change bit by bit. */
static inline cpumask_t cpumask_load(const cpumask_t *m)
{
	cpumask_t copy;

	for (unsigned int w = 0; w < CPUMASK_WORDS; w++)
		copy.bits[w] = __atomic_load_n(&m->bits[w], __ATOMIC_ACQUIRE);
	return copy;
}

static inline bool cpumask_test_atomic(const cpumask_t *m, unsigned int cpu)
{
	return cpu < MAX_VCPUS &&
	       (__atomic_load_n(&m->bits[cpu / 64], __ATOMIC_ACQUIRE) >> (cpu % 64)) & 1;
}

static inline void cpumask_set_atomic(cpumask_t *m, unsigned int cpu)
{
	__atomic_fetch_or(&m->bits[cpu / 64], 1ULL << (cpu % 64), __ATOMIC_SEQ_CST);
}

static inline void cpumask_clear_atomic(cpumask_t *m, unsigned int cpu)
{
	__atomic_fetch_and(&m->bits[cpu / 64], ~(1ULL << (cpu % 64)), __ATOMIC_SEQ_CST);
}

/* At most 16 hex digits per word, most significant word first, no leading zeros: @buf. */
char *cpumask_format(char *buf, unsigned int size, cpumask_t m);
#define CPUMASK_FORMAT_SIZE	(CPUMASK_WORDS * 16 + 3)

#endif
