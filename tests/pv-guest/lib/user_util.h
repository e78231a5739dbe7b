/* Helpers of the user-process tests. */
#ifndef USER_UTIL_H
#define USER_UTIL_H

#include <pvmm/test.h>
#include <asm/page_alloc.h>

static inline unsigned long pages_in_use(void)
{
	return pages_total() - pages_free();
}

/* Run @program(@arg) on @cpu as a new process, wait for it: its exit status (or a negative errno). */
int run_program(const char *program, unsigned long arg, unsigned int cpu);
/*
 * Run @program(@arg) on @cpu, print its exit status, check it is @expected
 * and that every page it used came back.
 */
void run_expecting(const char *program, unsigned long arg, unsigned int cpu, int expected);
/*
 * Every page is back: pages in use return to @base (a task freed by its
 * vCPU after switching away may lag by a moment: wait up to a second).
 */
void check_pages_back(unsigned long base, const char *after);

#endif
