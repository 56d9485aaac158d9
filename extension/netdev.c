// SPDX-License-Identifier: GPL-2.0
/*
 * netdev.c - walk net_namespace_list and each namespace's dev_base_head
 * into plain oc_netdev records.  No printing here.
 */
#include "netdev.h"
#include "session.h"
#include "walk.h"
#include "../core/plausible.h"
#include "../core/strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const reg_state_enums[] = {
	"NETREG_UNINITIALIZED", "NETREG_REGISTERED", "NETREG_UNREGISTERING",
	"NETREG_UNREGISTERED", "NETREG_RELEASED", "NETREG_DUMMY",
};

static const char *const link_state_enums[] = {
	"__LINK_STATE_START", "__LINK_STATE_PRESENT", "__LINK_STATE_NOCARRIER",
	"__LINK_STATE_LINKWATCH_PENDING", "__LINK_STATE_DORMANT", "__LINK_STATE_TESTING",
};

static const char *const operstate_names[] = {
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP",
};

/*
 * The one home of enumerator decoding: names come from the kernel's
 * debuginfo (enum netdev_reg_state, enum netdev_state_t), resolved once
 * per session, so a kernel that renumbers them still decodes right;
 * unknown values print as numbers.  Nothing else in ovscrash knows a
 * value or a bit number.
 */
#define N_REG	(sizeof(reg_state_enums) / sizeof(reg_state_enums[0]))
#define N_LINK	(sizeof(link_state_enums) / sizeof(link_state_enums[0]))

static struct {
	int done;
	long reg[N_REG];	/* value of each name, -1 absent */
	long link[N_LINK];	/* bit of each name, -1 absent */
} enums;

static void enums_resolve(void)
{
	size_t i;

	if (enums.done)
		return;
	for (i = 0; i < N_REG; i++)
		if (oc_enum_value(reg_state_enums[i], &enums.reg[i]))
			enums.reg[i] = -1;
	for (i = 0; i < N_LINK; i++)
		if (oc_enum_value(link_state_enums[i], &enums.link[i]) ||
		    enums.link[i] < 0 || enums.link[i] > 63)
			enums.link[i] = -1;
	enums.done = 1;
}

const char *oc_nd_reg_state_name(long v)
{
	size_t i;

	enums_resolve();
	for (i = 0; i < N_REG; i++)
		if (enums.reg[i] >= 0 && enums.reg[i] == v)
			return reg_state_enums[i];
	return NULL;
}

const char *oc_state_names(unsigned long state, char *buf, size_t n)
{
	size_t i, len = 0;

	enums_resolve();
	buf[0] = '\0';
	for (i = 0; i < N_LINK; i++) {
		if (enums.link[i] < 0 || !(state & (1UL << enums.link[i])))
			continue;
		len += snprintf(buf + len, len < n ? n - len : 0, "%s%s",
				len ? "|" : "", link_state_enums[i] + strlen("__LINK_STATE_"));
		state &= ~(1UL << enums.link[i]);
	}
	if (state)
		len += snprintf(buf + len, len < n ? n - len : 0, "%s0x%lx", len ? "|" : "", state);
	if (!len)
		snprintf(buf, n, "0");
	return buf;
}

/* tri-state test of one __LINK_STATE_* bit, by name */
static int link_bit(const struct oc_netdev *nd, const char *name)
{
	size_t i;

	enums_resolve();
	if (nd->state_unread)
		return -1;
	for (i = 0; i < N_LINK; i++)
		if (!strcmp(link_state_enums[i], name))
			return enums.link[i] < 0 ? -1 : !!(nd->state & (1UL << enums.link[i]));
	return -1;
}

/* netif_running(): __LINK_STATE_START set; 1, 0 or -1 unknown */
int oc_nd_running(const struct oc_netdev *nd)
{
	return link_bit(nd, "__LINK_STATE_START");
}

/* netif_carrier_ok(): __LINK_STATE_NOCARRIER clear; 1, 0 or -1 unknown */
int oc_nd_carrier(const struct oc_netdev *nd)
{
	int b = link_bit(nd, "__LINK_STATE_NOCARRIER");

	return b < 0 ? -1 : !b;
}

