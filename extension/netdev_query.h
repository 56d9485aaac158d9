/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netdev_query.h - the devices the netdev command shows: every listed
 * device, those on net_todo_list, and those no longer listed but still
 * referenced by an OVS vport or by the registers of a CPU spinning in
 * netdev_pick_tx; then the user's filter.  No printing here.
 */
#ifndef OVSCRASH_NETDEV_QUERY_H
#define OVSCRASH_NETDEV_QUERY_H

#include "netdev.h"

struct oc_netdev_filter {
	oc_addr addr;			/* only this net_device; 0 = any */
	long netns;			/* only this netns inode; -1 = any */
	long ifindex;			/* -1 = any */
	const char *name;		/* compared with the escaped name; NULL = any */
	int anomalies;			/* only oc_netdev_anomalous() devices */
};

struct oc_netdev_query {
	struct oc_netdev_list l;	/* the devices that passed the filter, in walk order */
	int walk_failed;		/* oc_netdev_walk() failed: l.warn says why */
	int truncated;			/* the budget stopped the search (session.h) */
	char ovs_status[512];		/* why OVS vports were not searched, "" if they were */
	char peer_status[640];		/* why veth peers were not (all) read, "" if they were */
};

/* Fill @q (always initialised; free with oc_netdev_query_free).
 * @ovs_debug_path: openvswitch.ko debuginfo file or directory, may be
 * NULL.  Returns the number of devices kept. */
int oc_netdev_query(const char *ovs_debug_path, const struct oc_netdev_filter *flt,
		    struct oc_netdev_query *q);
void oc_netdev_query_free(struct oc_netdev_query *q);

#endif
