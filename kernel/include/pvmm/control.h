/*
 * Requests from the toolstack: `xl shutdown` and `xl reboot` write
 * control/shutdown in the domain's xenstore directory; the guest watches
 * it, clears it (the acknowledgement xl waits for) and acts.
 *
 * A test that expects requests claims them and waits for one; otherwise a
 * request ends the run early: every process is stopped (each mm torn down
 * by exit_mmap), the result is ERROR (the test never finished), and the
 * domain shuts down with the reason asked for. A value pvmm does not honour
 * gets a console line and changes nothing. docs/lifecycle.md.
 */
#ifndef PVMM_CONTROL_H
#define PVMM_CONTROL_H

/* Start watching control/shutdown (a domU with a store; from kernel_main). */
void control_init(void);
/* The running test takes the requests itself (control_wait()). */
void control_claim(void);
/*
 * Block until the toolstack asks to power off or reboot: SHUTDOWN_poweroff
 * or SHUTDOWN_reboot; -XEN_ENODEV if no request can reach this guest (the
 * initial domain, or a store that failed).
 */
int control_wait(void);
/* "poweroff" for SHUTDOWN_poweroff, and so on. */
const char *shutdown_reason_name(unsigned int reason);

#endif
