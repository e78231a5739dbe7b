#include <pvmm/kernel.h>
#include <pvmm/test.h>
#include <hypercall/hypercall.h>
#include <asm/xen.h>
#include <asm/mm.h>
#include <asm/tlb_check.h>

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

/* The options every test takes: check=0|1 and inject=NAME (asm/tlb_check.h). */
static void global_options(void)
{
	unsigned long check = test_option_ulong("check", 0);
	const char *v;

	if (check > 1)
		test_error("malformed value for option 'check': expected 0 or 1");
	tlb_check_mode = check;
	if (test_option("inject", &v) && !tlb_inject_parse(v))
		test_error("unknown inject '%s'; valid: %s", v, tlb_inject_names());
	if (test_option("switch_delay", &v) && !tlb_switch_delay_parse(v))
		test_error("malformed switch_delay '%s': expected before:MS or after:MS", v);
	if (test_option("lazy", &v)) {
		if (strcmp(v, "flush") && strcmp(v, "leave"))
			test_error("unknown lazy '%s'; valid: flush, leave", v);
		tlb_lazy_leave = !strcmp(v, "leave");
	}
	if (tlb_check_mode || tlb_inject)
		printk("pvmm: check mode %s, inject %s\n", tlb_check_mode ? "on" : "off",
		       tlb_inject ? v : "none");
}

void kernel_main(void)
{
	const struct test *t;

	print_environment();
	t = test_select((const char *)start_info->cmd_line);
	global_options();
	printk("pvmm: running test %s: %s\n", t->name, t->description);
	t->run();
	test_end(RESULT_SUCCESS);
}
