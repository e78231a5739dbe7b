/*
 * What context switches cost, per vCPU and by kind, kept by the tests from
 * the MMU's switch hook points (MMU_HOOK_SWITCH_BEGIN/END) with the
 * hypercall meter: the core keeps no statistics of its own.
 */
#ifndef SWITCH_STATS_H
#define SWITCH_STATS_H

struct switch_stats {
	unsigned long mm_switches, mm_switch_hypercalls;	/* to another mm */
	unsigned long same_mm, same_mm_hypercalls;		/* to a task of the loaded mm */
	unsigned long to_kthread, to_kthread_hypercalls;	/* to a kernel thread (lazy) */
};

/* Start keeping them (once, before the switches of interest). */
void switch_stats_start(void);
/* @cpu's so far. */
struct switch_stats switch_stats_of(unsigned int cpu);
/* b - a, field by field. */
struct switch_stats switch_stats_delta(const struct switch_stats *a, const struct switch_stats *b);
/* Print @d as <what>.<field>=N lines. */
void switch_stats_print(const char *what, const struct switch_stats *d);

#endif
