// SPDX-License-Identifier: GPL-2.0
/*
 * tasks.c - who lives in each network namespace: one walk of crash's
 * task table into an index net -> thread group leaders (sorted by pid),
 * kept for the session, and the cgroup paths of the tasks a caller asks
 * for (read on demand: a namespace lists at most OC_NET_TASKS_LISTED).
 * No printing here.
 *
 * Layouts come from the kernel's debuginfo, resolved once and checked:
 *   task_struct.{tgid,nsproxy,cgroups}, nsproxy.net_ns;
 *   css_set.{dfl_cgrp,cgrp_links}, cgrp_cset_link.{cgrp,cgrp_link}
 *   (a css_set's cgrp_links chains its links by their cgrp_link);
 *   cgroup.{kn,root}, cgroup_root.{name,subsys_mask};
 *   kernfs_node.{name,parent} (parent renamed __parent in 6.15);
 *   cgroup_subsys.legacy_name through the cgroup_subsys[] array.
 */
#include "tasks.h"
#include "session.h"
#include "walk.h"
#include "../core/cgname.h"
#include "../core/strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CG_DEPTH	64	/* kernfs levels followed up to a root */
#define KN_NAME		256	/* bytes of one kernfs name (NAME_MAX + 1) */
#define SS_MAX		32	/* cgroup controllers named */

static struct {
	int done;
	long tk_tgid, tk_nsproxy, tk_cgroups, nsp_net;
	long cset_dfl, cset_links, link_cgrp, link_cgrp_link;
	long cg_kn, cg_root, kn_name, kn_parent;
	long root_name, root_name_size, root_mask, root_mask_size;
	long ss_name;
	oc_addr dfl_root;		/* &cgrp_dfl_root, 0 unknown */
	int n_ss;			/* controllers named in ss[] */
	char ss[SS_MAX][32];
	char cg_why[128];		/* why cgroups cannot be read, "" */
} L;

struct entry {
	oc_addr net, task;
	int pid;
	unsigned char comm[17];
};

static struct {
	int state;			/* 0 not built, 1 built, -1 cannot be */
	struct entry *v;		/* sorted by (net, pid) */
	int n;
	oc_addr *nets;			/* distinct namespaces, sorted */
	int n_nets;
	struct oc_tasks_stats st;
	char err[128];
} idx;

static void layout_resolve(void)
{
	long n;
	oc_addr arr, ss;
	int i;

	if (L.done)
		return;
	L.tk_tgid = oc_member_offset("task_struct", "tgid");
	L.tk_nsproxy = oc_member_offset("task_struct", "nsproxy");
	L.tk_cgroups = oc_member_offset("task_struct", "cgroups");
	L.nsp_net = oc_member_offset("nsproxy", "net_ns");
	L.cset_dfl = oc_member_offset("css_set", "dfl_cgrp");
	L.cset_links = oc_member_offset("css_set", "cgrp_links");
	L.link_cgrp = oc_member_offset("cgrp_cset_link", "cgrp");
	L.link_cgrp_link = oc_member_offset("cgrp_cset_link", "cgrp_link");
	L.cg_kn = oc_member_offset("cgroup", "kn");
	L.cg_root = oc_member_offset("cgroup", "root");
	L.kn_name = oc_member_offset("kernfs_node", "name");
	L.kn_parent = oc_member_offset("kernfs_node", "parent");
	if (L.kn_parent < 0)
		L.kn_parent = oc_member_offset("kernfs_node", "__parent");
	L.root_name = oc_member_offset("cgroup_root", "name");
	L.root_name_size = oc_member_size("cgroup_root", "name");
	L.root_mask = oc_member_offset("cgroup_root", "subsys_mask");
	L.root_mask_size = oc_member_size("cgroup_root", "subsys_mask");
	L.ss_name = oc_member_offset("cgroup_subsys", "legacy_name");
	L.dfl_root = oc_sym_exists("cgrp_dfl_root") ? oc_sym_value("cgrp_dfl_root") : 0;

	if (L.tk_cgroups < 0)
		snprintf(L.cg_why, sizeof(L.cg_why), "cgroups: task_struct.cgroups "
			 "not in the debuginfo (CONFIG_CGROUPS off?)");
	else if (L.cset_dfl < 0 || L.cg_kn < 0 || L.kn_name < 0 ||
		 L.kn_parent < 0)
		snprintf(L.cg_why, sizeof(L.cg_why), "cgroups: css_set.dfl_cgrp, "
			 "cgroup.kn or kernfs_node.name/parent not in the debuginfo");

	/* the v1 controllers' names: cgroup_subsys[CGROUP_SUBSYS_COUNT] */
	L.n_ss = 0;
	if (L.ss_name >= 0 && oc_sym_exists("cgroup_subsys") &&
	    !oc_enum_value("CGROUP_SUBSYS_COUNT", &n) && n > 0) {
		arr = oc_sym_value("cgroup_subsys");
		if (n > SS_MAX)
			n = SS_MAX;
		for (i = 0; i < n; i++) {
			oc_addr name;
			char *s = L.ss[i];
			long j;

			s[0] = '\0';
			if (oc_read_ulong(arr + i * sizeof(oc_addr), &ss) || !ss ||
			    oc_read_ulong(ss + L.ss_name, &name) || !name ||
			    oc_read(name, s, sizeof(L.ss[i]) - 1, "cgroup_subsys name"))
				continue;
			s[sizeof(L.ss[i]) - 1] = '\0';
			for (j = 0; s[j]; j++)	/* printable names only */
				if (s[j] < 0x21 || s[j] > 0x7e)
					s[0] = '\0';
		}
		L.n_ss = (int)n;
	}
	L.done = 1;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->net != y->net)
		return x->net < y->net ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

