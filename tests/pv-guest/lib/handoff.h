/*
 * A one-way hand-off between two tasks: one waits until the other says
 * go. Never a sleep of so many milliseconds: the waiter runs again exactly
 * when it is told to.
 */
#ifndef HANDOFF_H
#define HANDOFF_H

#include <stdbool.h>

struct task;

struct handoff {
	bool done;
	struct task *waiter;
};

/* Block the calling task until handoff_signal(@h). */
void handoff_wait(struct handoff *h);
/* Let the waiter (if any, now or later) go. From task context, not from a hook. */
void handoff_signal(struct handoff *h);

/*
 * Yield until @flag is set by code that cannot wake a task (a hook, a
 * thread on another vCPU that must not block). ERROR, naming @what, if it
 * is still not set after 10 s: a guard against a hang, not a timing margin.
 */
void wait_until_set(volatile bool *flag, const char *what);

#endif
