// SPDX-License-Identifier: GPL-2.0
/*
 * walk.c - list walks that never trust dump memory: every pointer read is
 * checked, the node count is bounded and cycles are detected with
 * Brent's algorithm (no allocation, O(1) memory).
 */
#include "walk.h"

#include <stdio.h>

static int walk(oc_addr head, int hlist, int (*cb)(oc_addr, void *), void *arg,
		char *why, size_t n)
{
	oc_addr node, tortoise = 0;
	unsigned long power = 1, lam = 0;
	int count = 0;

	if (oc_read_ulong(head, &node)) {
		snprintf(why, n, "list head %lx unreadable", head);
		return -1;
	}
	for (;;) {
		if (hlist ? node == 0 : node == head)
			return count;
		if (!oc_is_kvaddr(node) || (hlist == 0 && node == 0)) {
			snprintf(why, n, "bad pointer %lx after %d entries", node, count);
			return -1;
		}
		if (node == tortoise) {
			snprintf(why, n, "cycle at %lx after %d entries", node, count);
			return -1;
		}
		if (++lam == power) {	/* Brent: move the tortoise */
			tortoise = node;
			power <<= 1;
			lam = 0;
		}
		if (count >= OC_MAX_WALK) {
			snprintf(why, n, "stopped after %d entries (bound)", count);
			return -1;
		}
		count++;
		if (cb(node, arg))
			return count;
		if (oc_read_ulong(node, &node)) {
			snprintf(why, n, "next pointer unreadable after %d entries", count);
			return -1;
		}
	}
}

int oc_list_walk(oc_addr head, int (*cb)(oc_addr, void *), void *arg, char *why, size_t n)
{
	return walk(head, 0, cb, arg, why, n);
}

int oc_hlist_walk(oc_addr head, int (*cb)(oc_addr, void *), void *arg, char *why, size_t n)
{
	return walk(head, 1, cb, arg, why, n);
}
