#ifndef ASM_CONSOLE_H
#define ASM_CONSOLE_H

#include <stddef.h>

/* Pick console_io (initial domain) or the PV console ring (domU). */
void console_init(void);
void console_write(const char *s, size_t len);
/* Wait (bounded) until the console backend has consumed everything. */
void console_flush(void);

#endif
