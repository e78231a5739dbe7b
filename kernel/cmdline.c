#include <pvmm/cmdline.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool cmdline_parse(struct cmdline *cl, const char *text, char *err, size_t errlen)
{
	size_t len = strnlen(text, sizeof(cl->buf) - 1);
	char *p = cl->buf;

	memcpy(cl->buf, text, len);
	cl->buf[len] = '\0';
	cl->count = 0;

	for (;;) {
		char *token, *eq;

		while (is_space(*p))
			*p++ = '\0';
		if (!*p)
			return true;
		token = p;
		while (*p && !is_space(*p))
			p++;
		if (*p)
			*p++ = '\0';

		eq = strchr(token, '=');
		if (!eq || eq == token || !eq[1]) {
			snprintf(err, errlen, "malformed command-line option '%s': expected key=value, e.g. test=smoke", token);
			return false;
		}
		*eq = '\0';
		if (cmdline_get(cl, token)) {
			snprintf(err, errlen, "command-line option '%s' given twice", token);
			return false;
		}
		if (cl->count == CMDLINE_MAX_OPTIONS) {
			snprintf(err, errlen, "more than %d command-line options", CMDLINE_MAX_OPTIONS);
			return false;
		}
		cl->opt[cl->count++] = (struct cmdline_option){ token, eq + 1 };
	}
}

const char *cmdline_get(const struct cmdline *cl, const char *key)
{
	for (unsigned int i = 0; i < cl->count; i++)
		if (!strcmp(cl->opt[i].key, key))
			return cl->opt[i].value;
	return NULL;
}
