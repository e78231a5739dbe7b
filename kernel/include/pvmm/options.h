/*
 * The global options: what every guest test takes on its command line
 * besides its own (check, inject, lazy). Defined once, with their values
 * and help, in kernel/global-options.toml; the build generates the C
 * constants from it (OPT_<NAME>_<VALUE>), and the runner reads the same
 * table.
 */
#ifndef PVMM_OPTIONS_H
#define PVMM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <generated/global_options.h>

struct cmdline;

/* The value of @opt, as an index into its values: compare with OPT_<NAME>_<VALUE>. */
unsigned int global_option(enum global_option opt);
/* Whether @name is a global option. */
bool global_option_known(const char *name);
/* Take the global options from @cl; an unknown value ends the run with ERROR. */
void global_options_apply(const struct cmdline *cl);
/* "check, inject, lazy" into @buf. */
void global_option_names(char *buf, size_t len);

#endif
