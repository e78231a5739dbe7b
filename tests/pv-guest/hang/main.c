/*
 * hang: a test of the harness itself. The guest never finishes (it blocks
 * in Xen for ever, taking timer events); the runner must report a timeout.
 */
#include <asm/events.h>
#include <pvmm/test.h>

static void hang(void)
{
	printk("hang: blocking for ever\n");
	local_irq_disable();
	for (;;)
		block_until_event();
}

REGISTER_TEST(hang, "hang",
	.description = "never finish: the runner must report the timeout",
	.run = hang,
);
