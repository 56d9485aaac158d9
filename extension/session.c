// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - the session context and the running command's budget.
 */
#include "session.h"
#include "netns.h"
#include "tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct oc_session oc_sess;

/* $OVSCRASH_TIMING set: when the running command started */
static struct timespec t_wall, t_cpu;
static int timing;

static double since(clockid_t clk, const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

int oc_session_command(const char *opt, char *err, size_t n)
{
	unsigned long nodes = OC_BUDGET_NODES, ms = OC_BUDGET_MS;
	const char *env = getenv("OVSCRASH_BUDGET");
	char why[160];

	if (!opt && env && *env &&
	    oc_budget_parse(env, &nodes, &ms, why, sizeof(why))) {
		snprintf(err, n, "$OVSCRASH_BUDGET: %s", why);
		return -1;
	}
	if (opt && oc_budget_parse(opt, &nodes, &ms, why, sizeof(why))) {
		snprintf(err, n, "-B: %s", why);
		return -1;
	}
	oc_budget_start(&oc_sess.budget, nodes, ms);
	oc_sess.command_seq++;
	/* the pages stay: a dump's memory does not change, and a second
	 * walk then costs no decompression; only the counters restart */
	oc_sess.pages.hits = oc_sess.pages.misses = oc_sess.pages.faults = 0;
	timing = getenv("OVSCRASH_TIMING") != NULL;
	if (timing) {
		clock_gettime(CLOCK_MONOTONIC, &t_wall);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t_cpu);
	}
	return 0;
}

void oc_session_command_done(const char *cmd)
{
	struct oc_pagecache *c = &oc_sess.pages;

	/* on stderr: the command's own output may go to a file or a pipe */
	if (timing)
		fprintf(stderr, "OVSCRASH_TIMING %s wall_ms %.3f cpu_ms %.3f "
			"pages_read %lu page_hits %lu page_faults %lu\n", cmd,
			since(CLOCK_MONOTONIC, &t_wall),
			since(CLOCK_PROCESS_CPUTIME_ID, &t_cpu), c->misses, c->hits,
			c->faults);
	timing = 0;
}

void oc_session_end(void)
{
	oc_netns_forget();
	oc_tasks_free();
	oc_pagecache_free(&oc_sess.pages);
}

struct oc_budget *oc_cmd_budget(void)
{
	return &oc_sess.budget;
}

int oc_cmd_budget_spent(void)
{
	return oc_sess.budget.spent;
}

int oc_cmd_out_of_time(void)
{
	struct oc_budget *b = &oc_sess.budget;

	if (!b->max_ms || oc_budget_elapsed_ms(b) < b->max_ms)
		return 0;
	oc_budget_charge(b, 0);		/* records the reason */
	return 1;
}
