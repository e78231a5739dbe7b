/* user-hello: a ring-3 program runs, makes system calls and exits with a status its parent reads. */
#include "user_util.h"

static void user_hello(void)
{
	run_expecting("hello", 42, 0, 42);
	test_print_counters();
}

REGISTER_TEST(user_hello, "user-hello",
	.description = "a user program runs, makes syscalls and exits with a status",
	.run = user_hello,
);
