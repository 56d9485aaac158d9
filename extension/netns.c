// SPDX-License-Identifier: GPL-2.0
/*
 * netns.c - the session's table of network namespaces (netns.h): every
 * struct net on net_namespace_list with its inode, reference count and
 * device count, and the names users gave it, read from the nsfs mounts
 * of every mount namespace.  No printing here.
 *
 * The names: `ip netns add NAME` bind-mounts the namespace's nsfs inode
 * on /run/netns/NAME; docker and CNIs do the same elsewhere, sometimes
 * inside a mount namespace of their own.  Every mount namespace a task
 * (or init_task) uses is walked: its mount list (mnt_namespace.list of
 * mount.mnt_list up to 6.7; the rbtree mnt_namespace.mounts of
 * mount.mnt_node since 6.8, which debuginfo tells), each mount whose
 * superblock is nsfs's (s_magic NSFS_MAGIC) and whose root inode's
 * ns_common (i_private) is a network namespace's (ops ==
 * &netns_operations) names that namespace, by its path: the mountpoint
 * dentry's names up d_parent to the parent mount's root, then that
 * mount's mountpoint, up to the namespace's root mount.
 */
#include "netns.h"
#include "escape.h"
#include "session.h"
#include "walk.h"
#include "../core/addrmap.h"
#include "../core/nsname.h"
#include "../core/strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NSFS_MAGIC	0x6e736673UL
#define NAMES_SEEN	64	/* distinct names compared per namespace */
#define PATH_PARTS	64	/* dentries in one path */
#define PATH_MOUNTS	32	/* mounts crossed by one path */
#define RB_DEPTH	128	/* an rbtree of 2^63 mounts is shallower */

/* layouts, from debuginfo once per session; -1 absent */
static struct {
	int done;
	long task_nsproxy, nsp_mnt_ns, mntns_list, mntns_mounts, mnt_list,
	     mnt_node, mnt_parent, mnt_mountpoint, mnt_mnt, vfs_root, vfs_sb,
	     sb_magic, d_parent, d_name_len, d_name_name, d_inode, i_ino,
	     i_private, nsc_ops, nsc_count, net_count, rb_left, rb_right;
	oc_addr netns_ops;		/* &netns_operations, 0 unknown */
} lo;

#define HAVE(f)	(lo.f >= 0)

static void layouts_resolve(void)
{
	long qstr_name;

	if (lo.done)
		return;
	oc_offsets_resolve();
	lo.task_nsproxy = oc_member_path_offset("task_struct", "nsproxy");
	lo.nsp_mnt_ns = oc_member_path_offset("nsproxy", "mnt_ns");
	lo.mntns_list = oc_member_path_offset("mnt_namespace", "list");
	if (!HAVE(mntns_list))	/* 6.8+: an rbtree */
		lo.mntns_mounts = oc_member_path_offset("mnt_namespace", "mounts");
	else
		lo.mntns_mounts = -1;
	lo.mnt_list = oc_member_path_offset("mount", "mnt_list");
	lo.mnt_node = HAVE(mntns_mounts) ? oc_member_path_offset("mount", "mnt_node") : -1;
	lo.mnt_parent = oc_member_path_offset("mount", "mnt_parent");
	lo.mnt_mountpoint = oc_member_path_offset("mount", "mnt_mountpoint");
	lo.mnt_mnt = oc_member_path_offset("mount", "mnt");
	lo.vfs_root = oc_member_path_offset("vfsmount", "mnt_root");
	lo.vfs_sb = oc_member_path_offset("vfsmount", "mnt_sb");
	lo.sb_magic = oc_member_path_offset("super_block", "s_magic");
	lo.d_parent = oc_member_path_offset("dentry", "d_parent");
	lo.d_name_len = oc_member_path_offset("dentry", "d_name.len");
	lo.d_name_name = oc_member_path_offset("dentry", "d_name.name");
	qstr_name = oc_member_path_offset("qstr", "name");
	if (!HAVE(d_name_name) && qstr_name >= 0 &&
	    (lo.d_name_name = oc_member_path_offset("dentry", "d_name")) >= 0)
		lo.d_name_name += qstr_name;
	lo.d_inode = oc_member_path_offset("dentry", "d_inode");
	lo.i_ino = oc_member_path_offset("inode", "i_ino");
	lo.i_private = oc_member_path_offset("inode", "i_private");
	lo.nsc_ops = oc_member_path_offset("ns_common", "ops");
	/* the count: net.ns.count since 5.12 (ns_common.count), net.count
	 * before */
	lo.nsc_count = oc_member_path_offset("ns_common", "count");
	lo.net_count = HAVE(nsc_count) ? -1 : oc_member_path_offset("net", "count");
	lo.rb_left = oc_member_path_offset("rb_node", "rb_left");
	lo.rb_right = oc_member_path_offset("rb_node", "rb_right");
	lo.netns_ops = oc_sym_value("netns_operations");
	lo.done = 1;
}

