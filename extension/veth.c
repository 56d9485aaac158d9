// SPDX-License-Identifier: GPL-2.0
/*
 * veth.c - veth peers.  A veth's private data (struct veth_priv) sits
 * right after its net_device: netdev_priv() is the device's address
 * plus sizeof(struct net_device) rounded up to NETDEV_ALIGN.  Its member
 * peer (an __rcu pointer) is the other end.  veth_dellink() clears the
 * SURVIVING end's peer when it deletes a device, so a dying pair's
 * victim may have none: then the device whose peer points at it is
 * looked for among the devices walked.  No printing here.
 */
#include "veth.h"
#include "escape.h"
#include "modsyms.h"
#include "netdev.h"
#include "netns.h"
#include "session.h"
#include "../core/strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* include/linux/netdevice.h: a #define, so in no debuginfo; the same
 * in every kernel ovscrash reads (5.10 to 6.12) */
#define NETDEV_ALIGN	32

/*
 * What the session knows of veth: resolved on the first command that
 * needs it.  veth.ko's debuginfo is searched for once: a failure is
 * kept (with its reason) and not searched again, but symbols loaded
 * later by the user (ovsmod -m veth PATH, mod -s) are taken up.
 */
static struct {
	int searched;			/* oc_modsyms_ensure("veth") was called */
	int ok;
	long priv_off;			/* netdev_priv() - net_device */
	long peer_off;			/* struct veth_priv.peer */
	long unreg_off;			/* struct net_device.unreg_list, -1 absent */
	oc_addr ops, link_ops;		/* &veth_netdev_ops, &veth_link_ops, 0 unknown */
	char debug[4096];		/* veth.ko file crash loaded, "" */
	char why[512];			/* why not ok */
} vs;

/* veth_netdev_ops / veth_link_ops: crash's symbols (a kernel with
 * CONFIG_KALLSYMS_ALL), else from the module's debug file */
static oc_addr veth_symbol(const char *sym)
{
	char why[256];

	if (oc_module_info("veth", NULL, NULL, NULL, NULL, 0))
		return oc_sym_value(sym);	/* built in */
	return oc_module_symbol("veth", vs.debug, sym, why, sizeof(why));
}

static int veth_setup(char *status, size_t n)
{
	struct oc_modsyms ms;
	int is_module, loaded = 0;
	long size;

	if (vs.ok)
		return 0;
	oc_offsets_resolve();
	size = oc_struct_size("net_device");
	if (size <= 0) {
		snprintf(status, n, "veth peers not read: struct net_device's size not in the debuginfo");
		return -1;
	}
	vs.priv_off = (size + NETDEV_ALIGN - 1) & ~(long)(NETDEV_ALIGN - 1);
	is_module = !oc_module_info("veth", NULL, NULL, &loaded, NULL, 0);
	if (!is_module && !oc_sym_exists("veth_netdev_ops") && !oc_sym_exists("veth_link_ops")) {
		/* neither a module nor built in: no device is a veth */
		vs.ops = vs.link_ops = 0;
		vs.ok = 1;
		return 0;
	}
	if (is_module && !loaded && !vs.searched) {
		vs.searched = 1;
		if (oc_modsyms_ensure("veth", NULL, &ms))
			snprintf(vs.why, sizeof(vs.why), "veth.ko debuginfo: %s", ms.err);
		else
			snprintf(vs.debug, sizeof(vs.debug), "%s", ms.loaded);
		oc_modsyms_free(&ms);
	} else if (is_module && loaded && !vs.debug[0]) {
		/* loaded by the user or an earlier command: its file */
		oc_module_info("veth", NULL, NULL, NULL, vs.debug, sizeof(vs.debug));
	}
	if (is_module)
		oc_module_info("veth", NULL, NULL, &loaded, NULL, 0);
	if (is_module && !loaded) {
		snprintf(status, n, "veth peers not read: %s",
			 vs.why[0] ? vs.why : "veth.ko debuginfo not loaded");
		return -1;
	}
	vs.peer_off = oc_member_offset("veth_priv", "peer");
	if (vs.peer_off < 0) {
		snprintf(status, n, "veth peers not read: struct veth_priv.peer not in the %s",
			 is_module ? "veth.ko debuginfo" :
			 "kernel's debuginfo (and veth is not a module in this dump)");
		return -1;
	}
	vs.unreg_off = oc_member_offset("net_device", "unreg_list");
	vs.ops = veth_symbol("veth_netdev_ops");
	vs.link_ops = veth_symbol("veth_link_ops");
	if (!vs.ops && !vs.link_ops) {
		snprintf(status, n, "veth peers not read: neither veth_netdev_ops nor veth_link_ops has an address");
		return -1;
	}
	vs.ok = 1;
	return 0;
}

