/*
 * Test selection and the result protocol (see <pvmm/test.h>). Every way a
 * run can end goes through test_end(), so the result line is always the
 * last thing the guest prints.
 */
#include <pvmm/test.h>
#include <pvmm/cmdline.h>
#include <asm/shutdown.h>
#include <asm/events.h>
#include <hypercall/counters.h>

extern const struct test __tests_start[], __tests_end[];

static const char *const result_names[] = {
	[RESULT_SUCCESS] = "SUCCESS",
	[RESULT_SKIP] = "SKIP",
	[RESULT_FAILURE] = "FAILURE",
	[RESULT_ERROR] = "ERROR",
};

static enum test_result recorded = RESULT_SUCCESS;
static struct cmdline cmdline;

/* Any vCPU may record: keep the worst result. */
static void record(enum test_result r)
{
	enum test_result old = __atomic_load_n(&recorded, __ATOMIC_RELAXED);

	while (r > old &&
	       !__atomic_compare_exchange_n(&recorded, &old, r, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
}

void test_fail(const char *fmt, ...)
{
	va_list ap;

	printk("FAIL: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	record(RESULT_FAILURE);
}

void test_skip(const char *fmt, ...)
{
	va_list ap;

	printk("SKIP: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	record(RESULT_SKIP);
}

void test_end(enum test_result result)
{
	static bool ending;

	local_irq_disable();
	if (ending)	/* a failure while ending: the first result line stands */
		xen_shutdown(SHUTDOWN_crash);
	ending = true;
	record(result);
	printk("Test result: %s\n", result_names[recorded]);
	xen_shutdown(SHUTDOWN_poweroff);
}

void test_error(const char *fmt, ...)
{
	va_list ap;

	printk("pvmm: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	test_end(RESULT_ERROR);
}

unsigned long ipis_sent_all(void)
{
	unsigned long sent = 0;

	for (unsigned int cpu = 0; cpu < MAX_VCPUS; cpu++)
		sent += percpu_areas[cpu].ipis_sent;
	return sent;
}

void test_print_counters(void)
{
	struct hypercall_counts all;
	unsigned long received = 0;

	hypercall_counts_snapshot_all(&all);
	for (unsigned int cpu = 0; cpu < MAX_VCPUS; cpu++)
		received += percpu_areas[cpu].ipis_received;
	hypercall_counts_print("", &all);
	printk("ipis.sent=%lu\nipis.received=%lu\n", ipis_sent_all(), received);
}

bool test_option(const char *name, const char **out)
{
	const char *v = cmdline_get(&cmdline, name);

	if (v)
		*out = v;
	return v != NULL;
}

unsigned long test_option_ulong(const char *name, unsigned long def)
{
	const char *s;
	unsigned long v;

	if (!test_option(name, &s))
		return def;
	if (!parse_ulong(s, &v))
		test_error("malformed value '%s' for option '%s': expected a number", s, name);
	return v;
}

static void list_tests(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const struct test *t = __tests_start; t < __tests_end; t++)
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s",
				 t == __tests_start ? "" : ", ", t->name);
}

static bool test_accepts(const struct test *t, const char *key)
{
	/* Every test takes the global options (see kernel_main()). */
	if (!strcmp(key, "test") || !strcmp(key, "check") || !strcmp(key, "inject") ||
	    !strcmp(key, "lazy") || !strcmp(key, "switch_delay"))
		return true;
	for (const char *const *o = t->options; o && *o; o++)
		if (!strcmp(*o, key))
			return true;
	return false;
}


const struct test *test_select(const char *text)
{
	char msg[256], names[512];
	const char *name;

	if (!cmdline_parse(&cmdline, text, msg, sizeof(msg)))
		test_error("%s", msg);
	list_tests(names, sizeof(names));
	name = cmdline_get(&cmdline, "test");
	if (!name)
		test_error("no test named on the command line: add test=NAME; valid tests: %s", names);

	for (const struct test *t = __tests_start; t < __tests_end; t++) {
		if (strcmp(t->name, name))
			continue;
		for (unsigned int i = 0; i < cmdline.count; i++) {
			if (test_accepts(t, cmdline.opt[i].key))
				continue;
			msg[0] = '\0';
			for (const char *const *o = t->options; o && *o; o++)
				snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "%s%s",
					 o == t->options ? "" : ", ", *o);
			test_error("unknown option '%s' for test '%s'; valid options: %s%scheck, inject, lazy, switch_delay",
				   cmdline.opt[i].key, name, msg, msg[0] ? ", " : "");
		}
		return t;
	}
	test_error("unknown test '%s'; valid tests: %s", name, names);
}