/* a name, while the table is built: distinct per namespace */
struct seen_names {
	char *v[NAMES_SEEN];
	int n;
	int more;		/* names past NAMES_SEEN (not compared) */
};

static struct {
	int built;			/* a build finished (maybe truncated) */
	unsigned long seq;		/* the command that built it */
	struct oc_netns *v;		/* the table: net_namespace_list's */
	int n;
	struct oc_netns **extra;	/* read on demand (off the list) */
	int nextra, capextra;
	struct oc_addrmap index;	/* net -> i (< n: v[i]; else extra[i - n]) */
	struct seen_names *names;	/* per record, while building */
	int listed_complete;		/* the whole of net_namespace_list read */
	struct oc_budget budget;	/* the build's own */
	char warn[1024];
	int mnt_namespaces, nsfs_mounts;	/* walked, met (OVSCRASH_TIMING) */
} tab;

static struct oc_netns *rec_at(int i)
{
	if (i < 0)
		return NULL;
	return i < tab.n ? &tab.v[i] : i - tab.n < tab.nextra ? tab.extra[i - tab.n] : NULL;
}

static void warn(const char *fmt, const char *what, oc_addr a, const char *why)
{
	if (!tab.budget.spent)
		oc_appendf(tab.warn, sizeof(tab.warn), fmt, what, a, why);
}

/* the record's reference count and, with the table read, its state */
static void read_count(struct oc_netns *ns)
{
	long off = HAVE(nsc_count) && OC_HAVE(net_ns) ? oc_off.net_ns + lo.nsc_count :
		   lo.net_count;
	uint32_t c;

	ns->count = -1;
	if (off >= 0 && !oc_read_u32(ns->net + off, &c))
		ns->count = (int)c;
}

static void set_state(struct oc_netns *ns)
{
	if (ns->listed && ns->count == 0) {
		ns->dying = 1;
		snprintf(ns->state, sizeof(ns->state),
			 "dying: count 0, still on net_namespace_list");
	} else if (ns->listed) {
		ns->dying = 0;
		snprintf(ns->state, sizeof(ns->state), "listed");
	} else if (tab.listed_complete) {
		ns->dying = 1;
		snprintf(ns->state, sizeof(ns->state), "dying: off net_namespace_list, count %ld",
			 ns->count);
	} else {
		ns->dying = 0;
		snprintf(ns->state, sizeof(ns->state),
			 "unknown: not in the part of net_namespace_list read");
	}
}

static void read_inum(struct oc_netns *ns)
{
	uint32_t inum;

	if (OC_HAVE(net_ns) && OC_HAVE(ns_inum) &&
	    !oc_read_u32(ns->net + oc_off.net_ns + oc_off.ns_inum, &inum))
		ns->inum = inum;
	else
		snprintf(ns->err, sizeof(ns->err), "net %lx: ns.inum unreadable", ns->net);
}

static int count_dev(oc_addr node, void *arg)
{
	return 0;
}

int oc_netns_count_devices(const struct oc_netns *cns)
{
	struct oc_netns *ns = (struct oc_netns *)cns;	/* a record of the table */
	char why[128];
	int k;

	if (ns->n_devices >= 0 || !OC_HAVE(net_dev_base_head) || oc_cmd_budget_spent())
		return ns->n_devices;
	k = oc_list_walk(ns->net + oc_off.net_dev_base_head, count_dev, NULL, why, sizeof(why));
	if (k >= 0)
		ns->n_devices = k;
	else if (!oc_cmd_budget_spent())
		snprintf(ns->err, sizeof(ns->err), "dev_base_head: %s", why);
	return ns->n_devices;
}

