// SPDX-License-Identifier: GPL-2.0
/*
 * ovs.c - OVS datapaths (ovs_net.dps per namespace) and their vports
 * (datapath.ports[] hash) into plain records; marks vports whose netdev
 * is in the unregister window.  No printing here.
 */
#include "ovs.h"
#include "netns.h"
#include "modsyms.h"
#include "session.h"
#include "walk.h"
#include "../core/plausible.h"
#include "../core/strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* DP_VPORT_HASH_BUCKETS in net/openvswitch/datapath.h: a #define, so not
 * in debuginfo; unchanged since the vport hash was introduced (2012). */
#define OC_DP_VPORT_HASH_BUCKETS 1024
/* bounds of the records kept (checked before adding one); the command's
 * budget bounds the reads that find them */
#define OC_MAX_DATAPATHS	4096
#define OC_MAX_VPORTS		OC_MAX_WALK

static const char *const vport_type_enums[] = {
	"OVS_VPORT_TYPE_UNSPEC", "OVS_VPORT_TYPE_NETDEV", "OVS_VPORT_TYPE_INTERNAL",
	"OVS_VPORT_TYPE_GRE", "OVS_VPORT_TYPE_VXLAN", "OVS_VPORT_TYPE_GENEVE",
};

#define N_VPORT_TYPES	(sizeof(vport_type_enums) / sizeof(vport_type_enums[0]))

/* the values of vport_type_enums[] in openvswitch.ko's debuginfo, -1
 * absent: asked once per walk, not once per vport */
static void vport_types_resolve(long *val)
{
	size_t i;

	for (i = 0; i < N_VPORT_TYPES; i++)
		if (oc_enum_value(vport_type_enums[i], &val[i]))
			val[i] = -1;
}

static void vport_type_name(const long *val, long type, char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < N_VPORT_TYPES; i++) {
		if (val[i] >= 0 && val[i] == type) {
			const char *s = vport_type_enums[i] + strlen("OVS_VPORT_TYPE_");
			size_t k;

			for (k = 0; s[k] && k + 1 < n; k++)
				buf[k] = s[k] >= 'A' && s[k] <= 'Z' ? s[k] - 'A' + 'a' : s[k];
			buf[k] = '\0';
			return;
		}
	}
	snprintf(buf, n, "%ld", type);
}

struct walk_ctx {
	struct oc_ovs *o;
	int dp_index;
	int bucket;			/* of dp->ports[] being walked */
	oc_addr hook;
	long types[N_VPORT_TYPES];	/* vport_types_resolve() */
};

/* seen-map value of a hash node that failed validation */
#define OC_REJECTED	0x7fffffff

/* A hash node that is not a vport of this datapath: one warning item
 * naming the vport it would be and the invariant that failed. */
static void reject(struct oc_ovs *o, oc_addr vport, oc_addr dp, int bucket,
		   const char *why)
{
	int max = sizeof(o->rejected) / sizeof(o->rejected[0]);

	if (o->nrejected < max) {
		o->rejected[o->nrejected].addr = vport;
		o->rejected[o->nrejected].dp = dp;
		o->rejected[o->nrejected].bucket = bucket;
		snprintf(o->rejected[o->nrejected].why,
			 sizeof(o->rejected[o->nrejected].why), "%s", why);
		oc_appendf(o->warn, sizeof(o->warn),
			   "datapath %lx bucket %d: %lx is not a vport of it (%s)",
			   dp, bucket, vport, why);
	} else if (o->nrejected == max) {
		oc_appendf(o->warn, sizeof(o->warn), "more hash nodes that are not vports");
	}
	o->nrejected++;
}

/*
 * One node of bucket w->bucket of a datapath's ports[] hash.  Believed
 * only when the vport keeps the kernel's invariants (oc_vport_check());
 * its device is used (name, state, race window) only when its fields are
 * plausible (oc_netdev_check()).
 */
