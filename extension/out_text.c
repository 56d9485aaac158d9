// SPDX-License-Identifier: GPL-2.0
/*
 * out_text.c - crash-style text output of every command.  Nothing here
 * reads dump memory: names come through oc_name(), enumerator names
 * through netdev.c's decoders (resolved once per session), the verdict
 * through core/verdict_out.
 */
#include "defs.h"
#include "out_text.h"
#include "escape.h"
#include "guard.h"
#include "veth.h"
#include "../core/strutil.h"
#include "../core/verdict_out.h"

#include <string.h>

#ifndef OVSCRASH_VERSION
#define OVSCRASH_VERSION "0.1.0"	/* the Makefile passes the real one */
#endif

/* The one line a command prints when its budget stopped it */
static void truncated_line(const struct oc_budget *b)
{
	char line[320];

	if (b && b->spent)
		fprintf(fp, "TRUNCATED: %s\n", oc_budget_describe(b, line, sizeof(line)));
}

/* ---- ovscrash ---- */

void oc_text_ovscrash(const struct oc_modsyms *ms)
{
	char path[1024];

	fprintf(fp, "     OVSCRASH: %s\n", OVSCRASH_VERSION);
	fprintf(fp, "        CRASH: %s\n", oc_crash_version());
	fprintf(fp, "    BUILT FOR: crash %s\n", oc_guard_built_for());
	fprintf(fp, "         ARCH: %s\n", oc_machine());
	fprintf(fp, "      RELEASE: %s\n", oc_kernel_release());
	/* file names are the user's: escaped like every other path */
	fprintf(fp, "      VMLINUX: %s\n", oc_path(oc_namelist(), path, sizeof(path)));
	fprintf(fp, "     DUMPFILE: %s\n", oc_path(oc_dumpfile(), path, sizeof(path)));
	fprintf(fp, "  OPENVSWITCH: %s\n", ms->loaded_in_dump ? "loaded in dump" : "not loaded");
	if (ms->build_id[0])
		fprintf(fp, "     BUILD-ID: %s\n", ms->build_id);
	fprintf(fp, "    DEBUGINFO: %s%s%s%s\n",
		ms->path[0] ? oc_path(ms->path, path, sizeof(path)) : ms->err,
		ms->how[0] ? " (" : "", ms->how, ms->how[0] ? ")" : "");
}

static const char *ns_names(oc_addr net, char *buf, size_t n);

/* ---- netdev ---- */

/* the PEER column's width: its widest entry, at most 48 */
#define PEER_TEXT	352
static int peer_width(const struct oc_netdev_list *l)
{
	char peer[PEER_TEXT];
	int i, w = 4, len;

	for (i = 0; i < l->n; i++) {
		len = strlen(oc_veth_peer_text(&l->v[i].peer, peer, sizeof(peer)));
		if (len > w)
			w = len;
	}
	return w > 48 ? 48 : w;
}

/* the NETNS_NAMES column's width: its widest entry, at least the
 * header's, at most NSN_MAX (longer names are cut whole, "+N" said) */
#define NSN_MAX	48
static int nsn_width(const struct oc_netdev_list *l)
{
	char nsn[NSN_MAX + 1];
	int i, w = 11, len;

	for (i = 0; i < l->n && w < NSN_MAX; i++) {
		len = strlen(ns_names(l->v[i].net, nsn, sizeof(nsn)));
		if (len > w)
			w = len;
	}
	return w;
}

static void netdev_header(int nw, int pw)
{
	fprintf(fp, "%-16s %-16s %7s %10s %-*s %-20s %-24s %9s %9s %-24s %-20s %-16s %4s %-*s %s\n",
		"NET_DEVICE", "NAME", "IFINDEX", "NETNS", nw, "NETNS_NAMES", "REG_STATE", "STATE",
		"TXQ", "RXQ", "OPS", "RX_HANDLER", "MASTER", "REFS", pw, "PEER", "NOTE");
}