void oc_tasks_free(void)
{
	free(idx.v);
	free(idx.nets);
	memset(&idx, 0, sizeof(idx));
	memset(&L, 0, sizeof(L));
}

/* a leader the index leaves out: counted, the first one named */
static void unreadable(struct oc_tasks_stats *st, const struct oc_task_ref *t,
		       const char *fmt, oc_addr v)
{
	char why[96];

	if (!st->unreadable++) {
		snprintf(why, sizeof(why), fmt, v);
		snprintf(st->warn, sizeof(st->warn), "task %#lx pid %ld: %s",
			 t->task, t->pid, why);
	}
}

/*
 * The index: for every thread group leader of crash's task table (pid
 * 0, each CPU's idle task, skipped), its nsproxy->net_ns.  A task with
 * no nsproxy (exiting, a zombie) is counted and skipped.  Each task is
 * charged to the running command's budget; when it is spent the index
 * is dropped (not kept half-built) and the next command tries again.
 */
static int index_build(void)
{
	struct oc_tasks_stats *st = &idx.st;
	struct oc_budget *b = oc_cmd_budget();
	oc_addr last_nsp = 0, last_net = 0;
	int i, count, cap = 0, k;

	if (idx.state)
		return idx.state > 0 ? 0 : -1;
	layout_resolve();
	if (L.tk_nsproxy < 0 || L.nsp_net < 0 || L.tk_tgid < 0) {
		snprintf(idx.err, sizeof(idx.err), "tasks: task_struct.nsproxy/"
			 "tgid or nsproxy.net_ns not in the debuginfo");
		idx.state = -1;
		return -1;
	}
	/* a walk that crash cut short (Ctrl-C longjmps out of the
	 * command) left what it had gathered: start afresh */
	free(idx.v);
	free(idx.nets);
	idx.v = NULL;
	idx.nets = NULL;
	idx.n = idx.n_nets = 0;
	count = oc_task_count();
	if (count <= 0) {
		snprintf(idx.err, sizeof(idx.err), "tasks: crash's task table "
			 "is empty");
		idx.state = -1;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	for (i = 0; i < count; i++) {
		struct oc_task_ref t;
		struct entry *e;
		uint32_t tgid;
		oc_addr nsp, net;

		if (oc_budget_charge(b, 1)) {
			oc_budget_stopped_at(b, "crash's task table (task %d of %d)",
					     i, count);
			snprintf(idx.err, sizeof(idx.err), "tasks: walk stopped "
				 "at task %d of %d: %s", i, count, b->reason);
			goto fail;
		}
		if (oc_task_get(i, &t))
			continue;
		st->tasks++;
		if (t.pid <= 0)
			continue;		/* idle tasks */
		if (oc_read_u32(t.task + L.tk_tgid, &tgid)) {
			unreadable(st, &t, "task_struct.tgid unreadable", 0);
			continue;
		}
		if ((long)(int32_t)tgid != t.pid)
			continue;		/* a thread: its leader counts */
		st->leaders++;
		if (oc_read_ulong(t.task + L.tk_nsproxy, &nsp)) {
			unreadable(st, &t, "task_struct.nsproxy unreadable", 0);
			continue;
		}
		if (!nsp) {
			st->no_nsproxy++;
			continue;
		}
		if (nsp != last_nsp) {
			if (oc_read_ulong(nsp + L.nsp_net, &net)) {
				unreadable(st, &t, "nsproxy %#lx unreadable", nsp);
				continue;
			}
			if (!oc_is_kvaddr(net)) {
				unreadable(st, &t, "nsproxy.net_ns %#lx not a kernel "
					   "address", net);
				continue;
			}
			last_nsp = nsp;
			last_net = net;
		}
		if (idx.n == cap) {
			void *p;

			cap = cap ? 2 * cap : 1024;
			if (!(p = realloc(idx.v, cap * sizeof(*idx.v)))) {
				snprintf(idx.err, sizeof(idx.err), "tasks: out of memory");
				goto fail;
			}
			idx.v = p;
		}
		e = &idx.v[idx.n++];
		e->net = last_net;
		e->task = t.task;
		e->pid = (int)t.pid;
		memcpy(e->comm, t.comm, sizeof(e->comm));
	}
	if (idx.n)
		qsort(idx.v, idx.n, sizeof(*idx.v), entry_cmp);
	for (i = 0, k = 0; i < idx.n; i++)
		if (!i || idx.v[i].net != idx.v[i - 1].net)
			k++;
	if (k && !(idx.nets = malloc(k * sizeof(*idx.nets)))) {
		snprintf(idx.err, sizeof(idx.err), "tasks: out of memory");
		goto fail;
	}
	for (i = 0, k = 0; i < idx.n; i++)
		if (!i || idx.v[i].net != idx.v[i - 1].net)
			idx.nets[k++] = idx.v[i].net;
	idx.n_nets = st->namespaces = k;
	st->indexed = idx.n;
	idx.state = 1;
	return 0;
fail:
	free(idx.v);
	idx.v = NULL;
	idx.n = 0;
	return -1;
}

int oc_tasks_stats(struct oc_tasks_stats *s, char *err, size_t n)
{
	memset(s, 0, sizeof(*s));
	if (index_build()) {
		snprintf(err, n, "%s", idx.err);
		return -1;
	}
	*s = idx.st;
	return 0;
}

int oc_tasks_nets(const oc_addr **v, char *err, size_t n)
{
	*v = NULL;
	if (index_build()) {
		snprintf(err, n, "%s", idx.err);
		return -1;
	}
	*v = idx.nets;
	return idx.n_nets;
}

/* a C string of the dump at @addr into @buf (at most n - 1 bytes, read
 * page by page); 0, 1 when it had no NUL within them (cut), -1 unread */
static int read_cstr(oc_addr addr, char *buf, size_t n)
{
	size_t got = 0, chunk;

	buf[0] = '\0';
	while (got < n - 1) {
		chunk = 4096 - ((addr + got) & 4095);
		if (chunk > n - 1 - got)
			chunk = n - 1 - got;
		if (oc_read(addr + got, buf + got, chunk, "kernfs name"))
			return -1;
		if (memchr(buf + got, '\0', chunk))
			return 0;
		got += chunk;
		buf[got] = '\0';
	}
	return 1;
}

/*
 * The path of the cgroup at @cg in its hierarchy: the kernfs names from
 * cgroup.kn up the parent chain to the root (whose parent is NULL; its
 * name is not part of the path).  0, or -1 with @why.
 */
static int cgroup_path(oc_addr cg, unsigned char *out, size_t n, char *why,
		       size_t wn)
{
	static char names[CG_DEPTH][KN_NAME];
	const char *chain[CG_DEPTH];
	oc_addr kn, seen[CG_DEPTH], parent, name;
	int depth = 0, i, rc;

	out[0] = '\0';
	if (oc_read_ulong(cg + L.cg_kn, &kn) || !oc_is_kvaddr(kn)) {
		snprintf(why, wn, "cgroup 0x%lx: cgroup.kn unreadable", cg);
		return -1;
	}
	for (;;) {
		if (oc_budget_charge(oc_cmd_budget(), 1)) {
			snprintf(why, wn, "cgroup 0x%lx: budget spent", cg);
			return -1;
		}
		if (oc_read_ulong(kn + L.kn_parent, &parent)) {
			snprintf(why, wn, "kernfs_node 0x%lx: parent unreadable", kn);
			return -1;
		}
		if (!parent)
			break;			/* the hierarchy's root */
		if (depth == CG_DEPTH) {
			snprintf(why, wn, "cgroup 0x%lx: more than %d levels",
				 cg, CG_DEPTH);
			return -1;
		}
		for (i = 0; i < depth; i++)
			if (seen[i] == kn) {
				snprintf(why, wn, "kernfs_node 0x%lx: parent "
					 "chain loops", kn);
				return -1;
			}
		seen[depth] = kn;
		if (oc_read_ulong(kn + L.kn_name, &name) || !name ||
		    (rc = read_cstr(name, names[depth], KN_NAME)) < 0) {
			snprintf(why, wn, "kernfs_node 0x%lx: name unreadable", kn);
			return -1;
		}
		if (rc)
			snprintf(why, wn, "kernfs_node 0x%lx: name longer than "
				 "%d bytes, cut", kn, KN_NAME - 1);
		chain[depth] = names[depth];
		depth++;
		kn = parent;
	}
	if (oc_cg_path(chain, depth, (char *)out, n))
		snprintf(why, wn, "cgroup 0x%lx: path longer than %zu bytes, cut",
			 cg, n - 1);
	return 0;
}

struct v1_ctx {
	struct oc_net_task *t;
	char *why;
	size_t wn;
};

/* one cgrp_cset_link of a css_set: its cgroup, if of a v1 hierarchy */
static int v1_link(oc_addr node, void *arg)
{
	struct v1_ctx *c = arg;
	struct oc_task_cgroup *g;
	oc_addr link = node - L.link_cgrp_link, cg, root;
	char name[64] = "", w[160], label[64];
	unsigned char path[OC_CG_PATH];
	long mask = 0;
	int rc, slot;

	if (oc_read_ulong(link + L.link_cgrp, &cg) || !oc_is_kvaddr(cg) ||
	    oc_read_ulong(cg + L.cg_root, &root) || !oc_is_kvaddr(root)) {
		oc_appendf(c->why, c->wn, "cgrp_cset_link 0x%lx unreadable", link);
		return 0;
	}
	if (root == L.dfl_root)
		return 0;			/* v2: dfl_cgrp gave it */
	if (L.root_name >= 0 && L.root_name_size > 0) {
		size_t sz = L.root_name_size < (long)sizeof(name) ?
			    (size_t)L.root_name_size : sizeof(name);

		if (oc_read(root + L.root_name, name, sz, "cgroup_root.name"))
			name[0] = '\0';
		name[sizeof(name) - 1] = '\0';
	}
	if (L.root_mask >= 0 &&
	    oc_read_int_sized(root + L.root_mask, L.root_mask_size, &mask))
		mask = 0;
	{
		const char *ss[SS_MAX], *kept[OC_TASK_CGROUPS];
		char esc[64];
		int i;

		for (i = 0; i < L.n_ss; i++)
			ss[i] = L.ss[i];
		/* the hierarchy's name is untrusted bytes: escaped here, as
		 * hierarchy[] is plain text (a label, not a path) */
		oc_escape_text((unsigned char *)name, strlen(name), esc, sizeof(esc));
		oc_cg_label((unsigned long)mask, ss, L.n_ss, esc, label,
			    sizeof(label));
		for (i = 0; i < c->t->n_cgroups; i++)
			kept[i] = c->t->cgroups[i].hierarchy;
		slot = oc_cg_slot(kept, c->t->n_cgroups, OC_TASK_CGROUPS, label);
	}
	if (slot < 0)
		return 0;			/* not kept: a later one may be */
	w[0] = '\0';
	rc = cgroup_path(cg, path, sizeof(path), w, sizeof(w));
	if (w[0])
		oc_appendf(c->why, c->wn, "pid %d: %s", c->t->pid, w);
	if (rc)
		return 0;
	g = &c->t->cgroups[slot];
	snprintf(g->hierarchy, sizeof(g->hierarchy), "%s", label);
	memcpy(g->path, path, sizeof(g->path));
	if (slot == c->t->n_cgroups)
		c->t->n_cgroups++;
	return 0;
}

/* the cgroups of one task: v2's first, then each v1 hierarchy's */
static void task_cgroups(struct oc_net_task *t, char *why, size_t wn)
{
	struct v1_ctx c = { t, why, wn };
	oc_addr cset, dfl;
	char w[160];

	t->n_cgroups = 0;
	if (L.cg_why[0]) {
		oc_appendf(why, wn, "%s", L.cg_why);
		return;
	}
	if (oc_read_ulong(t->task + L.tk_cgroups, &cset) || !oc_is_kvaddr(cset)) {
		oc_appendf(why, wn, "pid %d: task_struct.cgroups unreadable", t->pid);
		return;
	}
	if (!oc_read_ulong(cset + L.cset_dfl, &dfl) && oc_is_kvaddr(dfl)) {
		struct oc_task_cgroup *g = &t->cgroups[0];

		g->hierarchy[0] = '\0';
		w[0] = '\0';
		if (!cgroup_path(dfl, g->path, sizeof(g->path), w, sizeof(w)))
			t->n_cgroups = 1;
		if (w[0])
			oc_appendf(why, wn, "pid %d: %s", t->pid, w);
	} else {
		oc_appendf(why, wn, "pid %d: css_set.dfl_cgrp unreadable", t->pid);
	}
	if (L.cset_links < 0 || L.link_cgrp < 0 || L.link_cgrp_link < 0 ||
	    L.cg_root < 0)
		return;				/* no v1 links in this kernel */
	w[0] = '\0';
	if (oc_list_walk(cset + L.cset_links, v1_link, &c, w, sizeof(w)) < 0 && w[0])
		oc_appendf(why, wn, "pid %d: v1 links: %s", t->pid, w);
}

int oc_tasks_of_net(oc_addr net, struct oc_net_tasks *out)
{
	int lo, hi, mid, i;

	memset(out, 0, sizeof(*out));
	out->net = net;
	if (index_build()) {
		snprintf(out->err, sizeof(out->err), "%s", idx.err);
		return -1;
	}
	/* the first entry of @net */
	lo = 0;
	hi = idx.n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (idx.v[mid].net < net)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < idx.n && idx.v[i].net == net; i++) {
		struct oc_net_task *t;

		if (out->n < OC_NET_TASKS_LISTED) {
			t = &out->t[out->n++];
			t->task = idx.v[i].task;
			t->pid = idx.v[i].pid;
			memcpy(t->comm, idx.v[i].comm, sizeof(t->comm));
			task_cgroups(t, out->err, sizeof(out->err));
		}
		out->total++;
	}
	return 0;
}

int oc_task_tenant(const struct oc_net_task *t, char *out, size_t n)
{
	int pass, k;

	if (n)
		out[0] = '\0';
	/* v2 first: the unified hierarchy is where a current runtime puts it */
	for (pass = 0; pass < 2; pass++)
		for (k = 0; k < t->n_cgroups && k < OC_TASK_CGROUPS; k++) {
			int v2 = !t->cgroups[k].hierarchy[0];

			if (v2 != (pass == 0))
				continue;
			if (oc_cg_tenant((const char *)t->cgroups[k].path, out, n))
				return 1;
		}
	return 0;
}