const char *oc_operstate_name(int v)
{
	if (v >= 0 && v < (int)(sizeof(operstate_names) / sizeof(operstate_names[0])))
		return operstate_names[v];
	return "?";
}

/*
 * One net_device as read: the span of the structure oc_netdev_read()
 * decodes, read with one oc_read() (nd_span()), its members then taken
 * from the copy.  When the span cannot be read whole, each member is
 * read on its own, as before: a device whose name page is readable but
 * whose later members are not is still listed, with those members
 * unknown.
 */
struct nd_copy {
	oc_addr base;
	unsigned char buf[4096];
	long len;			/* bytes of buf valid, 0 none */
};

/* the end of the last net_device member oc_netdev_read() decodes
 * (resolved once per session, like the offsets it comes from); 0 when
 * it exceeds the copy's size */
static long nd_span(void)
{
	static long span = -1;
	const struct { long off, size; } m[] = {
		{ oc_off.nd_name, OC_IFNAMSIZ }, { oc_off.nd_ifindex, 4 },
		{ oc_off.nd_reg_state, oc_off.nd_reg_state_size > 0 ?
				       oc_off.nd_reg_state_size : 1 },
		{ oc_off.nd_state, sizeof(long) }, { oc_off.nd_flags, 4 },
		{ oc_off.nd_priv_flags, 8 }, { oc_off.nd_num_tx_queues, 4 },
		{ oc_off.nd_real_num_tx_queues, 4 }, { oc_off.nd_num_rx_queues, 4 },
		{ oc_off.nd_real_num_rx_queues, 4 }, { oc_off.nd_operstate, 1 },
		{ oc_off.nd_netdev_ops, 8 }, { oc_off.nd_rx_handler, 8 },
		{ oc_off.nd_rx_handler_data, 8 }, { oc_off.nd_nd_net, 8 },
		{ oc_off.nd_pcpu_refcnt, 8 }, { oc_off.nd_dev_refcnt, 4 },
		{ oc_off.adjl_upper, 8 }, { oc_off.nd_rtnl_link_ops, 8 },
	};
	size_t i;

	if (span >= 0)
		return span;
	span = 0;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i].off >= 0 && m[i].off + m[i].size > span)
			span = m[i].off + m[i].size;
	if (span > (long)sizeof(((struct nd_copy *)0)->buf))
		span = 0;
	return span;
}

static void nd_copy_read(struct nd_copy *c, oc_addr base)
{
	long span = nd_span();

	c->base = base;
	c->len = span && !oc_read(base, c->buf, span, "net_device") ? span : 0;
}

/* @size bytes (1, 2, 4, 8) at @off of the device, from the copy when it
 * holds them, else from the dump; 0 or -1 */
static int nd_get(const struct nd_copy *c, long off, long size, long *val)
{
	uint64_t q = 0;

	if (off < 0)
		return -1;
	if (off + size > c->len)
		return oc_read_int_sized(c->base + off, size, val);
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -1;
	memcpy(&q, c->buf + off, size);	/* little-endian targets only */
	*val = (long)q;
	return 0;
}

static int nd_get_ptr(const struct nd_copy *c, long off, oc_addr *val)
{
	long v;

	if (nd_get(c, off, sizeof(oc_addr), &v))
		return -1;
	*val = (oc_addr)v;
	return 0;
}

static long read_member(const struct nd_copy *c, long off, long size, long *val)
{
	return nd_get(c, off, size, val);
}

/* netdev_master_upper_dev_get(): first entry of adj_list.upper if master */
static oc_addr read_master(const struct nd_copy *c)
{
	oc_addr head, first, adj, mdev;
	uint8_t is_master;

	if (!OC_HAVE(nd_adj_list) || !OC_HAVE(adjl_upper) || !OC_HAVE(nadj_list) ||
	    !OC_HAVE(nadj_dev) || !OC_HAVE(nadj_master))
		return 0;
	head = c->base + oc_off.adjl_upper;
	if (nd_get_ptr(c, oc_off.adjl_upper, &first) || first == head || !first)
		return 0;
	adj = first - oc_off.nadj_list;
	if (oc_read_u8(adj + oc_off.nadj_master, &is_master) || !is_master)
		return 0;
	if (oc_read_ulong(adj + oc_off.nadj_dev, &mdev))
		return 0;
	return mdev;
}