static void netdev_line(const struct oc_netdev *nd, int nw, int pw)
{
	char name[80], st[128], txq[32], rxq[32], master[24], refs[16], note[400], bad[96];
	char peer[PEER_TEXT], pnote[240], nsn[NSN_MAX + 1];
	const char *rs = oc_nd_reg_state_name(nd->reg_state);

	snprintf(txq, sizeof(txq), "%ld/%ld", nd->real_num_tx, nd->num_tx);
	snprintf(rxq, sizeof(rxq), "%ld/%ld", nd->real_num_rx, nd->num_rx);
	if (nd->master)
		snprintf(master, sizeof(master), "%lx", nd->master);
	else
		snprintf(master, sizeof(master), "-");
	if (nd->refcnt >= 0)
		snprintf(refs, sizeof(refs), "%ld", nd->refcnt);
	else
		snprintf(refs, sizeof(refs), "?");
	if (oc_netdev_check(nd, bad, sizeof(bad)))
		snprintf(note, sizeof(note), "IMPLAUSIBLE: %s", bad);
	else if (oc_netdev_anomalous(nd, bad, sizeof(bad)))
		snprintf(note, sizeof(note), "ANOMALY: %s", bad);
	else
		note[0] = '\0';
	if (oc_veth_peer_note(&nd->peer, pnote, sizeof(pnote))[0])
		oc_appendf(note, sizeof(note), "PEER: %s", pnote);
	fprintf(fp, "%-16lx %-16s %7d %10u %-*s %-20s %-24s %9s %9s %-24s %-20s %-16s %4s %-*s %s%s\n",
		nd->addr, oc_name(nd->name, name, sizeof(name)), nd->ifindex, nd->netns_inum,
		nw, ns_names(nd->net, nsn, (size_t)nw + 1 < sizeof(nsn) ? (size_t)nw + 1 : sizeof(nsn)), rs ? rs : "?", oc_state_names(nd->state, st, sizeof(st)), txq, rxq,
		nd->ops_sym[0] ? nd->ops_sym : "-",
		nd->rx_handler_sym[0] ? nd->rx_handler_sym : "-", master, refs,
		pw, oc_veth_peer_text(&nd->peer, peer, sizeof(peer)),
		nd->listed ? "" : "UNLISTED ", note);
}

void oc_text_netdev(const struct oc_netdev_query *q, const struct oc_budget *b)
{
	int i, nw, pw;

	if (q->walk_failed)
		error(INFO, "netdev: %s\n", q->l.warn);
	nw = nsn_width(&q->l);
	pw = peer_width(&q->l);
	netdev_header(nw, pw);
	for (i = 0; i < q->l.n; i++)
		netdev_line(&q->l.v[i], nw, pw);
	if (q->l.warn[0])
		fprintf(fp, "WARNING: %s\n", q->l.warn);
	if (q->ovs_status[0])
		fprintf(fp, "NOTE: OVS vports not searched: %s\n", q->ovs_status);
	if (q->peer_status[0])
		fprintf(fp, "NOTE: %s\n", q->peer_status);
	if (!q->l.n)
		fprintf(fp, "(no matching devices)\n");
	truncated_line(b);
}

/* ---- vport ---- */

static void vport_line(const struct oc_ovs *o, const struct oc_vport *v)
{
	const char *rs = v->dev_ok ? oc_nd_reg_state_name(v->nd.reg_state) : NULL;
	char name[80], dname[80], txq[32];

	if (v->dev_ok)
		snprintf(txq, sizeof(txq), "%ld/%ld", v->nd.real_num_tx, v->nd.num_tx);
	else
		snprintf(txq, sizeof(txq), "?");
	fprintf(fp, "%-16lx %-10s %4d %-9s %-16lx %-16s %-20s %9s %-4s %s\n", v->addr,
		oc_name(o->dps[v->dp_index].name, dname, sizeof(dname)), v->port_no,
		v->type_name, v->nd.addr, v->dev_ok ? oc_name(v->nd.name, name, sizeof(name)) : "?",
		rs ? rs : "?", txq, v->rx_hook_attached ? "yes" : "no",
		v->race_window ? "RACE" : "-");
	if (v->race_window)
		fprintf(fp, "%18s%s\n", "", v->race_why);
}

void oc_text_vport(const struct oc_ovs *o, const struct oc_budget *b)
{
	char name[80], nsn[128];
	int i;

	if (!o->available) {
		fprintf(fp, "vport: %s\n", o->status);
		return;
	}
	fprintf(fp, "%-16s %-16s %10s %5s %s\n", "DATAPATH", "NAME", "NETNS", "PORTS",
		"NETNS_NAMES");
	for (i = 0; i < o->ndps; i++)
		fprintf(fp, "%-16lx %-16s %10u %5d %s\n", o->dps[i].addr,
			oc_name(o->dps[i].name, name, sizeof(name)), o->dps[i].netns_inum,
			o->dps[i].nports, ns_names(o->dps[i].net, nsn, sizeof(nsn)));
	fprintf(fp, "\n%-16s %-10s %4s %-9s %-16s %-16s %-20s %9s %-4s %s\n", "VPORT", "DATAPATH",
		"PORT", "TYPE", "NET_DEVICE", "NAME", "REG_STATE", "TXQ", "HOOK", "RACE");
	for (i = 0; i < o->nvports; i++)
		vport_line(o, &o->vports[i]);
	if (o->warn[0])
		fprintf(fp, "WARNING: %s\n", o->warn);
	truncated_line(b);
}