/* is the device a veth?  by its ops, either of them (a damaged one
 * still matches by the other) */
static int is_veth(const struct oc_netdev *nd)
{
	return (vs.ops && nd->netdev_ops == vs.ops) ||
	       (vs.link_ops && nd->rtnl_link_ops == vs.link_ops);
}

static int read_peer_ptr(oc_addr dev, oc_addr *peer)
{
	return oc_read_ulong(dev + vs.priv_off + vs.peer_off, peer);
}

/* the other end's fields from its record */
static void fill_from(struct oc_veth_peer *p, const struct oc_netdev *o, int listed)
{
	p->addr = o->addr;
	memcpy(p->name, o->name, sizeof(p->name) - 1);
	p->name[sizeof(p->name) - 1] = '\0';
	p->ifindex = o->ifindex;
	p->net = o->net;
	p->netns_inum = o->netns_inum;
	p->reg_state = o->reg_state;
	p->listed = listed;
}

/* entries of an unreg_list ring looked at, the ring's own head (a stack
 * variable of unregister_netdevice_many()'s caller) included */
#define UNREG_RING_MAX	256

/*
 * A cleared end being unregistered.  veth_dellink() clears both ends'
 * priv->peer and queues the end it was called for, then its peer, on the
 * batch's kill list: the two are neighbours, in that order, on each
 * other's unreg_list ring (the batch of a namespace torn down: its
 * devices are on no namespace list and on no todo list yet).  So on the
 * ring, from its head, consecutive veths whose peers are both cleared
 * are paired in order; the victim's pair is its other end.  That is an
 * inference from the kill list's order, not a pointer read: it is said
 * so (via_unreg_list).  A device there whose veth_priv.peer still is the
 * victim (a kernel that clears only one end) is taken first, as read.
 * Every entry is checked as a net_device; the ring's head, on a stack,
 * is not one; the walk is bounded.
 */
static void unreg_batch(struct oc_netdev *nd, struct oc_netdev_list *l)
{
	struct oc_veth_peer *p = &nd->peer;
	struct oc_netdev *o, *rec;
	oc_addr head, e, back, cand, ring[UNREG_RING_MAX];
	int cleared[UNREG_RING_MAX], n = 0, i, me = -1, other = -1, read_back = 0;
	long unregistering;
	char why[96];

	/* only a device being unregistered is on a batch's ring */
	if (vs.unreg_off < 0 || oc_enum_value("NETREG_UNREGISTERING", &unregistering) ||
	    nd->reg_state != unregistering)
		return;
	/* find the ring's head: the one entry that is not a net_device */
	if (!(o = malloc(sizeof(*o))))
		return;
	head = 0;
	e = nd->addr + vs.unreg_off;
	for (i = 0; i < UNREG_RING_MAX; i++) {
		if (oc_budget_charge(oc_cmd_budget(), 1) || oc_read_ulong(e, &e) || !e)
			goto out;
		if (e == nd->addr + vs.unreg_off)
			goto out;	/* a ring of net_devices only: no head */
		if (oc_netdev_read(e - vs.unreg_off, o) || oc_netdev_check(o, why, sizeof(why))) {
			head = e;
			break;
		}
	}
	if (!head)
		goto out;
	/* the ring in kill-list order, from the head */
	for (e = head; n < UNREG_RING_MAX;) {
		if (oc_budget_charge(oc_cmd_budget(), 1) || oc_read_ulong(e, &e) || !e || e == head)
			break;
		cand = e - vs.unreg_off;
		cleared[n] = 0;
		if (!oc_netdev_read(cand, o) && !oc_netdev_check(o, why, sizeof(why)) &&
		    is_veth(o) && !read_peer_ptr(cand, &back)) {
			if (back == nd->addr && cand != nd->addr) {
				other = n;
				read_back = 1;
			}
			cleared[n] = !back;
		}
		if (cand == nd->addr)
			me = n;
		ring[n++] = cand;
	}
	if (me < 0)
		goto out;
	if (other < 0) {
		/* pair consecutive cleared veths, in order */
		for (i = 0; i + 1 < n; i++) {
			if (!cleared[i] || !cleared[i + 1])
				continue;
			if (i == me)
				other = i + 1;
			else if (i + 1 == me)
				other = i;
			if (other >= 0)
				break;
			i++;	/* this pair is taken */
		}
	}
	if (other < 0 || oc_netdev_read(ring[other], o))
		goto out;
	rec = l ? oc_netdev_list_find(l, o->addr) : NULL;
	fill_from(p, o, rec ? rec->listed : 0);
	p->points_back = read_back;
	p->via_unreg_list = 1;
	p->why[0] = '\0';
out:
	free(o);
}

