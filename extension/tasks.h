/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tasks.h - who lives in a network namespace: the tasks whose
 * nsproxy->net_ns is it (pid, comm) and their cgroup paths, cgroup v2's
 * and every v1 hierarchy's (named ones such as name=systemd included),
 * where Kubernetes and systemd names (kubepods, docker-<id>.scope,
 * libpod-...) give away the pod or container.  One index for the session
 * (one walk of crash's task table), built on first use.
 *
 * Part of the contract of netns.h: fields and functions may be added;
 * none renamed or removed.
 */
#ifndef OVSCRASH_TASKS_H
#define OVSCRASH_TASKS_H

#include <stddef.h>
#include "target.h"

#define OC_NET_TASKS_LISTED	8	/* tasks kept per namespace (the rest counted) */
#define OC_TASK_CGROUPS		4	/* hierarchies kept per task: v2 first,
					 * then v1 ones, a named one (name=systemd)
					 * before controller-only ones */
#define OC_CG_PATH		512	/* bytes of a cgroup path kept */

struct oc_task_cgroup {
	char hierarchy[64];		/* "" cgroup v2; v1: "name=systemd", "cpu,cpuacct"
					 * (printable: a hierarchy's name is escaped) */
	unsigned char path[OC_CG_PATH];	/* raw untrusted bytes, NUL-terminated */
};

struct oc_net_task {
	oc_addr task;			/* struct task_struct */
	int pid;
	unsigned char comm[17];		/* raw untrusted bytes, NUL-terminated */
	int n_cgroups;
	struct oc_task_cgroup cgroups[OC_TASK_CGROUPS];
};

struct oc_net_tasks {
	oc_addr net;
	int total;			/* tasks found in the namespace */
	int n;				/* kept in t[] (the first by pid) */
	struct oc_net_task t[OC_NET_TASKS_LISTED];
	char err[128];			/* why tasks or cgroups were not read, "" */
};

/*
 * The tasks in the namespace at @net (threads counted once, by their
 * thread group leader).  0, or -1 with @out->err.
 */
int oc_tasks_of_net(oc_addr net, struct oc_net_tasks *out);

/* What the index walk saw (building the index on first use). */
struct oc_tasks_stats {
	int tasks;			/* entries of crash's task table */
	int leaders;			/* thread group leaders (pid > 0) */
	int no_nsproxy;			/* leaders with no nsproxy (exiting) */
	int unreadable;			/* leaders whose tgid/nsproxy/net_ns
					 * could not be read */
	int indexed;			/* leaders in the index */
	int namespaces;			/* distinct net_ns among them */
	char warn[160];			/* the first unreadable leader and why
					 * ("task ADDR pid N: nsproxy ADDR
					 * unreadable"), "" none */
};

/* 0, or -1 with @err (the index cannot be built). */
int oc_tasks_stats(struct oc_tasks_stats *s, char *err, size_t n);

/*
 * The namespaces that have tasks, sorted by address (*v kept by the
 * session; a dying namespace off net_namespace_list may be among them).
 * Returns their number, or -1 with @err.
 */
int oc_tasks_nets(const oc_addr **v, char *err, size_t n);

/* Drop the index (oc_session_end). */
void oc_tasks_free(void);

/*
 * The pod or container a task's cgroup paths give away (core/cgname's
 * oc_cg_tenant() of its v2 path, else of each v1 path in turn):
 * "pod <uid> container <id12>", "docker <id12>", ...  Returns 1 with
 * @out set, 0 with @out "" when no path names one.  Built from hex ids
 * and uids only: safe in every output as it is.
 */
int oc_task_tenant(const struct oc_net_task *t, char *out, size_t n);

#endif
