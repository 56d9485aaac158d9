/* SPDX-License-Identifier: GPL-2.0 */
/*
 * budget.h - one work bound per command: the nodes it reads and the wall
 * time it takes, summed over every walk it nests (namespaces x devices,
 * datapaths x buckets x vports, ...).  A walk charges the budget before
 * it reads a node; once spent, the budget stays spent, so every
 * enclosing walk stops too, and the first place that stopped is kept
 * for the command to report.
 */
#ifndef OC_BUDGET_H
#define OC_BUDGET_H

#include <stddef.h>
#include <stdint.h>

#define OC_BUDGET_NODES		200000UL	/* default node bound */
#define OC_BUDGET_MS		60000UL		/* default time bound, ms */

struct oc_budget {
	unsigned long max_nodes;	/* 0 = no bound */
	unsigned long max_ms;		/* 0 = no bound */
	unsigned long nodes;		/* charged so far */
	uint64_t start_ms;
	uint64_t (*clock_ms)(void);	/* monotonic ms; tests supply one */
	int spent;			/* a bound was hit: do no more work */
	char where[160];		/* where work first stopped, "" unknown */
	char reason[96];		/* which bound, with its value */
};

/* Start counting for one command: the bounds, zero counts, now. */
void oc_budget_start(struct oc_budget *b, unsigned long max_nodes,
		     unsigned long max_ms);
/*
 * Ask for @n more nodes (0 only checks the clock).  Returns 0 when the
 * work may go on, -1 when a bound is hit (now or before): the work is
 * not done, b->reason says which bound.  A NULL budget never says no.
 */
int oc_budget_charge(struct oc_budget *b, unsigned long n);
/* Record where work stopped (kept only for the first stop). */
void oc_budget_stopped_at(struct oc_budget *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* ms since oc_budget_start() */
unsigned long oc_budget_elapsed_ms(const struct oc_budget *b);
/* One line: "stopped at WHERE: REASON (N nodes read, T ms)" */
const char *oc_budget_describe(const struct oc_budget *b, char *buf, size_t n);
/*
 * "NODES[,SECONDS]" (SECONDS may have a fraction; 0 = no bound for
 * either; NODES may be empty, ",SECONDS", to keep *max_nodes) into the
 * two bounds.  Returns 0, or -1 with err filled.
 */
int oc_budget_parse(const char *s, unsigned long *max_nodes,
		    unsigned long *max_ms, char *err, size_t n);

#endif
