/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netns_query.h - the netns command's rows: the namespaces of the
 * session's table (netns.h), or the one the user named, each with its
 * tasks and their cgroups (tasks.h) and, when no task is in it, what
 * holds it as far as was checked.
 */
#ifndef OVSCRASH_NETNS_QUERY_H
#define OVSCRASH_NETNS_QUERY_H

#include "netns.h"
#include "tasks.h"

struct oc_netns_row {
	const struct oc_netns *ns;
	struct oc_net_tasks tasks;
	int tasks_read;			/* oc_tasks_of_net() answered */
	char holder[320];		/* "" when tasks live in it; else what
					 * holds it ("held by mount ...") */
};

struct oc_netns_query {
	struct oc_netns_row *rows;
	int n;
	char err[320];			/* the command's one-line error, "" */
	char warn[1024];		/* the table's problems */
	const struct oc_budget *budget;	/* the table's build (netns.h) */
};

/* @arg: NULL for every namespace, else an address, inode or name.
 * The number of rows, or -1 with @q->err. */
int oc_netns_query(const char *arg, struct oc_netns_query *q);
void oc_netns_query_free(struct oc_netns_query *q);

#endif
