// SPDX-License-Identifier: GPL-2.0
/*
 * netns_query.c - the netns command's rows (netns_query.h).  No
 * printing here.
 */
#include "netns_query.h"
#include "escape.h"
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* what holds a namespace in which no task lives, claiming nothing that
 * was not checked */
static void holder(struct oc_netns_row *r)
{
	const struct oc_netns *ns = r->ns;
	char path[OC_NETNS_PATH * 4 + 1];

	r->holder[0] = '\0';
	if (!r->tasks_read) {
		snprintf(r->holder, sizeof(r->holder), "tasks not read: %s",
			 r->tasks.err[0] ? r->tasks.err : "the command's budget was spent");
		return;
	}
	if (r->tasks.total)
		return;
	if (ns->names_total) {
		oc_path((const char *)ns->names[0], path, sizeof(path));
		snprintf(r->holder, sizeof(r->holder), "no task: held by mount %s%s", path,
			 ns->names_total > 1 ? " (and its other names)" : "");
	} else if (ns->count >= 0) {
		snprintf(r->holder, sizeof(r->holder), "no task, no name: held by %ld other "
			 "reference%s (sockets, devices...)", ns->count,
			 ns->count == 1 ? "" : "s");
	} else {
		snprintf(r->holder, sizeof(r->holder),
			 "no task, no name; its reference count unreadable");
	}
}

static void fill(struct oc_netns_row *r, const struct oc_netns *ns)
{
	memset(r, 0, sizeof(*r));
	r->ns = ns;
	oc_netns_count_devices(ns);
	if (!oc_cmd_budget_spent())
		r->tasks_read = !oc_tasks_of_net(ns->net, &r->tasks);
	holder(r);
}

int oc_netns_query(const char *arg, struct oc_netns_query *q)
{
	const struct oc_netns *v, *one;
	const oc_addr *held;
	const char *w;
	char why[128];
	int n, i, k;

	memset(q, 0, sizeof(*q));
	n = oc_netns_table(&v, q->err, sizeof(q->err));
	/* namespaces off the list that tasks still live in: kept too */
	k = n >= 0 ? oc_tasks_nets(&held, why, sizeof(why)) : -1;
	for (i = 0; i < k; i++)
		if (!oc_netns_known(held[i]))
			oc_netns_of(held[i]);
	q->budget = oc_netns_budget(&w);
	snprintf(q->warn, sizeof(q->warn), "%s", w);
	if (n < 0)
		return -1;
	if (arg) {
		if (!(one = oc_netns_find(arg, q->err, sizeof(q->err))))
			return -1;
		if (!(q->rows = malloc(sizeof(*q->rows)))) {
			snprintf(q->err, sizeof(q->err), "netns: out of memory");
			return -1;
		}
		fill(&q->rows[0], one);
		return q->n = 1;
	}
	/* the table's, then those off the list met so far */
	n = oc_netns_kept();
	if (!(q->rows = malloc((n ? n : 1) * sizeof(*q->rows)))) {
		snprintf(q->err, sizeof(q->err), "netns: out of memory");
		return -1;
	}
	for (i = 0; i < n; i++)
		fill(&q->rows[i], oc_netns_kept_at(i));
	return q->n = n;
}

void oc_netns_query_free(struct oc_netns_query *q)
{
	free(q->rows);
	memset(q, 0, sizeof(*q));
}