static int add_vport(oc_addr node, void *arg)
{
	struct walk_ctx *w = arg;
	struct oc_ovs *o = w->o;
	struct oc_vport_facts f;
	struct oc_vport vp, *nv;
	oc_addr ops, dp = o->dps[w->dp_index].addr;
	char why[96];
	uint16_t port;
	long type;
	int prev;

	/* the same vport met again (in another bucket: a damaged table);
	 * a node rejected before is checked again: one met first in
	 * another bucket's chain does hash to its own */
	prev = oc_addrmap_get(&o->seen, node);
	if (prev >= 0 && prev != OC_REJECTED) {
		if (!o->dup_warned++)
			oc_appendf(o->warn, sizeof(o->warn),
				   "vport %lx met again (datapath %lx): skipped",
				   node - oc_off.vport_dp_hash_node, dp);
		return 0;
	}
	if (o->nvports >= OC_MAX_VPORTS) {
		oc_appendf(o->warn, sizeof(o->warn), "stopped at %d vports (bound)",
			   o->nvports);
		o->full = 1;
		return 1;
	}
	memset(&vp, 0, sizeof(vp));
	vp.addr = node - oc_off.vport_dp_hash_node;
	vp.dp = dp;
	vp.dp_index = w->dp_index;

	memset(&f, 0, sizeof(f));
	f.dp = dp;
	f.bucket = w->bucket;
	f.nbuckets = OC_DP_VPORT_HASH_BUCKETS;
	f.dp_read = OC_HAVE(vport_dp) ?
		!oc_read_ulong(vp.addr + oc_off.vport_dp, &f.vport_dp) : -1;
	f.port_read = !oc_read_u16(vp.addr + oc_off.vport_port_no, &port);
	f.port_no = f.port_read ? port : 0;
	if (oc_vport_check(&f, why, sizeof(why))) {
		if (prev == OC_REJECTED)
			return 0;	/* said once */
		if (oc_addrmap_put(&o->seen, node, OC_REJECTED))
			return 1;
		reject(o, vp.addr, dp, w->bucket, why);
		return 0;
	}
	if (oc_addrmap_put(&o->seen, node, o->nvports))
		return 1;
	if (o->nvports == o->vports_cap) {
		int cap = o->vports_cap ? o->vports_cap * 2 : 16;

		nv = realloc(o->vports, cap * sizeof(*nv));
		if (!nv)
			return 1;
		o->vports = nv;
		o->vports_cap = cap;
	}
	vp.port_no = port;
	vp.type = -1;
	if (OC_HAVE(vport_ops) && OC_HAVE(vops_type) &&
	    !oc_read_ulong(vp.addr + oc_off.vport_ops, &ops) &&
	    !oc_read_int_sized(ops + oc_off.vops_type, 4, &type)) {
		vp.type = type;
		vport_type_name(w->types, type, vp.type_name, sizeof(vp.type_name));
	} else {
		snprintf(vp.type_name, sizeof(vp.type_name), "?");
	}
	if (oc_read_ulong(vp.addr + oc_off.vport_dev, &vp.nd.addr) || !vp.nd.addr)
		snprintf(vp.dev_bad, sizeof(vp.dev_bad), "dev pointer %s",
			 vp.nd.addr ? "unreadable" : "NULL");
	else if (oc_netdev_read(vp.nd.addr, &vp.nd))
		snprintf(vp.dev_bad, sizeof(vp.dev_bad), "net_device unreadable");
	else if (oc_netdev_check(&vp.nd, why, sizeof(why)))
		snprintf(vp.dev_bad, sizeof(vp.dev_bad), "net_device %s", why);
	else
		vp.dev_ok = 1;
	vp.nd.via = OC_VIA_VPORT;
	if (!vp.dev_ok)
		oc_appendf(o->warn, sizeof(o->warn), "vport %lx: dev %lx not used: %s",
			   vp.addr, vp.nd.addr, vp.dev_bad);
	if (vp.dev_ok) {
		const char *rs = oc_nd_reg_state_name(vp.nd.reg_state);

		vp.rx_hook_attached = w->hook && vp.nd.rx_handler == w->hook;
		if ((rs && strcmp(rs, "NETREG_REGISTERED")) || vp.nd.real_num_tx == 0) {
			vp.race_window = 1;
			snprintf(vp.race_why, sizeof(vp.race_why),
				 "still in datapath while dev is %s with real_num_tx_queues=%ld%s",
				 rs ? rs : "in an unknown reg_state", vp.nd.real_num_tx,
				 vp.rx_hook_attached ? "" : ", OVS rx handler detached");
		}
	}
	if (vp.port_no == 0 && vp.dev_ok)	/* the local port names the datapath */
		memcpy(o->dps[w->dp_index].name, vp.nd.name, sizeof(vp.nd.name));
	o->vports[o->nvports++] = vp;
	o->dps[w->dp_index].nports++;
	return 0;
}