/* ---- netns ---- */

/* a namespace's names for a column, of the record the walk met */
static const char *ns_names(oc_addr net, char *buf, size_t n)
{
	const struct oc_netns *ns = oc_netns_known(net);

	return ns ? oc_netns_names_text(ns, buf, n) : "?";
}

/* each task: "PID COMM", then one line per cgroup hierarchy ("cgroup2"
 * for v2, else the v1 hierarchy's controllers or name=) */
static void netns_tasks(const struct oc_netns_row *r)
{
	const struct oc_net_tasks *t = &r->tasks;
	char comm[80], path[OC_CG_PATH * 4 + 1];
	int i, k;

	for (i = 0; i < t->n; i++) {
		char who[160];

		oc_escape_text(t->t[i].comm, strnlen((const char *)t->t[i].comm, 16), comm,
			       sizeof(comm));
		if (oc_task_tenant(&t->t[i], who, sizeof(who)))
			fprintf(fp, "  TASK %d %s  (%s)\n", t->t[i].pid, comm, who);
		else
			fprintf(fp, "  TASK %d %s\n", t->t[i].pid, comm);
		for (k = 0; k < t->t[i].n_cgroups && k < OC_TASK_CGROUPS; k++) {
			const struct oc_task_cgroup *c = &t->t[i].cgroups[k];

			/* the hierarchy's name comes escaped (tasks.h) */
			fprintf(fp, "    %s %s\n", c->hierarchy[0] ? c->hierarchy : "cgroup2",
				oc_path((const char *)c->path, path, sizeof(path)));
		}
	}
	if (t->total > t->n)
		fprintf(fp, "  ... and %d more tasks\n", t->total - t->n);
	if (r->tasks_read && t->err[0])
		fprintf(fp, "  WARNING: %s\n", t->err);
}

void oc_text_netns(const struct oc_netns_query *q)
{
	char names[256], count[24], devs[16], tasks[16];
	const struct oc_netns *ns;
	int i;

	if (q->err[0]) {
		fprintf(fp, "%s\n", q->err);
		return;
	}
	fprintf(fp, "%-16s %10s %-8s %5s %5s %5s %s\n", "NET", "INODE", "STATE", "COUNT",
		"DEVS", "TASKS", "NAMES");
	for (i = 0; i < q->n; i++) {
		ns = q->rows[i].ns;
		snprintf(count, sizeof(count), ns->count >= 0 ? "%ld" : "?", ns->count);
		snprintf(devs, sizeof(devs), ns->n_devices >= 0 ? "%d" : "?", ns->n_devices);
		snprintf(tasks, sizeof(tasks), q->rows[i].tasks_read ? "%d" : "?",
			 q->rows[i].tasks.total);
		fprintf(fp, "%-16lx %10u %-8s %5s %5s %5s %s\n", ns->net, ns->inum,
			ns->dying ? "dying" : ns->listed ? "listed" : "unknown", count, devs,
			tasks, oc_netns_names_text(ns, names, sizeof(names)));
	}
	for (i = 0; i < q->n; i++) {
		const struct oc_netns_row *r = &q->rows[i];
		char path[OC_NETNS_PATH * 4 + 1];
		int k;

		ns = r->ns;
		fprintf(fp, "\nNET %lx  INODE %u  %s\n", ns->net, ns->inum, ns->state);
		for (k = 0; k < ns->n_names; k++)
			fprintf(fp, "  NAME %s\n", oc_path((const char *)ns->names[k], path,
							   sizeof(path)));
		if (ns->names_total > ns->n_names)
			fprintf(fp, "  ... and %d more names\n", ns->names_total - ns->n_names);
		netns_tasks(r);
		if (r->holder[0])
			fprintf(fp, "  %s\n", r->holder);
		if (ns->err[0])
			fprintf(fp, "  WARNING: %s\n", ns->err);
	}
	if (q->warn[0])
		fprintf(fp, "WARNING: %s\n", q->warn);
	truncated_line(q->budget);
}

/* ---- ovsmod ---- */

