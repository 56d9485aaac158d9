// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - the session context and the running command's budget.
 */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>

struct oc_session oc_sess;

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
	return 0;
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
