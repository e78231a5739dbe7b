#include <pvmm/kernel.h>
#include <pvmm/test.h>
#include <pvmm/control.h>
#include <pvmm/hotplug.h>
#include <pvmm/initramfs.h>
#include <hypercall/hypercall.h>
#include <asm/xen.h>

static void print_environment(void)
{
	long version = HYPERVISOR_xen_version(XENVER_version, NULL);

	if (version < 0)
		report_hypercall_failure("xen_version", version, "XENVER_version, NULL");
	printk("pvmm: Xen %ld.%ld, %s, %lu pages, command line '%s'\n",
	       version >> 16, version & 0xffff,
	       xen_initial_domain() ? "initial domain" : "domU",
	       start_info->nr_pages, (const char *)start_info->cmd_line);
}

void kernel_main(void)
{
	const struct test *t;

	print_environment();
	t = test_select((const char *)start_info->cmd_line);
	printk("pvmm: running test %s: %s\n", t->name, t->description);
	initramfs_init();
	control_init();
	hotplug_init();
	t->run();
	test_end(RESULT_SUCCESS);
}
