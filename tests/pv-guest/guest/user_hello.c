/* user-hello: a ring-3 program runs, makes system calls and exits with a status its parent reads. */
#include <hypercall/hypercall.h>
#include "user_util.h"

static void user_hello(void)
{
	unsigned long base = pages_in_use();
	int status = run_program("hello", 42, 0);

	printk("exit_status=%d\n", status);
	test_check(status == 42, "hello exited with %d, expected 42", status);
	check_pages_back(base, "hello");
	test_print_counters();
}

REGISTER_TEST(user_hello,
	.name = "user-hello",
	.description = "a user program runs, makes syscalls and exits with a status",
	.run = user_hello,
);
