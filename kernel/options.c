/* The global options (see <pvmm/options.h>). */
#include <pvmm/options.h>
#include <pvmm/cmdline.h>
#include <pvmm/test.h>

struct global_option_desc {
	const char *name;
	const char *const *values;	/* NULL-terminated; the first is the default */
	const char *help;
};

static const struct global_option_desc options[NR_GLOBAL_OPTIONS] = GLOBAL_OPTIONS_TABLE;
static unsigned int values[NR_GLOBAL_OPTIONS];

unsigned int global_option(enum global_option opt)
{
	return values[opt];
}

bool global_option_known(const char *name)
{
	for (unsigned int i = 0; i < NR_GLOBAL_OPTIONS; i++)
		if (!strcmp(options[i].name, name))
			return true;
	return false;
}

void global_option_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < NR_GLOBAL_OPTIONS; i++)
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s", i ? ", " : "",
				 options[i].name);
}

static void value_names(const struct global_option_desc *o, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const char *const *v = o->values; *v; v++)
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s",
				 v == o->values ? "" : ", ", *v);
}

void global_options_apply(const struct cmdline *cl)
{
	char valid[128], set[128] = "";
	size_t used = 0;

	for (unsigned int i = 0; i < NR_GLOBAL_OPTIONS; i++) {
		const struct global_option_desc *o = &options[i];
		const char *v = cmdline_get(cl, o->name);
		unsigned int n = 0;

		if (!v)
			continue;
		while (o->values[n] && strcmp(o->values[n], v))
			n++;
		if (!o->values[n]) {
			value_names(o, valid, sizeof(valid));
			test_error("unknown value '%s' for option '%s'; valid: %s", v, o->name, valid);
		}
		values[i] = n;
		if (n)
			used += snprintf(set + used, used < sizeof(set) ? sizeof(set) - used : 0,
					 " %s=%s", o->name, v);
	}
	if (set[0])
		printk("pvmm: global options:%s\n", set);
}
