/* SPDX-License-Identifier: GPL-2.0 */
/* walk.h - bounded, cycle-detecting walks over linked lists in untrusted
 * memory, through a reader the caller supplies (crash's readmem in the
 * extension, a synthetic memory map in the unit tests). */
#ifndef OC_WALK_H
#define OC_WALK_H

#include <stddef.h>
#include <stdint.h>

struct oc_budget;

struct oc_mem {
	/* read one pointer at addr; 0 on success */
	int (*read_ptr)(void *ctx, uint64_t addr, uint64_t *val);
	/* is addr a plausible kernel virtual address? */
	int (*valid)(void *ctx, uint64_t addr);
	void *ctx;
};

/*
 * Walk a circular struct list_head at head (hlist = 0) or a NULL
 * terminated hlist_head (hlist = 1); cb gets each node address and stops
 * the walk by returning non-zero.  At most max nodes; a cycle that does
 * not return to head, an invalid or unreadable pointer end the walk.
 * Every pointer read (the head, then each node before cb gets it) is
 * first charged to @b (NULL: none); when @b says no, the walk stops
 * there and records the list head in b->where.  Returns the node count,
 * or -1 with why filled (nodes seen before the fault were delivered).
 */
int oc_walk(const struct oc_mem *m, struct oc_budget *b, uint64_t head,
	    int hlist, int max, int (*cb)(uint64_t node, void *arg), void *arg,
	    char *why, size_t n);

#endif
