#ifndef ASM_SHUTDOWN_H
#define ASM_SHUTDOWN_H

#include <pvmm/compiler.h>
#include <xen/sched.h>

/* Flush the console and ask Xen to shut the domain down with @reason. */
void xen_shutdown(unsigned int reason) __noreturn;

#endif
