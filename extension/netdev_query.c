// SPDX-License-Identifier: GPL-2.0
/*
 * netdev_query.c - the netdev command's device set: the namespace walk
 * (netdev.c), devices still referenced by OVS vports (ovs.c) or by the
 * registers of a spinning CPU (picktx.c), their veth peers (veth.c),
 * then the user's filter.
 * No printing here.
 */
#include "netdev_query.h"
#include "escape.h"
#include "netns.h"
#include "ovs.h"
#include "picktx.h"
#include "session.h"
#include "veth.h"
#include "../core/strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int wanted(const struct oc_netdev *nd, const void *arg)
{
	const struct oc_netdev_filter *flt = arg;
	char name[80], why[160];

	if (flt->addr && nd->addr != flt->addr)
		return 0;
	if (flt->netns >= 0 && nd->netns_inum != (unsigned long)flt->netns)
		return 0;
	if (flt->ifindex >= 0 && nd->ifindex != flt->ifindex)
		return 0;
	if (flt->name && strcmp(oc_name(nd->name, name, sizeof(name)), flt->name))
		return 0;
	if (flt->anomalies && !oc_netdev_anomalous(nd, why, sizeof(why)))
		return 0;
	return 1;
}

int oc_netdev_query(const char *ovs_debug_path, const struct oc_netdev_filter *flt,
		    struct oc_netdev_query *q)
{
	struct oc_netdev_list *l = &q->l;
	struct oc_picktx *pt = NULL;
	struct oc_ovs o;
	int i;

	memset(q, 0, sizeof(*q));
	q->walk_failed = oc_netdev_walk(l) < 0;
	/* devices no longer listed but still referenced: by a vport ... */
	if (oc_cmd_budget_spent()) {
		snprintf(q->ovs_status, sizeof(q->ovs_status),
			 "the command's budget was spent before the vport walk");
	} else {
		if (!oc_ovs_walk(ovs_debug_path, &o))
			for (i = 0; i < o.nvports; i++)
				if (o.vports[i].dev_ok)
					oc_netdev_list_add(l, &o.vports[i].nd);
		if (o.warn[0])
			oc_appendf(l->warn, sizeof(l->warn), "OVS: %s", o.warn);
		snprintf(q->ovs_status, sizeof(q->ovs_status), "%s", o.status);
		oc_ovs_free(&o);
	}
	/* ... or by the registers of a CPU spinning in netdev_pick_tx (not
	 * a walk: crash's bt -E, log and dis, skipped when out of time) */
	if (oc_cmd_out_of_time()) {
		oc_budget_stopped_at(oc_cmd_budget(),
				     "the start of the search of spinning CPUs' registers");
	} else if ((pt = malloc(sizeof(*pt))) && oc_picktx_find(pt) > 0) {
		for (i = 0; i < pt->nspins; i++)
			if (pt->spins[i].dev_ok)
				oc_netdev_list_add(l, &pt->spins[i].nd);
	}
	free(pt);
	/* veth peers: of every device found, so a cleared end finds the
	 * device pointing back at it whatever the filter keeps */
	oc_veth_peers(l, q->peer_status, sizeof(q->peer_status));
	q->truncated = oc_cmd_budget_spent();

	/* keep, in order, the devices the filter lets through */
	oc_netdev_list_keep(l, wanted, flt);
	/* the namespaces they are in, with their names, for the renderers */
	for (i = 0; i < l->n; i++)
		oc_netns_of(l->v[i].net);
	return l->n;
}

void oc_netdev_query_free(struct oc_netdev_query *q)
{
	oc_netdev_list_free(&q->l);
}