static int add_dp(oc_addr node, void *arg)
{
	struct walk_ctx *w = arg;
	struct oc_ovs *o = w->o;
	struct oc_datapath *dp;
	oc_addr ports;
	char why[128], last[128] = "";
	int b, same = 0;

	if (o->ndps >= OC_MAX_DATAPATHS) {
		oc_appendf(o->warn, sizeof(o->warn), "stopped at %d datapaths (bound)",
			   o->ndps);
		return 1;
	}
	dp = realloc(o->dps, (o->ndps + 1) * sizeof(*dp));
	if (!dp)
		return 1;
	o->dps = dp;
	dp = &o->dps[o->ndps];
	memset(dp, 0, sizeof(*dp));
	dp->addr = node - oc_off.dp_list_node;
	w->dp_index = o->ndps++;
	if (oc_read_ulong(dp->addr + oc_off.dp_ports, &ports) || !ports) {
		oc_appendf(o->warn, sizeof(o->warn), "datapath %lx: ports table unreadable",
			   dp->addr);
		return 0;
	}
	/* each bucket's head is read, and charged, by the walk */
	for (b = 0; b < OC_DP_VPORT_HASH_BUCKETS && !oc_cmd_budget_spent() &&
		    !o->full; b++) {
		w->bucket = b;
		if (oc_hlist_walk(ports + b * sizeof(oc_addr), add_vport, w, why, sizeof(why)) >= 0 ||
		    oc_cmd_budget_spent())
			continue;
		/* a page of garbage buckets: the same fault said once, counted */
		if (!strcmp(why, last)) {
			same++;
			continue;
		}
		if (same)
			oc_appendf(o->warn, sizeof(o->warn), "the same in %d more buckets", same);
		same = 0;
		oc_appendf(o->warn, sizeof(o->warn), "datapath %lx bucket %d: %s",
			   o->dps[w->dp_index].addr, b, why);
		snprintf(last, sizeof(last), "%s", why);
	}
	if (same)
		oc_appendf(o->warn, sizeof(o->warn), "the same in %d more buckets", same);
	return oc_cmd_budget_spent();
}

struct ns_ctx {
	struct walk_ctx *w;
	uint32_t net_id, max_ids;	/* ovs_net_id; max_gen_ptrs, 0 unknown */
	int len_warned;
};

static int walk_ns(oc_addr node, void *arg)
{
	struct ns_ctx *c = arg;
	struct oc_ovs *o = c->w->o;
	oc_addr net = node - oc_off.net_list, gen, ovs_net, slot;
	uint32_t len = 0, inum = 0;
	char why[128];
	int first = o->ndps, i, len_read;

	if (oc_read_ulong(net + oc_off.net_gen, &gen) || !gen) {
		oc_appendf(o->warn, sizeof(o->warn), "net %lx: net.gen %s", net,
			   gen ? "unreadable" : "NULL");
		return oc_cmd_budget_spent();
	}
	/*
	 * net_generic() reads gen->ptr[id] without looking at gen->len
	 * (ops_init() sized it for every id before the module could run):
	 * a len that does not cover the id is damage to name, and the
	 * pointer is still the one the kernel would use.
	 */
	len_read = OC_HAVE(gen_len) ? !oc_read_u32(gen + oc_off.gen_len, &len) : -1;
	if (len_read >= 0 &&
	    oc_pernet_id_check(c->net_id, c->max_ids, len, len_read, why, sizeof(why)) > 0 &&
	    !c->len_warned++)
		oc_appendf(o->warn, sizeof(o->warn),
			   "net %lx: net_generic %lx: %s (ovs_net_id): ptr[%u] read as the kernel would",
			   net, gen, why, c->net_id);
	slot = gen + oc_off.gen_ptr + (oc_addr)c->net_id * sizeof(oc_addr);
	if (oc_read_ulong(slot, &ovs_net)) {
		oc_appendf(o->warn, sizeof(o->warn),
			   "net %lx: net_generic %lx ptr[%u] (ovs_net_id) at %lx unreadable",
			   net, gen, c->net_id, slot);
		return oc_cmd_budget_spent();
	}
	if (!ovs_net)
		return 0;	/* OVS not initialised in this namespace */
	if (OC_HAVE(net_ns) && OC_HAVE(ns_inum))
		oc_read_u32(net + oc_off.net_ns + oc_off.ns_inum, &inum);
	if (oc_list_walk(ovs_net + oc_off.ovsnet_dps, add_dp, c->w, why, sizeof(why)) < 0 &&
	    !oc_cmd_budget_spent())
		oc_appendf(o->warn, sizeof(o->warn), "ovs_net %lx: %s", ovs_net, why);
	for (i = first; i < o->ndps; i++) {
		o->dps[i].net = net;
		o->dps[i].netns_inum = inum;
	}
	return oc_cmd_budget_spent();
}