/* the new record of @net, not yet known: kept, index set */
static struct oc_netns *add_extra(oc_addr net)
{
	struct oc_netns *ns, **v;

	if (tab.nextra == tab.capextra) {
		int cap = tab.capextra ? tab.capextra * 2 : 8;

		if (!(v = realloc(tab.extra, cap * sizeof(*v))))
			return NULL;
		tab.extra = v;
		tab.capextra = cap;
	}
	if (!(ns = calloc(1, sizeof(*ns))))
		return NULL;
	if (oc_addrmap_put(&tab.index, net, tab.n + tab.nextra)) {
		free(ns);
		return NULL;
	}
	tab.extra[tab.nextra++] = ns;
	ns->net = net;
	ns->n_devices = -1;
	read_inum(ns);
	read_count(ns);
	set_state(ns);
	return ns;
}

/* ---- the names ---- */

/* one dentry's name, raw, into @out at @len (0 on success) */
static int dentry_name(oc_addr d, unsigned char *out, size_t *len, size_t cap)
{
	uint32_t n;
	oc_addr p;

	if (oc_read_u32(d + lo.d_name_len, &n) || oc_read_ulong(d + lo.d_name_name, &p))
		return -1;
	if (n > 255)		/* NAME_MAX */
		return -1;
	if (*len + 1 + n >= cap)
		return -1;
	out[(*len)++] = '/';
	if (n && oc_read(p, out + *len, n, "dentry name"))
		return -1;
	*len += n;
	return 0;
}

/*
 * The dentries from @d up to (not including) @stop, the root of the
 * mount above, onto @parts; 0, or -1 with @why.
 */
static int climb(oc_addr d, oc_addr stop, oc_addr *parts, int *np, int cap, char *why,
		 size_t wn)
{
	oc_addr dp;

	while (d && d != stop) {
		if (*np == cap) {
			snprintf(why, wn, "more than %d path components", PATH_PARTS);
			return -1;
		}
		parts[(*np)++] = d;
		if (oc_read_ulong(d + lo.d_parent, &dp) || dp == d)
			break;	/* a filesystem's root: no higher */
		d = dp;
	}
	return 0;
}

/* the mountpoint of @m and the root of its parent @parent (0 when @m is
 * its namespace's root mount); 0, or -1 with @why */
static int mount_up(oc_addr m, oc_addr *parent, oc_addr *d, oc_addr *proot, char *why,
		    size_t wn)
{
	if (oc_read_ulong(m + lo.mnt_parent, parent) || !*parent) {
		snprintf(why, wn, "mount %lx: mnt_parent unreadable", m);
		return -1;
	}
	if (*parent == m) {
		*parent = 0;
		return 0;
	}
	if (oc_read_ulong(m + lo.mnt_mountpoint, d) ||
	    oc_read_ulong(*parent + lo.mnt_mnt + lo.vfs_root, proot)) {
		snprintf(why, wn, "mount %lx: mountpoint unreadable", m);
		return -1;
	}
	return 0;
}

/* the names of @parts, last first, after @out's @len bytes */
static int join(const oc_addr *parts, int np, unsigned char *out, size_t *len, char *why,
		size_t wn)
{
	while (np--)
		if (dentry_name(parts[np], out, len, OC_NETNS_PATH)) {
			snprintf(why, wn, "dentry %lx: name unreadable or too long", parts[np]);
			return -1;
		}
	return 0;
}

/*
 * The path of mount @m in its mount namespace, raw bytes into @out (cap
 * OC_NETNS_PATH); 0, or -1 with @why.  The path of the mount above is
 * kept for the next call: the nsfs mounts of a namespace sit mostly in
 * one directory (/run/netns), so most calls read only their own last
 * component.  (A dump does not change: what was read stays true.)
 */
