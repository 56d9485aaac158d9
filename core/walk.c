// SPDX-License-Identifier: GPL-2.0
/*
 * walk.c - list walks that never trust the memory they read: every
 * pointer read is checked, the node count is bounded (per list, and
 * across all of a command's walks by its budget), and cycles are
 * detected with Brent's algorithm (O(1) memory, no allocation).
 */
#include "walk.h"
#include "budget.h"

#include <inttypes.h>
#include <stdio.h>

/* the budget said no: say so, and where (the first stop is kept) */
static int spent(struct oc_budget *b, uint64_t head, int count, char *why,
		 size_t n)
{
	oc_budget_stopped_at(b, "list head %" PRIx64 " after %d entries",
			     head, count);
	snprintf(why, n, "%s after %d entries", b->reason, count);
	return -1;
}

int oc_walk(const struct oc_mem *m, struct oc_budget *b, uint64_t head,
	    int hlist, int max, int (*cb)(uint64_t node, void *arg), void *arg,
	    char *why, size_t n)
{
	uint64_t node, tortoise = 0;
	unsigned long power = 1, lam = 0;
	int count = 0;

	if (oc_budget_charge(b, 1))
		return spent(b, head, 0, why, n);
	if (m->read_ptr(m->ctx, head, &node)) {
		snprintf(why, n, "list head %" PRIx64 " unreadable", head);
		return -1;
	}
	for (;;) {
		if (hlist ? node == 0 : node == head)
			return count;
		if (!node || !m->valid(m->ctx, node)) {
			snprintf(why, n, "bad pointer %" PRIx64 " after %d entries", node, count);
			return -1;
		}
		if (count && node == tortoise) {
			snprintf(why, n, "cycle at %" PRIx64 " after %d entries", node, count);
			return -1;
		}
		if (++lam == power) {	/* Brent: move the tortoise ahead */
			tortoise = node;
			power <<= 1;
			lam = 0;
		}
		if (count >= max) {
			snprintf(why, n, "stopped after %d entries (bound)", count);
			return -1;
		}
		/* before the node is handed on (and read by cb) */
		if (oc_budget_charge(b, 1))
			return spent(b, head, count, why, n);
		count++;
		if (cb(node, arg))
			return count;
		if (m->read_ptr(m->ctx, node, &node)) {
			snprintf(why, n, "next pointer unreadable after %d entries", count);
			return -1;
		}
	}
}