static long read_refcnt(const struct nd_copy *c)
{
	oc_addr pcpu;
	long sum = 0, v;
	int cpu;

	if (OC_HAVE(nd_pcpu_refcnt) && !nd_get_ptr(c, oc_off.nd_pcpu_refcnt, &pcpu) && pcpu) {
		for (cpu = 0; cpu < oc_cpu_count(); cpu++) {
			if (oc_read_int_sized(pcpu + oc_percpu_offset(cpu), 4, &v))
				return -1;
			sum += (int)v;
		}
		return sum;
	}
	if (OC_HAVE(nd_dev_refcnt) && !nd_get(c, oc_off.nd_dev_refcnt, 4, &v))
		return (int)v;
	return -1;
}

int oc_netdev_read(oc_addr addr, struct oc_netdev *nd)
{
	struct nd_copy *c;
	long v;

	oc_offsets_resolve();
	memset(nd, 0, sizeof(*nd));
	nd->addr = addr;
	nd->reg_state = nd->num_tx = nd->real_num_tx = nd->num_rx = nd->real_num_rx = -1;
	nd->operstate = -1;
	nd->refcnt = -1;
	if (!(c = malloc(sizeof(*c)))) {
		snprintf(nd->err, sizeof(nd->err), "net_device %lx: out of memory", addr);
		return -1;
	}
	nd_copy_read(c, addr);
	if (OC_HAVE(nd_name) && oc_off.nd_name + OC_IFNAMSIZ <= c->len) {
		memcpy(nd->name, c->buf + oc_off.nd_name, OC_IFNAMSIZ);
	} else if (!OC_HAVE(nd_name) ||
		   oc_read(addr + oc_off.nd_name, nd->name, OC_IFNAMSIZ, "net_device.name")) {
		snprintf(nd->err, sizeof(nd->err), "net_device %lx: name unreadable", addr);
		free(c);
		return -1;
	}
	nd->name[OC_IFNAMSIZ] = '\0';
	if (!read_member(c, oc_off.nd_ifindex, 4, &v))
		nd->ifindex = (int)v;
	if (!read_member(c, oc_off.nd_reg_state,
			 oc_off.nd_reg_state_size > 0 ? oc_off.nd_reg_state_size : 1, &v))
		nd->reg_state = v;
	nd->state_unread = 1;
	if (!read_member(c, oc_off.nd_state, sizeof(long), &v)) {
		nd->state = (unsigned long)v;
		nd->state_unread = 0;
	}
	if (!read_member(c, oc_off.nd_flags, 4, &v))
		nd->flags = (unsigned int)v;
	if (!read_member(c, oc_off.nd_priv_flags, 8, &v))
		nd->priv_flags = (unsigned long long)v;
	if (!read_member(c, oc_off.nd_num_tx_queues, 4, &v))
		nd->num_tx = (unsigned int)v;
	if (!read_member(c, oc_off.nd_real_num_tx_queues, 4, &v))
		nd->real_num_tx = (unsigned int)v;
	if (!read_member(c, oc_off.nd_num_rx_queues, 4, &v))
		nd->num_rx = (unsigned int)v;
	if (!read_member(c, oc_off.nd_real_num_rx_queues, 4, &v))
		nd->real_num_rx = (unsigned int)v;
	if (!read_member(c, oc_off.nd_operstate, 1, &v))
		nd->operstate = (int)v;
	if (OC_HAVE(nd_netdev_ops) && !nd_get_ptr(c, oc_off.nd_netdev_ops, &nd->netdev_ops))
		oc_data_sym(nd->netdev_ops, nd->ops_sym, sizeof(nd->ops_sym));
	if (OC_HAVE(nd_rx_handler) && !nd_get_ptr(c, oc_off.nd_rx_handler, &nd->rx_handler))
		oc_addr_to_sym(nd->rx_handler, nd->rx_handler_sym, sizeof(nd->rx_handler_sym));
	if (OC_HAVE(nd_rx_handler_data))
		nd_get_ptr(c, oc_off.nd_rx_handler_data, &nd->rx_handler_data);
	if (OC_HAVE(nd_rtnl_link_ops))
		nd_get_ptr(c, oc_off.nd_rtnl_link_ops, &nd->rtnl_link_ops);
	if (OC_HAVE(nd_nd_net) && !nd_get_ptr(c, oc_off.nd_nd_net, &nd->net) &&
	    nd->net && OC_HAVE(net_ns) && OC_HAVE(ns_inum)) {
		uint32_t inum;

		if (!oc_read_u32(nd->net + oc_off.net_ns + oc_off.ns_inum, &inum))
			nd->netns_inum = inum;
	}
	nd->master = read_master(c);
	nd->refcnt = read_refcnt(c);
	free(c);
	return 0;
}