static void peer_one(struct oc_netdev *nd, struct oc_netdev_list *l)
{
	struct oc_veth_peer *p = &nd->peer;
	struct oc_netdev *rec, *o;
	oc_addr ptr, back;
	char why[96];

	memset(p, 0, sizeof(*p));
	p->reg_state = -1;
	p->listed = p->mutual = -1;
	if (!is_veth(nd))
		return;
	if (read_peer_ptr(nd->addr, &ptr)) {
		p->state = OC_PEER_UNKNOWN;
		snprintf(p->why, sizeof(p->why), "veth_priv.peer at %lx unreadable",
			 nd->addr + vs.priv_off + vs.peer_off);
		return;
	}
	if (!ptr) {
		p->state = OC_PEER_CLEARED;
		snprintf(p->why, sizeof(p->why), "peer cleared; no device points back");
		unreg_batch(nd, l);
		return;
	}
	rec = l ? oc_netdev_list_find(l, ptr) : NULL;
	if (rec) {
		fill_from(p, rec, rec->listed);
	} else {
		if (!(o = malloc(sizeof(*o)))) {
			p->state = OC_PEER_UNKNOWN;
			snprintf(p->why, sizeof(p->why), "out of memory");
			return;
		}
		if (oc_netdev_read(ptr, o)) {
			p->state = OC_PEER_UNKNOWN;
			snprintf(p->why, sizeof(p->why), "veth_priv.peer %lx: %s", ptr, o->err);
			free(o);
			return;
		}
		if (oc_netdev_check(o, why, sizeof(why))) {
			p->state = OC_PEER_UNKNOWN;
			snprintf(p->why, sizeof(p->why), "veth_priv.peer %lx is not a net_device: %s",
				 ptr, why);
			free(o);
			return;
		}
		/* not met by the walk: unlisted, unless the walk was cut */
		fill_from(p, o, l && !oc_cmd_budget_spent() ? 0 : -1);
		free(o);
	}
	p->state = OC_PEER_OK;
	if (!read_peer_ptr(ptr, &back))
		p->mutual = back == nd->addr ? 1 : back == 0 ? 0 : -1;
	if (p->mutual < 0)
		snprintf(p->why, sizeof(p->why), "the peer's own veth_priv.peer is not this device");
}

/* a cleared end: the device in @l whose peer is it */
static void match_back(struct oc_netdev_list *l)
{
	struct oc_netdev *o;
	int i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].peer.state != OC_PEER_OK)
			continue;
		o = oc_netdev_list_find(l, l->v[i].peer.addr);
		if (!o || o->peer.state != OC_PEER_CLEARED || o->peer.points_back)
			continue;
		fill_from(&o->peer, &l->v[i], l->v[i].listed);
		o->peer.points_back = 1;
		o->peer.why[0] = '\0';
	}
}

/* without veth_priv's layout: the devices crash names veth's by their
 * ops symbol ("[veth]": in veth.ko's data, a kernel without
 * CONFIG_KALLSYMS_ALL) have a peer, unknown for the reason given */
static void mark_unknown(struct oc_netdev *nd, const char *status)
{
	memset(&nd->peer, 0, sizeof(nd->peer));
	nd->peer.reg_state = -1;
	nd->peer.listed = nd->peer.mutual = -1;
	if (strcmp(nd->ops_sym, "veth_netdev_ops") && strcmp(nd->ops_sym, "[veth]"))
		return;
	nd->peer.state = OC_PEER_UNKNOWN;
	snprintf(nd->peer.why, sizeof(nd->peer.why), "%s", status);
}

