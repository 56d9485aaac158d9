/* SPDX-License-Identifier: GPL-2.0 */
/*
 * veth.h - the other end of each veth pair: struct veth_priv.peer, in
 * the device's private area (netdev_priv()), with veth_priv's layout
 * taken from veth.ko's debuginfo (found, build-id verified and loaded
 * as openvswitch.ko's is: modsyms.h).  Never a guessed offset: without
 * that debuginfo a veth's peer is unknown, with the reason.
 */
#ifndef OVSCRASH_VETH_H
#define OVSCRASH_VETH_H

#include <stddef.h>
#include "target.h"

#define OC_PEER_NAME	17	/* IFNAMSIZ + NUL */

enum oc_peer_state {
	OC_PEER_NONE = 0,	/* not a veth */
	OC_PEER_OK,		/* priv->peer read, the device there read */
	OC_PEER_CLEARED,	/* priv->peer NULL: veth_dellink() cleared it
				 * when the other end was deleted */
	OC_PEER_UNKNOWN,	/* a veth, or maybe one, whose peer could not
				 * be read: why says why */
};

struct oc_veth_peer {
	int state;			/* enum oc_peer_state */
	/*
	 * The other end, when known: OK, the device priv->peer points at;
	 * CLEARED with points_back, the device whose priv->peer points at
	 * this one (found among the devices walked).
	 */
	int points_back;
	/* CLEARED with points_back: the device was found on this end's
	 * unreg_list (unregistered in the same unregister_netdevice_many()
	 * batch, e.g. the devices of a namespace being torn down), not
	 * among the devices walked */
	int via_unreg_list;
	oc_addr addr;			/* 0 unknown */
	unsigned char name[OC_PEER_NAME];	/* raw, untrusted bytes */
	int ifindex;
	oc_addr net;
	unsigned int netns_inum;	/* 0 unknown */
	long reg_state;			/* -1 unknown */
	int listed;			/* on its namespace's list: 1, 0, -1 unknown */
	/* OK: the peer's own priv->peer is this device (1), NULL (0: this
	 * end is being deleted by veth_dellink()), -1 unread or elsewhere */
	int mutual;
	char why[160];			/* UNKNOWN: why; CLEARED: what was found */
};

struct oc_netdev;
struct oc_netdev_list;

/*
 * The peer of every device in @l (nd->peer), the cleared ones matched
 * with the device pointing back at them.  0, or -1 with @status saying
 * in one line why no peer could be read (veth.ko debuginfo not found,
 * veth_priv not in it, ...).  Bounded by the command's time budget.
 */
int oc_veth_peers(struct oc_netdev_list *l, char *status, size_t n);

/*
 * The peer of one device (nd->peer); @l, when not NULL, is searched
 * for the peer's record and, when the peer was cleared, for the device
 * pointing back.  0, or -1 with @status as above.
 */
int oc_veth_peer_of(struct oc_netdev *nd, struct oc_netdev_list *l, char *status,
		    size_t n);

/* netdev_priv(@dev): where its struct veth_priv is; 0 before a command
 * resolved veth (oc_veth_peers / oc_veth_peer_of) */
oc_addr oc_veth_priv(oc_addr dev);

/* "peer cleared by veth_dellink; vA points back" and the like, for the
 * text and JSON renderers (names escaped); returns @buf */
const char *oc_veth_peer_note(const struct oc_veth_peer *p, char *buf, size_t n);

/*
 * The peer's namespace for a text column: its names (netns.h's
 * oc_netns_names_text(), escaped) or else its inode, "?" unknown;
 * *dying (may be NULL) set when that namespace is being torn down.
 */
const char *oc_veth_peer_netns(const struct oc_veth_peer *p, char *buf, size_t n,
			       int *dying);
/* "vB@B", "eth0@pod-a(dying)", "eth0@4026532227 (cleared)", "(cleared)",
 * "?", "-" (not a veth): the netdev PEER column, escaped; returns @buf */
const char *oc_veth_peer_text(const struct oc_veth_peer *p, char *buf, size_t n);

#endif
