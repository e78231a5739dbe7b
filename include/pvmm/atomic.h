/* Atomics and barriers for real SMP (the vCPUs run on different physical CPUs). */
#ifndef PVMM_ATOMIC_H
#define PVMM_ATOMIC_H

#include <pvmm/compiler.h>

#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)

#define atomic_load_acquire(p)		__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define atomic_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define atomic_fetch_add(p, v)		__atomic_fetch_add(p, v, __ATOMIC_SEQ_CST)
#define atomic_fetch_or(p, v)		__atomic_fetch_or(p, v, __ATOMIC_SEQ_CST)
#define atomic_fetch_and(p, v)		__atomic_fetch_and(p, v, __ATOMIC_SEQ_CST)
#define atomic_xchg(p, v)		__atomic_exchange_n(p, v, __ATOMIC_SEQ_CST)
#define atomic_cmpxchg(p, old, new)	({					\
	__typeof__(*(p)) __old = (old);						\
	__atomic_compare_exchange_n(p, &__old, new, false, __ATOMIC_SEQ_CST,	\
				    __ATOMIC_SEQ_CST);				\
})

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

#endif