int oc_veth_peers(struct oc_netdev_list *l, char *status, size_t n)
{
	int i;

	status[0] = '\0';
	if (veth_setup(status, n)) {
		for (i = 0; i < l->n; i++)
			mark_unknown(&l->v[i], status);
		return -1;
	}
	for (i = 0; i < l->n; i++) {
		if (oc_cmd_out_of_time()) {
			oc_budget_stopped_at(oc_cmd_budget(), "the veth peers (device %d of %d)",
					     i + 1, l->n);
			snprintf(status, n, "veth peers of %d of %d devices not read: the command's time budget was spent",
				 l->n - i, l->n);
			break;
		}
		peer_one(&l->v[i], l);
	}
	match_back(l);
	return 0;
}

int oc_veth_peer_of(struct oc_netdev *nd, struct oc_netdev_list *l, char *status,
		    size_t n)
{
	struct oc_netdev *rec;

	status[0] = '\0';
	if (veth_setup(status, n)) {
		mark_unknown(nd, status);
		return -1;
	}
	if (l && (rec = oc_netdev_list_find(l, nd->addr))) {
		/* the list's own record, so the match finds it */
		if (oc_veth_peers(l, status, n))
			return -1;
		nd->peer = rec->peer;
		return 0;
	}
	peer_one(nd, l);
	return 0;
}

oc_addr oc_veth_priv(oc_addr dev)
{
	return vs.ok && vs.priv_off > 0 ? dev + vs.priv_off : 0;
}

const char *oc_veth_peer_note(const struct oc_veth_peer *p, char *buf, size_t n)
{
	char name[80];

	buf[0] = '\0';
	switch (p->state) {
	case OC_PEER_CLEARED:
		if (p->points_back && p->via_unreg_list)
			snprintf(buf, n, "peer cleared by veth_dellink; %s, unregistered in the same batch "
				 "(on this device's unreg_list), points back",
				 oc_name(p->name, name, sizeof(name)));
		else if (p->via_unreg_list)
			snprintf(buf, n, "peer cleared by veth_dellink, both ends; %s, queued beside it "
				 "on the same unregister batch (unreg_list), is its other end (inferred "
				 "from the kill list's order)", oc_name(p->name, name, sizeof(name)));
		else if (p->points_back)
			snprintf(buf, n, "peer cleared by veth_dellink; %s points back",
				 oc_name(p->name, name, sizeof(name)));
		else
			snprintf(buf, n, "peer cleared; no device points back");
		break;
	case OC_PEER_OK:
		if (p->mutual == 0)
			snprintf(buf, n, "the peer's own peer is cleared: this end is being deleted (veth_dellink)");
		else if (p->mutual < 0)
			snprintf(buf, n, "%s", p->why);
		break;
	case OC_PEER_UNKNOWN:
		snprintf(buf, n, "%s", p->why);
		break;
	}
	return buf;
}

const char *oc_veth_peer_netns(const struct oc_veth_peer *p, char *buf, size_t n,
			       int *dying)
{
	const struct oc_netns *ns = NULL;

	if (dying)
		*dying = 0;
	if (p->net)
		ns = oc_netns_of(p->net);
	if (ns && dying)
		*dying = ns->dying;
	if (ns && ns->n_names)
		return oc_netns_names_text(ns, buf, n);
	if (p->netns_inum)
		snprintf(buf, n, "%u", p->netns_inum);
	else if (ns && ns->inum)
		snprintf(buf, n, "%u", ns->inum);
	else
		snprintf(buf, n, "?");
	return buf;
}

const char *oc_veth_peer_text(const struct oc_veth_peer *p, char *buf, size_t n)
{
	char name[80], ns[256];
	int dying;

	switch (p->state) {
	case OC_PEER_NONE:
		snprintf(buf, n, "-");
		break;
	case OC_PEER_UNKNOWN:
		snprintf(buf, n, "?");
		break;
	case OC_PEER_CLEARED:
		if (!p->points_back) {
			snprintf(buf, n, "(cleared)");
			break;
		}
		/* fall through */
	case OC_PEER_OK:
		oc_veth_peer_netns(p, ns, sizeof(ns), &dying);
		snprintf(buf, n, "%s@%s%s%s", oc_name(p->name, name, sizeof(name)), ns,
			 dying ? "(dying)" : "",
			 p->state == OC_PEER_CLEARED ? " (cleared)" : "");
		break;
	}
	return buf;
}
