/* SPDX-License-Identifier: GPL-2.0 */
/* netdev.h - net_device records, walked from every network namespace */
#ifndef OVSCRASH_NETDEV_H
#define OVSCRASH_NETDEV_H

#include "target.h"
#include "veth.h"
#include "../core/addrmap.h"

#define OC_IFNAMSIZ 16

enum oc_found_via { OC_VIA_NETNS, OC_VIA_VPORT, OC_VIA_REGS, OC_VIA_TODO };

struct oc_netdev {
	oc_addr addr;
	unsigned char name[OC_IFNAMSIZ + 1];	/* raw, untrusted bytes */
	int ifindex;
	oc_addr net;
	unsigned int netns_inum;	/* 0 = unknown */
	long reg_state;			/* -1 = unknown */
	unsigned long state;
	int state_unread;		/* state could not be read */
	unsigned int flags;
	unsigned long long priv_flags;
	long num_tx, real_num_tx, num_rx, real_num_rx;	/* -1 = unknown */
	int operstate;			/* -1 = unknown */
	oc_addr netdev_ops, rx_handler, rx_handler_data, master;
	oc_addr rtnl_link_ops;		/* 0 none or unread */
	char ops_sym[64], rx_handler_sym[64];
	long refcnt;			/* -1 = unknown */
	int listed;			/* on its netns' dev_base_head */
	enum oc_found_via via;
	char err[128];			/* why a field could not be read */
	struct oc_veth_peer peer;	/* filled by oc_veth_peers() (veth.h) */
};

struct oc_netdev_list {
	struct oc_netdev *v;
	int n, cap;
	struct oc_addrmap index;	/* address -> index into v */
	char warn[1024];		/* walk problems (bounds, cycles), "; "-separated */
};

/* Fill one record from dump memory; 0 on success (err says what failed) */
int oc_netdev_read(oc_addr addr, struct oc_netdev *nd);
/* Is addr plausibly a net_device? (readable, name printable, ops symbol) */
int oc_netdev_plausible(oc_addr addr);
/* oc_dev_check() (core/plausible.h) on a device read: 0, or -1 with why */
int oc_netdev_check(const struct oc_netdev *nd, char *why, size_t n);
/* Every device of every namespace, then those on net_todo_list (being
 * unregistered, already unlisted); returns number of devices */
int oc_netdev_walk(struct oc_netdev_list *out);
/* Append unless the address is already listed (O(1)); -1 out of memory */
int oc_netdev_list_add(struct oc_netdev_list *l, const struct oc_netdev *nd);
/* The record of the device at @addr, or NULL (O(1)) */
struct oc_netdev *oc_netdev_list_find(struct oc_netdev_list *l, oc_addr addr);
/* Keep, in order, the records @keep says yes to */
void oc_netdev_list_keep(struct oc_netdev_list *l,
			 int (*keep)(const struct oc_netdev *nd, const void *arg),
			 const void *arg);
void oc_netdev_list_free(struct oc_netdev_list *l);

const char *oc_nd_reg_state_name(long v);
/* "START|PRESENT|..." of net_device.state into buf */
const char *oc_state_names(unsigned long state, char *buf, size_t n);
const char *oc_operstate_name(int v);
/* netif_running() / netif_carrier_ok() of the record: 1, 0, -1 unknown */
int oc_nd_running(const struct oc_netdev *nd);
int oc_nd_carrier(const struct oc_netdev *nd);
int oc_netdev_anomalous(const struct oc_netdev *nd, char *why, size_t n);

#endif