int oc_ovs_walk(const char *user_path, struct oc_ovs *o)
{
	struct oc_modsyms ms;
	struct walk_ctx w = { o, 0, 0, 0, { 0 } };
	struct ns_ctx c = { &w, 0, 0, 0 };
	char why[256];
	oc_addr idp, maxp;
	int i;

	memset(o, 0, sizeof(*o));
	oc_offsets_resolve();
	if (oc_modsyms_ensure("openvswitch", user_path, &ms)) {
		snprintf(o->status, sizeof(o->status), "%s", ms.err);
		oc_modsyms_free(&ms);
		return -1;
	}
	if (!oc_off.ovs_resolved && oc_ovs_offsets_resolve(o->status, sizeof(o->status))) {
		oc_modsyms_free(&ms);
		return -1;
	}
	idp = oc_module_symbol("openvswitch", ms.loaded, "ovs_net_id", why, sizeof(why));
	oc_modsyms_free(&ms);
	if (!idp || oc_read_u32(idp, &c.net_id)) {
		snprintf(o->status, sizeof(o->status), "ovs_net_id unreadable: %s",
			 idp ? "read failed" : why);
		return -1;
	}
	/* register_pernet_operations() raises max_gen_ptrs above every id */
	if ((maxp = oc_sym_value("max_gen_ptrs")) && oc_read_u32(maxp, &c.max_ids))
		c.max_ids = 0;
	if (oc_pernet_id_check(c.net_id, c.max_ids, 0, 1, why, sizeof(why)) < 0) {
		snprintf(o->status, sizeof(o->status), "ovs_net_id at %lx is %s: no datapath can be found",
			 idp, why);
		return -1;
	}
	if (!OC_HAVE(net_gen) || !OC_HAVE(gen_ptr)) {
		snprintf(o->status, sizeof(o->status), "struct net.gen / net_generic.ptr not in debuginfo");
		return -1;
	}
	w.hook = oc_sym_value("netdev_frame_hook");
	vport_types_resolve(w.types);
	o->available = 1;
	if (oc_list_walk(oc_sym_value("net_namespace_list"), walk_ns, &c, why, sizeof(why)) < 0 &&
	    !oc_cmd_budget_spent())
		oc_appendf(o->warn, sizeof(o->warn), "net_namespace_list: %s", why);
	o->truncated = oc_cmd_budget_spent();
	/* the namespaces met, with their names, for the renderers */
	for (i = 0; i < o->ndps; i++)
		oc_netns_of(o->dps[i].net);
	for (i = 0; i < o->nvports; i++)
		if (o->vports[i].dev_ok)
			oc_netns_of(o->vports[i].nd.net);
	return 0;
}

struct oc_vport *oc_ovs_vport_of_dev(struct oc_ovs *o, oc_addr dev)
{
	int i;

	for (i = 0; i < o->nvports; i++)
		if (o->vports[i].dev_ok && o->vports[i].nd.addr == dev)
			return &o->vports[i];
	return NULL;
}

void oc_ovs_free(struct oc_ovs *o)
{
	free(o->dps);
	free(o->vports);
	oc_addrmap_free(&o->seen);
	memset(o, 0, sizeof(*o));
}
