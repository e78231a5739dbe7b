/*
 * What teardowns (exit_mmap) cost, kept by the tests from the MMU's
 * teardown hook points with the hypercall meter (check mode's own calls
 * are not metered, so the figures are the same with check=1).
 */
#ifndef TEARDOWN_STATS_H
#define TEARDOWN_STATS_H

#include <stdbool.h>

struct mm;

struct teardown_record {
	const struct mm *mm;		/* which (gone: compare, never dereference) */
	unsigned int holders;		/* other vCPUs whose loaded_mm it was as it began */
	unsigned long ipis;		/* vCPUs it sent an IPI (all in one hypercall) */
	unsigned long hypercalls;	/* hypercalls it made on its vCPU */
};

/* Start keeping them (once, before the teardowns of interest). */
void teardown_stats_start(void);
/* The record of the newest teardown of @mm among the last 8: false if there is none. */
bool teardown_record_of(const struct mm *mm, struct teardown_record *out);
/* The newest teardown's record: false if none has finished. */
bool teardown_record_last(struct teardown_record *out);

#endif
