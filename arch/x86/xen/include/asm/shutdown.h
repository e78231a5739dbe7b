/*
 * How a run ends: its result line, then SCHEDOP_shutdown (shutdown.c).
 *
 * Every run ends with "Test result: WORD" as the last line it prints, in
 * the Xen Test Framework's vocabulary (docs/console-and-results.md). Any
 * vCPU may record a result on the way; the worst one recorded is printed.
 */
#ifndef ASM_SHUTDOWN_H
#define ASM_SHUTDOWN_H

#include <pvmm/compiler.h>
#include <xen/sched.h>

enum guest_result {
	RESULT_SUCCESS,
	RESULT_SKIP,
	RESULT_FAILURE,
	RESULT_ERROR,
};

/* Remember @result; the worst remembered is the run's. */
void result_record(enum guest_result result);
/*
 * Print the result line (the worst of @result and those recorded) and
 * power off (or shut down with the reason guest_exit_set_reason() set).
 */
void guest_exit(enum guest_result result) __noreturn;
/* Every later guest_exit() shuts down with @reason (the toolstack asked for it). */
void guest_exit_set_reason(unsigned int reason);
/* The same, then shut down with @reason (SHUTDOWN_reboot: xl restarts the domain if so configured). */
void guest_exit_reason(enum guest_result result, unsigned int reason) __noreturn;
/* Flush the console and ask Xen to shut the domain down with @reason. */
void xen_shutdown(unsigned int reason) __noreturn;

#endif
