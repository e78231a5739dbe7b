/*
 * Kernel invariants: what must never happen, whatever a test asks for.
 *
 * BUG_ON(cond) and panic(fmt, ...) print one line
 *
 *	BUG: <the condition, or the message> (<file>:<line>)
 *
 * then the call stack, and end the guest with FAILURE (arch/x86/xen/shutdown.c).
 * The runner reports a run with a BUG: line as a kernel bug, apart from a
 * test's own failed check. Core code never reports through the test
 * framework: a failed hypercall is report_hypercall_failure()'s, a broken
 * check-mode invariant is check.c's, everything else is a BUG.
 */
#ifndef PVMM_BUG_H
#define PVMM_BUG_H

#include <pvmm/compiler.h>

void panic_at(const char *file, int line, const char *fmt, ...) __noreturn
	__attribute__((format(printf, 3, 4)));

#define panic(fmt, ...)	panic_at(__FILE__, __LINE__, fmt, ##__VA_ARGS__)

#define BUG_ON(cond) do {							\
	if (unlikely(cond))							\
		panic_at(__FILE__, __LINE__, "%s", #cond);			\
} while (0)

#endif
