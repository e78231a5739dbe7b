/*
 * wx-image: the kernel image is W^X from early boot (direct_map.c,
 * direct_map_protect_image()). The test does what a kernel bug would: a
 * write to its own text or read-only data, or a call into data or the
 * direct map (what=text|rodata|data|direct-map). Each must end the run
 * with a BUG: line naming the address; getting past it is the failure
 * (the image was writable, or the data executable).
 */
#include <pvmm/lib.h>
#include <pvmm/test.h>
#include <asm/page.h>
#include <asm/page_alloc.h>

static const unsigned char rodata_target[64] = { [0 ... 63] = 0x5a };
static unsigned char data_target[64] = { [0 ... 63] = 0xc3 };	/* ret */

static __attribute__((noinline, used)) unsigned long text_target(unsigned long x)
{
	return x ^ 0x55;
}

static void write_to(const char *what, const void *where)
{
	printk("wx-image: writing to the %s at %p\n", what, where);
	*(volatile unsigned char *)where = 0xcc;
	test_fail("the write to the %s at %p went through: it is writable", what, where);
}

static void call_into(const char *what, void *where)
{
	printk("wx-image: calling into the %s at %p\n", what, where);
	((void (*)(void))where)();
	test_fail("the call into the %s at %p returned: it is executable", what, where);
}

static void wx_image(void)
{
	const char *what = "text";
	unsigned char *page;

	test_option("what", &what);
	if (!strcmp(what, "text")) {
		write_to("text", (const void *)text_target);
	} else if (!strcmp(what, "rodata")) {
		write_to("read-only data", rodata_target);
	} else if (!strcmp(what, "data")) {
		call_into("data", data_target);
	} else if (!strcmp(what, "direct-map")) {
		page = alloc_page();
		if (!page)
			test_error("no page to call into");
		memset(page, 0xc3, PAGE_SIZE);	/* ret */
		call_into("direct map", page);
		free_page(page);
	} else {
		test_error("what=%s: expected text, rodata, data or direct-map", what);
	}
}

static const char *const wx_image_options[] = { "what", NULL };

REGISTER_TEST(wx_image, "wx-image",
	.description = "a kernel write to its text or rodata, a call into data: a BUG line (W^X)",
	.options = wx_image_options,
	.run = wx_image,
);