static int mount_path(oc_addr m, unsigned char *out, char *why, size_t wn)
{
	static struct {
		oc_addr mount;
		size_t len;
		unsigned char path[OC_NETNS_PATH];
	} above;
	oc_addr parts[PATH_PARTS], parent, d, proot, top;
	int np = 0, hops;
	size_t len = 0;

	if (mount_up(m, &parent, &d, &proot, why, wn))
		return -1;
	if (!parent) {
		memcpy(out, "/", 2);
		return 0;
	}
	if (climb(d, proot, parts, &np, PATH_PARTS, why, wn))
		return -1;
	if (above.mount != parent) {
		int k = 0;

		above.mount = 0;
		for (top = parent, hops = 0; ; hops++) {
			if (hops == PATH_MOUNTS) {
				snprintf(why, wn, "more than %d mounts deep", PATH_MOUNTS);
				return -1;
			}
			if (mount_up(top, &top, &d, &proot, why, wn))
				return -1;
			if (!top)
				break;
			if (climb(d, proot, parts + np, &k, PATH_PARTS - np, why, wn))
				return -1;
		}
		above.len = 0;
		if (join(parts + np, k, above.path, &above.len, why, wn))
			return -1;
		above.mount = parent;
	}
	memcpy(out, above.path, above.len);
	len = above.len;
	if (join(parts, np, out, &len, why, wn))
		return -1;
	if (!len)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

static void name_add(int i, const unsigned char *path)
{
	struct seen_names *s = &tab.names[i];
	int k;

	for (k = 0; k < s->n; k++)
		if (!strcmp(s->v[k], (const char *)path))
			return;
	if (s->n == NAMES_SEEN) {
		s->more++;
		return;
	}
	if ((s->v[s->n] = strdup((const char *)path)))
		s->n++;
}

/* one mount of a mount namespace: a name when it is an nsfs mount of a
 * network namespace */
static void mount_seen(oc_addr m)
{
	oc_addr sb, root, inode, ns, ops, net;
	unsigned char path[OC_NETNS_PATH];
	struct seen_names *grown;
	char why[96];
	oc_addr magic, ino;
	int i;

	if (oc_read_ulong(m + lo.mnt_mnt + lo.vfs_sb, &sb) ||
	    oc_read_ulong(sb + lo.sb_magic, &magic))
		return;
	if ((magic & 0xffffffffUL) != NSFS_MAGIC)
		return;
	if (oc_read_ulong(m + lo.mnt_mnt + lo.vfs_root, &root) ||
	    oc_read_ulong(root + lo.d_inode, &inode) || !inode ||
	    oc_read_ulong(inode + lo.i_ino, &ino) ||
	    oc_read_ulong(inode + lo.i_private, &ns) || !ns) {
		warn("%s %lx: %s", "nsfs mount", m, "root inode unreadable");
		return;
	}
	/* nsfs holds every kind of namespace: only a network one names */
	if (lo.netns_ops && (oc_read_ulong(ns + lo.nsc_ops, &ops) || ops != lo.netns_ops))
		return;
	net = ns - oc_off.net_ns;
	i = oc_addrmap_get(&tab.index, net);
	if (i < 0) {
		/* without netns_operations only a listed namespace is known
		 * to be a network one */
		if (!lo.netns_ops || !add_extra(net))
			return;
		i = oc_addrmap_get(&tab.index, net);
		grown = realloc(tab.names, (tab.n + tab.nextra) * sizeof(*grown));
		if (i < 0 || !grown) {
			tab.nextra--;	/* no room for its names: not kept */
			free(tab.extra[tab.nextra]);
			oc_addrmap_put(&tab.index, net, -1);
			return;
		}
		tab.names = grown;
		memset(&tab.names[i], 0, sizeof(tab.names[i]));
	}
	if (rec_at(i)->inum && rec_at(i)->inum != (unsigned int)ino) {
		snprintf(why, sizeof(why), "root inode %lu is not the namespace's %u",
			 ino, rec_at(i)->inum);
		warn("%s %lx: %s", "nsfs mount", m, why);
		return;
	}
	tab.nsfs_mounts++;
	if (mount_path(m, path, why, sizeof(why))) {
		warn("%s %lx: %s", "nsfs mount", m, why);
		return;
	}
	name_add(i, path);
}

static int mount_node(oc_addr node, void *arg)
{
	mount_seen(node - lo.mnt_list);
	return oc_cmd_budget_spent();
}

/* every node of the rbtree at @root (6.8+ mnt_namespace.mounts), each
 * charged to the budget; cycle-safe through the bound on nodes */
static void rb_walk(oc_addr root, oc_addr mns)
{
	oc_addr stack[RB_DEPTH], node, l, r;
	int sp = 0, seen = 0;

	if (oc_read_ulong(root, &node)) {
		warn("%s %lx: %s", "mnt_namespace", mns, "mounts rbtree unreadable");
		return;
	}
	if (node)
		stack[sp++] = node;
	while (sp) {
		if (oc_budget_charge(oc_cmd_budget(), 1)) {
			oc_budget_stopped_at(oc_cmd_budget(), "mount rbtree %lx after %d entries",
					     root, seen);
			return;
		}
		if (++seen > OC_MAX_WALK) {
			warn("%s %lx: %s", "mnt_namespace", mns, "mounts rbtree: node bound hit");
			return;
		}
		node = stack[--sp];
		mount_seen(node - lo.mnt_node);
		if (oc_read_ulong(node + lo.rb_left, &l) || oc_read_ulong(node + lo.rb_right, &r)) {
			warn("%s %lx: %s", "rb_node", node, "children unreadable");
			continue;
		}
		if ((l && !oc_is_kvaddr(l)) || (r && !oc_is_kvaddr(r))) {
			warn("%s %lx: %s", "rb_node", node, "bad child pointer");
			continue;
		}
		if (sp + 2 > RB_DEPTH) {
			warn("%s %lx: %s", "mnt_namespace", mns, "mounts rbtree deeper than possible");
			return;
		}
		if (l)
			stack[sp++] = l;
		if (r)
			stack[sp++] = r;
	}
}

static void walk_mnt_ns(oc_addr mns)
{
	char why[128];

	if (HAVE(mntns_list) && HAVE(mnt_list)) {
		if (oc_list_walk(mns + lo.mntns_list, mount_node, NULL, why, sizeof(why)) < 0)
			warn("%s %lx: %s", "mnt_namespace", mns, why);
	} else if (HAVE(mntns_mounts) && HAVE(mnt_node) && HAVE(rb_left) && HAVE(rb_right)) {
		rb_walk(mns + lo.mntns_mounts, mns);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* every mount namespace of a task (or init's), walked once */
static void find_names(void)
{
	struct oc_addrmap nsps = { 0 }, mnss = { 0 };
	struct oc_task_ref t;
	oc_addr nsp, mns, init_nsp;
	int i, k, ntasks = oc_task_count();

	if (!HAVE(nsp_mnt_ns) || !HAVE(mnt_parent) || !HAVE(mnt_mountpoint) ||
	    !HAVE(mnt_mnt) || !HAVE(vfs_root) || !HAVE(vfs_sb) || !HAVE(sb_magic) ||
	    !HAVE(d_parent) || !HAVE(d_name_len) || !HAVE(d_name_name) ||
	    !HAVE(d_inode) || !HAVE(i_ino) || !HAVE(i_private) || !HAVE(nsc_ops) ||
	    !OC_HAVE(net_ns) ||
	    !((HAVE(mntns_list) && HAVE(mnt_list)) ||
	      (HAVE(mntns_mounts) && HAVE(mnt_node) && HAVE(rb_left) && HAVE(rb_right)))) {
		oc_appendf(tab.warn, sizeof(tab.warn), "names not read: mount, dentry or "
			   "nsproxy members not in debuginfo");
		return;
	}
	/* init_task's nsproxy first, then every task's; each nsproxy and
	 * each mount namespace once */
	init_nsp = oc_sym_value("init_nsproxy");
	for (i = -1; i < ntasks && !oc_cmd_budget_spent(); i++) {
		if (i < 0) {
			nsp = init_nsp;
		} else {
			if (!HAVE(task_nsproxy) || oc_task_get(i, &t))
				break;
			if (oc_budget_charge(oc_cmd_budget(), 1)) {
				oc_budget_stopped_at(oc_cmd_budget(), "the task table after %d tasks", i);
				break;
			}
			if (oc_read_ulong(t.task + lo.task_nsproxy, &nsp))
				continue;
		}
		if (!nsp || !oc_is_kvaddr(nsp) || oc_addrmap_get(&nsps, nsp) >= 0)
			continue;	/* exited (NULL), or met */
		oc_addrmap_put(&nsps, nsp, 1);
		if (oc_read_ulong(nsp + lo.nsp_mnt_ns, &mns) || !oc_is_kvaddr(mns) ||
		    oc_addrmap_get(&mnss, mns) >= 0)
			continue;
		oc_addrmap_put(&mnss, mns, 1);
		tab.mnt_namespaces++;
		walk_mnt_ns(mns);
	}
	oc_addrmap_free(&nsps);
	oc_addrmap_free(&mnss);
	/* keep each namespace's first names in byte order (stable output) */
	for (i = 0; i < tab.n + tab.nextra; i++) {
		struct seen_names *s = &tab.names[i];
		struct oc_netns *ns = rec_at(i);

		qsort(s->v, s->n, sizeof(s->v[0]), cmp_str);
		ns->names_total = s->n + s->more;
		for (k = 0; k < s->n; k++) {
			if (k < OC_NETNS_NAMES)
				oc_strlcpy((char *)ns->names[ns->n_names++], s->v[k], OC_NETNS_PATH);
			free(s->v[k]);
		}
	}
}

/* ---- the table ---- */

static int add_listed(oc_addr node, void *arg)
{
	struct oc_netns *ns, *v;
	int *cap = arg;

	if (tab.n == *cap) {
		int c = *cap ? *cap * 2 : 64;

		if (!(v = realloc(tab.v, c * sizeof(*v))))
			return 1;
		tab.v = v;
		*cap = c;
	}
	ns = &tab.v[tab.n];
	memset(ns, 0, sizeof(*ns));
	ns->net = node - oc_off.net_list;
	if (oc_addrmap_get(&tab.index, ns->net) >= 0)
		return 0;
	if (oc_addrmap_put(&tab.index, ns->net, tab.n))
		return 1;
	tab.n++;
	ns->listed = 1;
	ns->n_devices = -1;	/* counted on demand */
	read_inum(ns);
	read_count(ns);
	return oc_cmd_budget_spent();
}

void oc_netns_forget(void)
{
	int i;

	for (i = 0; i < tab.nextra; i++)
		free(tab.extra[i]);
	free(tab.extra);
	free(tab.v);
	free(tab.names);
	oc_addrmap_free(&tab.index);
	memset(&tab, 0, sizeof(tab));
}

static double ms_since(clockid_t clk, const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void build(void)
{
	struct oc_budget saved = oc_sess.budget;
	struct timespec wall, cpu;
	unsigned long hits = oc_sess.pages.hits, misses = oc_sess.pages.misses;
	oc_addr head;
	char why[128];
	int cap = 0, i, k;

	clock_gettime(CLOCK_MONOTONIC, &wall);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);

	oc_netns_forget();
	layouts_resolve();
	/* its own budget, the running command's bounds: the names are
	 * not charged to the command that shows them */
	oc_budget_start(&oc_sess.budget, saved.max_nodes, saved.max_ms);
	if (!OC_HAVE(net_list)) {
		oc_appendf(tab.warn, sizeof(tab.warn), "struct net.list not in debuginfo");
	} else if (!(head = oc_sym_value("net_namespace_list"))) {
		oc_appendf(tab.warn, sizeof(tab.warn), "symbol net_namespace_list not found");
	} else {
		k = oc_list_walk(head, add_listed, &cap, why, sizeof(why));
		if (k < 0 && !oc_cmd_budget_spent())
			oc_appendf(tab.warn, sizeof(tab.warn), "net_namespace_list: %s", why);
		tab.listed_complete = k >= 0 && !oc_cmd_budget_spent();
	}
	for (i = 0; i < tab.n; i++)
		set_state(&tab.v[i]);
	tab.names = calloc(tab.n ? tab.n : 1, sizeof(*tab.names));
	if (tab.names && !oc_cmd_budget_spent())
		find_names();
	free(tab.names);
	tab.names = NULL;
	tab.budget = oc_sess.budget;
	oc_sess.budget = saved;
	tab.built = 1;
	tab.seq = oc_sess.command_seq;
	/* the table's share of the command that built it (stderr, as the
	 * command's own OVSCRASH_TIMING line) */
	if (getenv("OVSCRASH_TIMING"))
		fprintf(stderr, "OVSCRASH_TIMING netns-table wall_ms %.3f cpu_ms %.3f "
			"pages_read %lu page_hits %lu namespaces %d mount_namespaces %d "
			"nsfs_mounts %d\n", ms_since(CLOCK_MONOTONIC, &wall),
			ms_since(CLOCK_PROCESS_CPUTIME_ID, &cpu), oc_sess.pages.misses - misses,
			oc_sess.pages.hits - hits, tab.n, tab.mnt_namespaces, tab.nsfs_mounts);
}

/* built, and complete or built by this command (a cut table is built
 * again by the next command that asks) */
static void ensure(void)
{
	if (!tab.built || (tab.budget.spent && tab.seq != oc_sess.command_seq))
		build();
}

int oc_netns_table(const struct oc_netns **v, char *err, size_t n)
{
	ensure();
	*v = tab.v;
	if (!tab.n && tab.warn[0]) {
		snprintf(err, n, "%s", tab.warn);
		return -1;
	}
	return tab.n;
}

int oc_netns_kept(void)
{
	return tab.built ? tab.n + tab.nextra : 0;
}

const struct oc_netns *oc_netns_kept_at(int i)
{
	return i < oc_netns_kept() ? rec_at(i) : NULL;
}

const struct oc_netns *oc_netns_known(oc_addr net)
{
	return tab.built ? rec_at(oc_addrmap_get(&tab.index, net)) : NULL;
}

const struct oc_netns *oc_netns_of(oc_addr net)
{
	const struct oc_netns *ns;
	uint32_t probe;
	oc_addr ops;

	if (!net)
		return NULL;
	ensure();
	if ((ns = oc_netns_known(net)))
		return ns;
	if (!OC_HAVE(net_ns) || !OC_HAVE(ns_inum) ||
	    oc_read_u32(net + oc_off.net_ns + oc_off.ns_inum, &probe))
		return NULL;
	/* a struct net only if its ns_common says so (a damaged device's
	 * nd_net, a mistyped address): no record of anything else */
	if (lo.netns_ops && (oc_read_ulong(net + oc_off.net_ns + lo.nsc_ops, &ops) ||
			     ops != lo.netns_ops))
		return NULL;
	return add_extra(net);
}

const struct oc_budget *oc_netns_budget(const char **w)
{
	if (w)
		*w = tab.warn;
	return &tab.budget;
}

const char *oc_netns_names_text(const struct oc_netns *ns, char *buf, size_t n)
{
	const char *v[OC_NETNS_NAMES] = { NULL };
	int i;

	if (!ns)
		return oc_ns_names_text(v, 0, 0, buf, n);
	for (i = 0; i < ns->n_names && i < OC_NETNS_NAMES; i++)
		v[i] = (const char *)ns->names[i];
	return oc_ns_names_text(v, i, ns->names_total, buf, n);
}

const struct oc_netns *oc_netns_find(const char *arg, char *err, size_t n)
{
	const struct oc_netns *ns;
	char *end, esc[256];
	unsigned long v;
	int i, k, digits = strspn(arg, "0123456789");

	ensure();
	/* an inode: decimal, at most 10 digits (a u32) */
	if (arg[0] && !arg[digits] && digits <= 10) {
		v = strtoul(arg, NULL, 10);
		for (i = 0; i < tab.n + tab.nextra; i++)
			if ((ns = rec_at(i))->inum == v)
				return ns;
	}
	/* an address */
	v = strtoul(arg, &end, 16);
	if (arg[0] && !*end && oc_is_kvaddr(v)) {
		if ((ns = oc_netns_of(v)))
			return ns;
		snprintf(err, n, "netns: %lx: not a struct net (unreadable, or its ns.ops is "
			 "not netns_operations)", v);
		return NULL;
	}
	/* a name */
	for (i = 0; i < tab.n + tab.nextra; i++) {
		ns = rec_at(i);
		for (k = 0; k < ns->n_names; k++)
			if (!strcmp((const char *)ns->names[k], arg) ||
			    !strcmp(oc_ns_short_name((const char *)ns->names[k]), arg))
				return ns;
	}
	snprintf(err, n, "netns: \"%s\": no network namespace with that address, inode "
		 "or name%s", oc_path(arg, esc, sizeof(esc)),
		 tab.budget.spent ? " (the table is incomplete: its budget was spent)" : "");
	return NULL;
}
