/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netns.h - network namespaces and the names users gave them: the nsfs
 * bind mounts (ip netns add's /run/netns/NAME, /var/run/docker/netns/ID,
 * a CNI's cni-<uuid>) found in every mount namespace of the dump, whose
 * root inode is the namespace's inode.  One table for the session (a
 * dump does not change), built on first use.
 *
 * The contract between the netns table (netns.c), the task/cgroup index
 * (tasks.c) and their users (netdev, vport, triage, the netns command):
 * fields and functions may be added; none renamed or removed.
 */
#ifndef OVSCRASH_NETNS_H
#define OVSCRASH_NETNS_H

#include <stddef.h>
#include "target.h"
#include "../core/budget.h"

#define OC_NETNS_NAMES	4	/* names kept per namespace (the rest counted) */
#define OC_NETNS_PATH	256	/* bytes of a name kept (a longer one is cut, flagged) */

struct oc_netns {
	oc_addr net;			/* struct net */
	unsigned int inum;		/* ns.inum, 0 unknown */
	int listed;			/* on net_namespace_list */
	int dying;			/* being torn down: off net_namespace_list
					 * or its count 0 (the reason in state) */
	long count;			/* its reference count, -1 unknown */
	int n_names;			/* names kept in names[] */
	int names_total;		/* distinct names found (>= n_names) */
	/* mount paths, raw untrusted bytes, NUL-terminated (escape them) */
	unsigned char names[OC_NETNS_NAMES][OC_NETNS_PATH];
	int n_devices;			/* devices on its dev_base_head, -1 unknown
					 * (not counted yet: oc_netns_count_devices()) */
	char state[96];			/* "listed", "dying: off net_namespace_list, count 0", ... */
	char err[128];			/* why a part could not be read, "" */
};

/*
 * The session's table: every namespace on net_namespace_list, with its
 * names.  Returns the number of records (*v set), or -1 with @err.
 */
int oc_netns_table(const struct oc_netns **v, char *err, size_t n);

/*
 * The record of the namespace at @net: from the table, else read on
 * demand (a dying namespace off the list, reached from a device) and
 * kept.  NULL when @net cannot be read.
 */
const struct oc_netns *oc_netns_of(oc_addr net);

/*
 * The namespace's names for a text column: "pod-a,/var/run/docker/netns/x"
 * (a /run/netns/ or /var/run/netns/ prefix dropped, bytes escaped), "-"
 * when it has none; cut to @n with a "+N" count of the names left out.
 */
const char *oc_netns_names_text(const struct oc_netns *ns, char *buf, size_t n);

/*
 * The kept record of @net, or NULL: no dump read, no table build (what
 * renderers call; the walkers met @net through oc_netns_of() first).
 */
const struct oc_netns *oc_netns_known(oc_addr net);

/*
 * Every record kept: the table's, then those read on demand (off the
 * list), in the order met.  oc_netns_kept() is their number (no build).
 */
int oc_netns_kept(void);
const struct oc_netns *oc_netns_kept_at(int i);

/*
 * The namespace a user named: "ffff8e4b..." / "0xffff..." (struct net
 * address), an inode (decimal), or a name (a whole path, or what follows
 * /run/netns/).  NULL with @err when none matches.
 */
const struct oc_netns *oc_netns_find(const char *arg, char *err, size_t n);

/*
 * The budget the table was last built under (its own, with the running
 * command's bounds: names are not charged to the command that shows
 * them); spent when the build was cut short, the table then incomplete
 * and built again by the next command that asks.  Problems met while
 * building ("; "-separated) in @warn when non-NULL.
 */
const struct oc_budget *oc_netns_budget(const char **warn);

/*
 * Count the devices on @ns's dev_base_head (a walk of every device,
 * charged to the running command: only the netns command asks), kept in
 * its n_devices.  The count, or -1 (the reason in its err).
 */
int oc_netns_count_devices(const struct oc_netns *ns);

/* Drop the table (oc_session_end()). */
void oc_netns_forget(void);

#endif
