/* The guest command line: whitespace-separated key=value options. */
#ifndef PVMM_CMDLINE_H
#define PVMM_CMDLINE_H

#include <pvmm/lib.h>

#define CMDLINE_MAX_OPTIONS 16

struct cmdline_option {
	const char *key, *value;
};

struct cmdline {
	char buf[1024];
	struct cmdline_option opt[CMDLINE_MAX_OPTIONS];
	unsigned int count;
};

/*
 * Split @text into options. On a malformed token, a repeated key or too
 * many options, returns false with a one-line reason in @err.
 */
bool cmdline_parse(struct cmdline *cl, const char *text, char *err, size_t errlen);
const char *cmdline_get(const struct cmdline *cl, const char *key);

#endif