int oc_netdev_check(const struct oc_netdev *nd, char *why, size_t n)
{
	struct oc_dev_facts f = {
		(const unsigned char *)nd->name, OC_IFNAMSIZ,
		oc_nd_reg_state_name(nd->reg_state) != NULL, nd->reg_state,
		nd->ifindex, nd->num_tx, nd->real_num_tx,
	};

	return oc_dev_check(&f, why, n);
}

/*
 * Does addr look like a net_device?  Decided from what the structure
 * itself proves, never from its name's bytes (Linux accepts almost any
 * byte in an interface name): a positive, plausible ifindex, a reg_state
 * that is a known enumerator, queue counts with real <= num, an ops
 * pointer that lands on a kernel or module data symbol, and dev_list
 * links that point back at the device (or, for a device that
 * unlist_netdevice() removed, list_del_rcu()'s LIST_POISON2 in prev).
 */
int oc_netdev_plausible(oc_addr addr)
{
	struct oc_netdev nd;
	oc_addr next, prev, back;

	if (!oc_is_kvaddr(addr) || oc_netdev_read(addr, &nd))
		return 0;
	if (nd.ifindex <= 0 || nd.ifindex > (1 << 30) || !oc_nd_reg_state_name(nd.reg_state))
		return 0;
	if (nd.num_tx < 1 || nd.num_tx > 65535 || nd.real_num_tx < 0 || nd.real_num_tx > nd.num_tx)
		return 0;
	/* on a symbol (veth_netdev_ops), or in a module's data ("[veth]") */
	if (!oc_is_kvaddr(nd.netdev_ops) || !nd.ops_sym[0] ||
	    (nd.ops_sym[0] != '[' && strchr(nd.ops_sym, '+')))
		return 0;
	if (!OC_HAVE(nd_dev_list))
		return 1;	/* nothing more to check against */
	if (oc_read_ulong(addr + oc_off.nd_dev_list, &next) ||
	    oc_read_ulong(addr + oc_off.nd_dev_list + sizeof(long), &prev))
		return 0;
	if (oc_is_kvaddr(next) && !oc_read_ulong(next + sizeof(long), &back) &&
	    back == addr + oc_off.nd_dev_list)
		return 1;
	/* unlisted: list_del_rcu() left prev = LIST_POISON2 (0x122 + delta) */
	return !oc_is_kvaddr(prev) && (prev & 0xfff) == 0x122;
}

/* Append @nd unless its address is already there (an O(1) check, so a
 * walk meeting many devices stays linear).  0 added or present, -1 out
 * of memory. */
int oc_netdev_list_add(struct oc_netdev_list *l, const struct oc_netdev *nd)
{
	if (oc_addrmap_get(&l->index, nd->addr) >= 0)
		return 0;
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 32;
		struct oc_netdev *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	if (oc_addrmap_put(&l->index, nd->addr, l->n))
		return -1;
	l->v[l->n++] = *nd;
	return 0;
}

struct oc_netdev *oc_netdev_list_find(struct oc_netdev_list *l, oc_addr addr)
{
	int i = oc_addrmap_get(&l->index, addr);

	return i >= 0 && i < l->n && l->v[i].addr == addr ? &l->v[i] : NULL;
}

void oc_netdev_list_keep(struct oc_netdev_list *l,
			 int (*keep)(const struct oc_netdev *nd, const void *arg),
			 const void *arg)
{
	int i, n;

	oc_addrmap_clear(&l->index);
	for (i = n = 0; i < l->n; i++) {
		if (!keep(&l->v[i], arg))
			continue;
		l->v[n] = l->v[i];
		oc_addrmap_put(&l->index, l->v[n].addr, n);
		n++;
	}
	l->n = n;
}