void oc_text_ovsmod(const struct oc_modsyms *ms, int rc)
{
	char path[1024], mod[256];

	if (rc) {
		fprintf(fp, "ovsmod: %s\n", ms->err);
		if (ms->report)
			fprintf(fp, "%s", ms->report);
		return;
	}
	fprintf(fp, "%s: %s (%s)\n", oc_path(ms->module, mod, sizeof(mod)),
		oc_path(ms->path, path, sizeof(path)), ms->how);
	if (ms->build_id[0])
		fprintf(fp, "BUILD-ID: %s\n", ms->build_id);
	if (ms->replaced[0])
		fprintf(fp, "REPLACED: %s\n", ms->replaced);
}

/* ---- picktx ---- */

static void spin_text(const struct oc_picktx *p, const struct oc_spin *s)
{
	char name[80];

	fprintf(fp, "CPU %d%s: %s", s->cpu, s->panic_cpu ? " (panic cpu)" : "", s->source);
	if (s->frame_addr)
		fprintf(fp, " at %lx", (ulong)s->frame_addr);
	fprintf(fp, "\n  PC: %s+0x%lx", s->rd.pc_sym, s->pc_off);
	if (p->gdb_off_delta)
		fprintf(fp, " (as in the oops and crash; gdb/DWARF: +0x%lx)", s->pc_off - p->gdb_off_delta);
	if (s->pc)
		fprintf(fp, "  (%lx)", (ulong)s->pc);
	fprintf(fp, "\n");
	if (!s->loop.found) {
		fprintf(fp, "  LOOP: not decoded: %s\n", s->loop.why);
		return;
	}
	fprintf(fp, "  LOOP: %s+0x%lx..+0x%lx  sub at +0x%lx, cmp at +0x%lx", p->func,
		s->loop.loop_start_off, s->loop.loop_end_off, s->loop.sub_off, s->loop.cmp_off);
	if (s->src_file[0])
		fprintf(fp, "  (%s: %d)", s->src_file, s->loop.src_line);
	fprintf(fp, "\n  HASH: %-4s = %s%lx\n", s->loop.hash_reg, s->hash_valid ? "" : "?",
		(ulong)s->hash);
	fprintf(fp, "  QCOUNT: %-4s = %s%lx\n", s->loop.qcount_reg, s->qcount_valid ? "" : "?",
		(ulong)s->qcount);
	if (s->loop.qoffset_reg[0])
		fprintf(fp, "  QOFFSET: %-4s = %s%lx\n", s->loop.qoffset_reg,
			s->qoffset_valid ? "" : "?", (ulong)s->qoffset);
	if (s->dev_ok) {
		const char *rs = oc_nd_reg_state_name(s->nd.reg_state);

		fprintf(fp, "  DEV: %-4s = %lx  \"%s\"  real_num_tx_queues %ld  reg_state %s\n",
			s->dev_reg, s->nd.addr, oc_name(s->nd.name, name, sizeof(name)),
			s->nd.real_num_tx, rs ? rs : "?");
		if (s->qcount_matches_dev >= 0)
			fprintf(fp, "  CHECK: qcount %s dev->real_num_tx_queues\n",
				s->qcount_matches_dev ? "equals" : "DIFFERS FROM");
	} else {
		fprintf(fp, "  DEV: %s\n", s->note);
	}
}

void oc_text_picktx(const struct oc_picktx *p)
{
	int i;

	if (!p->nspins) {
		fprintf(fp, "picktx: %s\n", p->status);
		return;
	}
	for (i = 0; i < p->nspins; i++) {
		if (i)
			fprintf(fp, "\n");
		spin_text(p, &p->spins[i]);
	}
}

/* ---- triage ---- */

static const char *fix_state(int present)
{
	return present < 0 ? "unknown" : present ? "present" : "ABSENT";
}

void oc_text_triage(const struct oc_triage *t, const struct oc_budget *b)
{
	if (b && b->spent)
		fprintf(fp, "PARTIAL: the verdict rests on the evidence gathered "
			"before the budget stopped the command\n");
	oc_verdict_text(fp, &t->f, &t->v);
	fprintf(fp, "\nFIXES IN THIS KERNEL: carrier check (066b86787fa3) %s, running check (47e55e4b410f) %s\n",
		fix_state(t->fix.carrier), fix_state(t->fix.running));
	fprintf(fp, "  (%s)\n", t->fix.how);
	if (t->ovs.status[0])
		fprintf(fp, "NOTE: %s\n", t->ovs.status);
	truncated_line(b);
}
