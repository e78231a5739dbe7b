#ifndef PVMM_KERNEL_H
#define PVMM_KERNEL_H

#include <pvmm/compiler.h>

/* Entered once the arch code has set up the vCPU, memory and events. */
void kernel_main(void) __noreturn;

#endif