void oc_netdev_list_free(struct oc_netdev_list *l)
{
	free(l->v);
	oc_addrmap_free(&l->index);
	memset(l, 0, sizeof(*l));
}

/* A walk's problem into the list's warnings; a spent budget is not one
 * (the command reports it once, with where it stopped). */
static void walk_warn(struct oc_netdev_list *l, const char *what, oc_addr a,
		      const char *why)
{
	if (oc_cmd_budget_spent())
		return;
	if (a)
		oc_appendf(l->warn, sizeof(l->warn), "%s %lx: %s", what, a, why);
	else
		oc_appendf(l->warn, sizeof(l->warn), "%s: %s", what, why);
}

struct ns_walk {
	struct oc_netdev_list *out;
};

static int add_dev(oc_addr node, void *arg)
{
	struct ns_walk *w = arg;
	struct oc_netdev nd;

	if (oc_netdev_read(node - oc_off.nd_dev_list, &nd)) {
		oc_appendf(w->out->warn, sizeof(w->out->warn), "%s", nd.err);
		return 0;
	}
	nd.listed = 1;
	nd.via = OC_VIA_NETNS;
	return oc_netdev_list_add(w->out, &nd) < 0;
}

static int walk_ns(oc_addr node, void *arg)
{
	struct ns_walk *w = arg;
	oc_addr net = node - oc_off.net_list;
	char why[128];

	if (oc_list_walk(net + oc_off.net_dev_base_head, add_dev, w, why, sizeof(why)) < 0)
		walk_warn(w->out, "netns", net, why);
	return oc_cmd_budget_spent();
}

static int add_todo(oc_addr node, void *arg)
{
	struct ns_walk *w = arg;
	struct oc_netdev nd;

	if (oc_netdev_read(node - oc_off.nd_todo_list, &nd))
		return 0;
	nd.via = OC_VIA_TODO;
	return oc_netdev_list_add(w->out, &nd) < 0;
}

int oc_netdev_walk(struct oc_netdev_list *out)
{
	struct ns_walk w = { out };
	char why[128];
	oc_addr head;

	oc_offsets_resolve();
	if (!OC_HAVE(net_list) || !OC_HAVE(net_dev_base_head) || !OC_HAVE(nd_dev_list)) {
		oc_appendf(out->warn, sizeof(out->warn),
			 "struct net.list/dev_base_head or net_device.dev_list not in debuginfo");
		return -1;
	}
	if (!(head = oc_sym_value("net_namespace_list"))) {
		oc_appendf(out->warn, sizeof(out->warn), "symbol net_namespace_list not found");
		return -1;
	}
	if (oc_list_walk(head, walk_ns, &w, why, sizeof(why)) < 0)
		walk_warn(out, "net_namespace_list", 0, why);
	/* netdev_run_todo()'s list: unregistered devices waiting for refs */
	if (OC_HAVE(nd_todo_list) && (head = oc_sym_value("net_todo_list")) &&
	    oc_list_walk(head, add_todo, &w, why, sizeof(why)) < 0)
		walk_warn(out, "net_todo_list", 0, why);
	return out->n;
}

/* A device that OVS or a register still points at for transmit, whose
 * tx queue count is zero: skb_tx_hash() would divide by nothing. */
int oc_netdev_anomalous(const struct oc_netdev *nd, char *why, size_t n)
{
	const char *rs = oc_nd_reg_state_name(nd->reg_state);
	char bad[96];

	/* no claim about a device's state from fields it cannot have */
	if (oc_netdev_check(nd, bad, sizeof(bad)))
		return 0;

	if (nd->real_num_tx == 0) {
		snprintf(why, n, "real_num_tx_queues=0%s%s", rs ? " reg_state=" : "", rs ? rs : "");
		return 1;
	}
	if (rs && strcmp(rs, "NETREG_REGISTERED") && !nd->listed) {
		snprintf(why, n, "unlisted and %s", rs);
		return 1;
	}
	return 0;
}
