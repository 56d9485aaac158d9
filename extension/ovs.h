/* SPDX-License-Identifier: GPL-2.0 */
/* ovs.h - OVS datapaths and vports, walked from every network namespace */
#ifndef OVSCRASH_OVS_H
#define OVSCRASH_OVS_H

#include "netdev.h"
#include "../core/addrmap.h"

struct oc_datapath {
	oc_addr addr, net;
	unsigned int netns_inum;
	unsigned char name[OC_IFNAMSIZ + 1];	/* name of its local port's device */
	int nports;
};

struct oc_vport {
	oc_addr addr, dp;
	int dp_index;			/* into oc_ovs.dps */
	int port_no;
	long type;			/* enum ovs_vport_type, -1 unknown */
	char type_name[24];
	struct oc_netdev nd;		/* the device behind it */
	int dev_ok;			/* read, and its fields plausible */
	char dev_bad[96];		/* why vport->dev is not used */
	int rx_hook_attached;		/* dev->rx_handler is OVS's hook */
	int race_window;		/* dev unregistering but vport still in dp */
	char race_why[160];
};

struct oc_ovs {
	int available;			/* module + debuginfo usable */
	char status[512];		/* why not */
	struct oc_datapath *dps;
	int ndps;
	struct oc_vport *vports;
	int nvports, vports_cap;
	struct oc_addrmap seen;		/* vport hash nodes met, O(1) check */
	int dup_warned, full;
	struct oc_rejected {		/* hash nodes that failed oc_vport_check() */
		oc_addr addr;		/* the vport they would be */
		oc_addr dp;		/* the datapath walked */
		int bucket;		/* and its bucket */
		char why[96];
	} rejected[16];
	int nrejected;			/* all of them; the first 16 kept */
	int truncated;			/* the command's budget stopped the walk:
					 * a vport not found may still exist */
	char warn[1024];		/* walk problems, "; "-separated */
};

int oc_ovs_walk(const char *user_path, struct oc_ovs *o);
void oc_ovs_free(struct oc_ovs *o);
struct oc_vport *oc_ovs_vport_of_dev(struct oc_ovs *o, oc_addr dev);

#endif
