/*
 * Tests and the result protocol.
 *
 * A guest runs exactly one test, picked by `test=NAME` on its command line.
 * Its last console line is "Test result: SUCCESS|FAILURE|SKIP|ERROR" (the
 * Xen Test Framework's vocabulary, <asm/shutdown.h>), preceded by key=value
 * lines for what it measured. SUCCESS: every assertion held. FAILURE: an
 * assertion failed, a hypercall failed, or the kernel hit a bug. SKIP: the
 * test cannot run in this configuration. ERROR: the test was asked for
 * wrongly (bad command line) or its environment is broken.
 *
 * Only kernel/ and tests/ use this header: the MMU layer, the arch code and
 * the hypercall layer report their own failures (<pvmm/bug.h>).
 */
#ifndef PVMM_TEST_H
#define PVMM_TEST_H

#include <pvmm/lib.h>
#include <asm/shutdown.h>

struct test {
	const char *name;
	const char *description;
	/* Option names the test accepts (besides test= and the global ones), NULL-terminated. */
	const char *const *options;
	void (*run)(void);
	/*
	 * The test's answer to its user programs' PVMM_SYS_test_call(op, arg), or
	 * NULL (the call then returns -ENOSYS). It may block: a program waits
	 * there for a hand-off from the test.
	 */
	long (*user_call)(unsigned long op, unsigned long arg);
};

/*
 * Register a test named @test_name (a string literal): into the image's
 * table of tests, and into the .pvmm_test_names section, from which the
 * build writes build/tests.list, the list the runner checks its specs
 * against.
 */
#define REGISTER_TEST(ident, test_name, ...)					\
	asm(".pushsection .pvmm_test_names, \"\", @progbits\n\t"		\
	    ".ascii \"" test_name "\\n\"\n\t.popsection");			\
	static const struct test test_##ident					\
		__attribute__((used, section(".pvmm_tests"), aligned(8))) = {	\
		.name = test_name,						\
		__VA_ARGS__							\
	}

/* Parse the command line and find the test it names; ends with ERROR if it cannot. */
const struct test *test_select(const char *cmdline);
/* PVMM_SYS_test_call from a user program: the running test's user_call, or -ENOSYS. */
long test_user_call(unsigned long op, unsigned long arg);

/* Record a failure (the run goes on; the result will be FAILURE). */
void test_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Record that the test cannot run here (unless something already failed). */
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the result line and shut the domain down. */
void test_end(enum guest_result result) __noreturn;
/* The same, shutting down with @reason (a SHUTDOWN_* of <xen/sched.h>). */
void test_end_reason(enum guest_result result, unsigned int reason) __noreturn;
/* Print a reason, then end with ERROR. */
void test_error(const char *fmt, ...) __noreturn __attribute__((format(printf, 1, 2)));

/*
 * Print the hypercall counters summed over every vCPU (as key=value lines)
 * and the IPIs sent and received.
 */
void test_print_counters(void);
/* IPIs sent so far, summed over every vCPU. */
unsigned long ipis_sent_all(void);

/* A test's option from the command line; false (and *out untouched) if absent. */
bool test_option(const char *name, const char **out);
/* A numeric option, @def when absent; a malformed value ends the run with ERROR. */
unsigned long test_option_ulong(const char *name, unsigned long def);

/* Assert helper: record a failure with the condition's text. */
#define test_check(cond, fmt, ...) ({						\
	bool __ok = (cond);							\
	if (!__ok)								\
		test_fail("%s:%d: %s: " fmt, __FILE__, __LINE__, #cond,		\
			  ##__VA_ARGS__);					\
	__ok;									\
})

#endif
