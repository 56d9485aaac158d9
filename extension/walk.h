/* SPDX-License-Identifier: GPL-2.0 */
/* walk.h - bounded, cycle-detecting walks over lists in dump memory */
#ifndef OVSCRASH_WALK_H
#define OVSCRASH_WALK_H

#include "target.h"

/* Walk a circular struct list_head at head; cb gets each node address
 * (not head).  Stops at OC_MAX_WALK nodes, on a cycle that does not
 * return to head, on an unreadable pointer, or when the running
 * command's budget (session.h) is spent: every read is charged to it
 * first.  Returns the node count, or -1 with why filled (nodes seen
 * before the fault were delivered). */
int oc_list_walk(oc_addr head, int (*cb)(oc_addr node, void *arg), void *arg,
		 char *why, size_t n);
/* Walk an hlist_head (NULL terminated), same contract. */
int oc_hlist_walk(oc_addr head, int (*cb)(oc_addr node, void *arg), void *arg,
		  char *why, size_t n);

#endif
