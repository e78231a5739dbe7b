/*
 * Test selection and the result protocol (see <pvmm/test.h>). Every way a
 * test ends goes through guest_exit(), so the result line is always the
 * last thing the guest prints.
 */
#include <xen/errno.h>
#include <pvmm/test.h>
#include <pvmm/cmdline.h>
#include <pvmm/options.h>
#include <hypercall/counters.h>

extern const struct test __tests_start[], __tests_end[];

static struct cmdline cmdline;
static const struct test *selected;

static void report(const char *tag, const char *fmt, va_list ap)
{
	char msg[256];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	printk("%s%s\n", tag, msg);
}

void test_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("FAIL: ", fmt, ap);
	va_end(ap);
	result_record(RESULT_FAILURE);
}

void test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("SKIP: ", fmt, ap);
	va_end(ap);
	result_record(RESULT_SKIP);
}

void test_end(enum guest_result result)
{
	guest_exit(result);
}

void test_end_reason(enum guest_result result, unsigned int reason)
{
	guest_exit_reason(result, reason);
}

void test_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("pvmm: ", fmt, ap);
	va_end(ap);
	guest_exit(RESULT_ERROR);
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
	unsigned long received = 0, polls = 0, kicks = 0;

	hypercall_counts_snapshot_all(&all);
	for (unsigned int cpu = 0; cpu < MAX_VCPUS; cpu++) {
		received += percpu_areas[cpu].ipis_received;
		polls += percpu_areas[cpu].sleeps;
		kicks += percpu_areas[cpu].kicks_sent;
	}
	hypercall_counts_print("", &all);
	printk("ipis.sent=%lu\nipis.received=%lu\nwaits.polls=%lu\nwaits.kicks=%lu\n", ipis_sent_all(),
	       received, polls, kicks);
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

long test_user_call(unsigned long op, unsigned long arg)
{
	return selected && selected->user_call ? selected->user_call(op, arg) : -XEN_ENOSYS;
}

/*
 * The list of tests outgrows any fixed line buffer, so it is streamed to the
 * console after @what; test selection runs before other vCPUs print.
 */
static void __noreturn error_listing_tests(const char *what)
{
	printk("pvmm: %s; valid tests: ", what);
	for (const struct test *t = __tests_start; t < __tests_end; t++)
		printk("%s%s", t == __tests_start ? "" : ", ", t->name);
	printk("\n");
	guest_exit(RESULT_ERROR);
}

static bool test_accepts(const struct test *t, const char *key)
{
	if (!strcmp(key, "test") || global_option_known(key))
		return true;
	for (const char *const *o = t->options; o && *o; o++)
		if (!strcmp(*o, key))
			return true;
	return false;
}

/* Every option @t takes: its own, then the global ones. */
static void list_options(const struct test *t, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const char *const *o = t->options; o && *o; o++)
		used += snprintf(buf + used, used < len ? len - used : 0, "%s, ", *o);
	if (used < len)
		global_option_names(buf + used, len - used);
}

const struct test *test_select(const char *text)
{
	char msg[256];
	const char *name;

	if (!cmdline_parse(&cmdline, text, msg, sizeof(msg)))
		test_error("%s", msg);
	name = cmdline_get(&cmdline, "test");
	if (!name)
		error_listing_tests("no test named on the command line: add test=NAME");

	for (const struct test *t = __tests_start; t < __tests_end; t++) {
		if (strcmp(t->name, name))
			continue;
		for (unsigned int i = 0; i < cmdline.count; i++) {
			if (test_accepts(t, cmdline.opt[i].key))
				continue;
			list_options(t, msg, sizeof(msg));
			test_error("unknown option '%s' for test '%s'; valid options: %s",
				   cmdline.opt[i].key, name, msg);
		}
		global_options_apply(&cmdline);
		selected = t;
		return t;
	}
	snprintf(msg, sizeof(msg), "unknown test '%s'", name);
	error_listing_tests(msg);
}
