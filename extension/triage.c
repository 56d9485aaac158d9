// SPDX-License-Identifier: GPL-2.0
/*
 * triage.c - run picktx, the OVS walk and the fix check, turn what they
 * found into oc_findings and let core/verdict decide.  All of it runs on
 * the command's one budget (session.h): the walks stop when it is spent,
 * the steps that are not walks are skipped once its time is up, and the
 * verdict is then decided on what was gathered, marked partial.
 */
#include "triage.h"
#include "modsyms.h"
#include "escape.h"
#include "netns.h"
#include "session.h"
#include "netns.h"
#include "tasks.h"
#include "veth.h"
#include "../core/dwcheck.h"
#include "../core/exframe.h"
#include "../core/panicsig.h"
#include "../core/strutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is the command's time up?  Then the step @at names is skipped, and,
 * as the first place work stopped, named in the budget. */
static int out_of_time(const char *at)
{
	if (!oc_cmd_out_of_time())
		return 0;
	oc_budget_stopped_at(oc_cmd_budget(), "%s", at);
	return 1;
}

/* The log's panic reports: what the dump is (every dump gets one). */
static void triage_log(struct oc_panic_list *l)
{
	const char *log = oc_log_text();

	if (log)
		oc_panic_parse(log, strlen(log), l);
}

/* the report whose registers put a CPU (preferably @cpu) in netdev_pick_tx */
static const struct oc_panic_report *log_report(const struct oc_panic_list *l, int cpu)
{
	const struct oc_panic_report *any = NULL;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct oc_panic_report *r = &l->v[i];

		if (!r->have_where || strcmp(r->where.sym, "netdev_pick_tx"))
			continue;
		if (cpu < 0 || r->cpu == cpu)
			return r;
		any = any ? any : r;
	}
	return any;
}

/* How the spinning CPU got to netdev_pick_tx: its own stack first (crash
 * bt), else the call trace of the log's report of that spin. */
static void triage_path(struct oc_findings *f, const struct oc_spin *s,
			const struct oc_panic_list *l)
{
	const struct oc_panic_report *r;
	struct oc_frame *frames;
	char cmd[32], src[48], *out = NULL;
	int n = 0, i;

	frames = calloc(OC_PS_MAX_FRAMES * 2, sizeof(*frames));
	if (frames && s->cpu >= 0 &&
	    !out_of_time("the start of the spinning CPU's stack (bt -c)")) {
		snprintf(cmd, sizeof(cmd), "bt -c %d", s->cpu);
		if (!oc_run(cmd, &out) && out)
			n = oc_bt_frames(out, strlen(out), frames, OC_PS_MAX_FRAMES * 2);
		free(out);
		for (i = 0; i < n && strcmp(frames[i].sym, "netdev_pick_tx"); i++)
			;
		if (i < n) {
			snprintf(src, sizeof(src), "stack of CPU %d", s->cpu);
			oc_findings_path(f, frames, n, src, cmd);
			free(frames);
			return;
		}
	}
	free(frames);
	r = log_report(l, s->cpu);
	if (r && r->nframes > 0)
		oc_findings_path(f, r->frames, r->nframes, "log call trace", "log");
}

/* the task whose cgroup names the tenant: v2's path, else the first v1 */
static void task_cgroup(const struct oc_net_task *k, char *buf, size_t n)
{
	char p[OC_CG_PATH * 4 + 1], h[256];
	int i;

	buf[0] = '\0';
	for (i = 0; i < k->n_cgroups && i < OC_TASK_CGROUPS; i++)
		if (!k->cgroups[i].hierarchy[0] && k->cgroups[i].path[0]) {
			snprintf(buf, n, "%s", oc_path((const char *)k->cgroups[i].path, p, sizeof(p)));
			return;
		}
	for (i = 0; i < k->n_cgroups && i < OC_TASK_CGROUPS; i++)
		if (k->cgroups[i].path[0]) {
			snprintf(buf, n, "%s:%s", oc_path(k->cgroups[i].hierarchy, h, sizeof(h)),
				 oc_path((const char *)k->cgroups[i].path, p, sizeof(p)));
			return;
		}
}

static void tenant_ev(struct oc_findings *f, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void tenant_ev(struct oc_findings *f, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	if (f->ntenant_ev >= OC_TENANT_EV)
		return;
	va_start(ap, fmt);
	vsnprintf(f->tenant_ev[f->ntenant_ev].text, sizeof(f->tenant_ev[0].text), fmt, ap);
	va_end(ap);
	oc_strlcpy(f->tenant_ev[f->ntenant_ev].cmd, cmd, sizeof(f->tenant_ev[0].cmd));
	f->ntenant_ev++;
}

/*
 * Whose the victim is: its veth peer (veth.c; when veth_dellink() cleared
 * it, the device pointing back, from a walk of every device), the peer's
 * namespace (netns.h: names, dying) and the tasks and cgroups living
 * there (tasks.h).  Fills t->tenant, and the tenant line and its
 * evidence into the findings.
 */
static void triage_tenant(struct oc_triage *t, const struct oc_netdev *victim)
{
	struct oc_tenant *tn = &t->tenant;
	struct oc_findings *f = &t->f;
	struct oc_netdev *v, *rec;
	struct oc_netdev_list l = { 0 };
	const struct oc_netns *ns = NULL;
	char name[80], pname[80], cmd[OC_CMD_MAX], who[640], cg[OC_CG_PATH * 4 + 160];
	char note[240], ino[16];

	if (!(v = malloc(sizeof(*v))))
		return;
	*v = *victim;
	tn->have = 1;
	tn->victim = v->addr;
	memcpy(tn->victim_name, v->name, sizeof(tn->victim_name) - 1);
	oc_name(v->name, name, sizeof(name));
	if (oc_veth_peer_of(v, NULL, tn->peer_status, sizeof(tn->peer_status))) {
		tn->peer = v->peer;
		snprintf(f->tenant, sizeof(f->tenant), "victim %s <-> ? (%.300s)", name,
			 tn->peer_status);
		free(v);
		return;
	}
	/* cleared, and not found on the victim's unregister batch: the other
	 * end is the device whose peer is the victim, among all walked */
	if (v->peer.state == OC_PEER_CLEARED && !v->peer.via_unreg_list &&
	    !out_of_time("the walk for the victim's veth peer")) {
		oc_netdev_walk(&l);
		if (!oc_netdev_list_add(&l, v) && (rec = oc_netdev_list_find(&l, v->addr))) {
			*rec = *v;
			oc_veth_peer_of(rec, &l, tn->peer_status, sizeof(tn->peer_status));
			v->peer = rec->peer;
		}
		oc_netdev_list_free(&l);
	}
	tn->peer = v->peer;
	tn->priv = oc_veth_priv(v->addr);
	free(v);
	if (tn->peer.state == OC_PEER_NONE) {
		snprintf(f->tenant, sizeof(f->tenant), "victim %s is not a veth: no peer", name);
		return;
	}
	if (tn->priv) {
		snprintf(cmd, sizeof(cmd), "struct veth_priv.peer %lx", tn->priv);
		if (tn->peer.state == OC_PEER_CLEARED)
			tenant_ev(f, cmd, "the victim's veth_priv.peer is NULL: %s",
				  oc_veth_peer_note(&tn->peer, note, sizeof(note)));
		else if (tn->peer.state == OC_PEER_OK)
			tenant_ev(f, cmd, "the victim's veth peer is net_device %#lx",
				  tn->peer.addr);
	}
	if (!tn->peer.addr) {
		snprintf(f->tenant, sizeof(f->tenant), "victim %s <-> ? (%.300s)", name,
			 oc_veth_peer_note(&tn->peer, note, sizeof(note)));
		return;
	}
	oc_name(tn->peer.name, pname, sizeof(pname));
	if (tn->peer.points_back && oc_veth_priv(tn->peer.addr)) {
		snprintf(cmd, sizeof(cmd), "struct veth_priv.peer %lx", oc_veth_priv(tn->peer.addr));
		tenant_ev(f, cmd, "net_device %#lx \"%s\" points back at the victim "
			  "(veth_dellink cleared the victim's end)", tn->peer.addr, pname);
	}
	tn->net = tn->peer.net;
	tn->inum = tn->peer.netns_inum;
	if (tn->net)
		ns = oc_netns_of(tn->net);
	oc_veth_peer_netns(&tn->peer, tn->netns, sizeof(tn->netns), &tn->dying);
	if (!ns)
		tn->dying = -1;		/* no namespace record: unknown */
	if (ns && ns->dying)
		snprintf(tn->why, sizeof(tn->why), "netns %s is being torn down (%.160s)",
			 tn->netns, ns->state);
	snprintf(cmd, sizeof(cmd), "struct net_device.name,ifindex,nd_net %lx", tn->peer.addr);
	snprintf(ino, sizeof(ino), "%u", tn->inum);
	tenant_ev(f, cmd, "the peer \"%s\" (ifindex %d) is in netns %s%s%s%s%s", pname,
		  tn->peer.ifindex, tn->netns, strcmp(ino, tn->netns) ? " (inode " : "",
		  strcmp(ino, tn->netns) ? ino : "", strcmp(ino, tn->netns) ? ")" : "",
		  tn->dying == 1 ? ", being torn down" : "");
	if (tn->net && ns) {
		char names[256];

		snprintf(cmd, sizeof(cmd), "netns %lx", tn->net);
		tenant_ev(f, cmd, "netns %u: %s, %s", tn->inum,
			  ns->n_names ? oc_netns_names_text(ns, names, sizeof(names)) : "no name",
			  ns->state[0] ? ns->state : "state unknown");
	}
	who[0] = '\0';
	if (tn->net && !out_of_time("the tasks of the tenant's namespace")) {
		tn->have_tasks = !oc_tasks_of_net(tn->net, &tn->tasks);
		if (tn->have_tasks && tn->tasks.n > 0) {
			const struct oc_net_task *k = &tn->tasks.t[0];
			char comm[80];

			oc_name(k->comm, comm, sizeof(comm));
			task_cgroup(k, cg, sizeof(cg));
			snprintf(who, sizeof(who), " (pid %d %s%s%s%s)", k->pid, comm,
				 cg[0] ? ", cgroup " : "", cg,
				 tn->tasks.total > 1 ? ", ..." : "");
			snprintf(cmd, sizeof(cmd), "ps %d", k->pid);
			tenant_ev(f, cmd, "pid %d \"%s\" lives in that netns%s%s (%d task%s there)",
				  k->pid, comm, cg[0] ? ", cgroup " : "", cg, tn->tasks.total,
				  tn->tasks.total == 1 ? "" : "s");
		} else if (tn->have_tasks) {
			snprintf(who, sizeof(who), " (no task in it)");
		} else {
			snprintf(tn->why, sizeof(tn->why), "tasks not read: %.200s", tn->tasks.err);
		}
	}
	snprintf(f->tenant, sizeof(f->tenant), "victim %s <-> %s%s in netns %s%s%s", name, pname,
		 tn->peer.state != OC_PEER_CLEARED ? "" :
		 tn->peer.points_back ? " (peer cleared by veth_dellink; it points back)" :
		 " (both ends cleared by veth_dellink; paired by the unregister batch's order)",
		 tn->netns, tn->dying == 1 ? " (being torn down)" : "", who);
}

void oc_fixcheck(struct oc_fixcheck *fc, const struct oc_modsyms *ms)
{
	static const char *const callees[] = { "netif_carrier_ok", "netif_running" };
	int present[2];
	char err[256], what[400];

	fc->carrier = fc->running = -1;
	if (!ms->loaded[0]) {
		snprintf(fc->how, sizeof(fc->how), "unknown: %s",
			 ms->err[0] ? ms->err : "no openvswitch.ko debuginfo");
		return;
	}
	if (oc_dwarf_func_uses(ms->loaded, "do_output", callees, 2, present, err, sizeof(err))) {
		snprintf(fc->how, sizeof(fc->how), "unknown: %s", err);
		return;
	}
	fc->carrier = present[0];
	fc->running = present[1];
	/* say what was checked: "verified" only when the build-ids were read
	 * and compared (modsyms' how says which) */
	if (ms->verified)
		snprintf(what, sizeof(what), "openvswitch.ko whose build-id %s matches the dump's",
			 ms->build_id);
	else
		snprintf(what, sizeof(what), "openvswitch.ko, %s", ms->how);
	snprintf(fc->how, sizeof(fc->how),
		 "DWARF of do_output() in the %s: netif_carrier_ok %s, netif_running %s", what,
		 present[0] ? "inlined" : "absent", present[1] ? "inlined" : "absent");
}

int oc_triage_run(const char *user_path, struct oc_triage *t)
{
	struct oc_findings *f = &t->f;
	struct oc_panic_list log = { 0 };
	struct oc_modsyms ms;
	int i;

	memset(t, 0, sizeof(*t));
	oc_findings_init(f);
	oc_panic_string(t->panic, sizeof(t->panic));
	oc_strlcpy(f->panic_string, t->panic, sizeof(f->panic_string));
	snprintf(f->cmd_panic, sizeof(f->cmd_panic), "sys");
	/* a log that cannot be read says so; nothing is parsed from it */
	if (!oc_log_problem(f->log_problem, sizeof(f->log_problem))) {
		triage_log(&log);
		oc_findings_panic(f, &log);
	}

	if (!out_of_time("the start of the OVS walk"))
		oc_ovs_walk(user_path, &t->ovs);
	else
		snprintf(t->ovs.status, sizeof(t->ovs.status),
			 "OVS not walked: the command's time budget was spent");
	if (out_of_time("the start of the fix check (DWARF of do_output)")) {
		t->fix.carrier = t->fix.running = -1;
		snprintf(t->fix.how, sizeof(t->fix.how),
			 "unknown: not checked, the command's time budget was spent");
	} else {
		oc_modsyms_ensure("openvswitch", NULL, &ms);
		oc_fixcheck(&t->fix, &ms);
		oc_modsyms_free(&ms);
	}
	f->fix_carrier_check_present = t->fix.carrier;
	f->fix_running_check_present = t->fix.running;
	snprintf(f->cmd_fix, sizeof(f->cmd_fix), "dis -l do_output");

	if (out_of_time("the start of the search for CPUs spinning in netdev_pick_tx")) {
		t->pt.nspins = 0;
		snprintf(t->pt.status, sizeof(t->pt.status),
			 "not searched: the command's time budget was spent");
		/* have_spin_frame stays unknown: absence is not shown */
	} else {
		oc_picktx_find(&t->pt);
		f->have_spin_frame = t->pt.nspins > 0;
	}
	snprintf(f->cmd_frame, sizeof(f->cmd_frame), "bt -E");	/* shows frames, or none */
	/* prefer the panicking CPU, then any whose loop decoded */
	for (i = 0; i < t->pt.nspins; i++)
		if (t->pt.spins[i].panic_cpu && t->pt.spins[i].loop.found)
			t->spin = &t->pt.spins[i];
	for (i = 0; !t->spin && i < t->pt.nspins; i++)
		if (t->pt.spins[i].loop.found)
			t->spin = &t->pt.spins[i];
	if (!t->spin && t->pt.nspins)
		t->spin = &t->pt.spins[0];
	if (t->spin) {
		struct oc_spin *s = t->spin;
		char name[80];

		f->cpu = s->cpu;
		/* the command that shows where the spin was read from */
		snprintf(f->cmd_frame, sizeof(f->cmd_frame), "%s",
			 strstr(s->source, "bt -a -e") ? "bt -a -e" :
			 strstr(s->source, "bt -E") ? "bt -E" : "log");
		oc_strlcpy(f->pc_sym, s->rd.pc_sym, sizeof(f->pc_sym));
		f->pc_off = s->pc_off;
		f->pc_in_loop = s->loop.found;
		f->hash = s->hash;
		f->hash_valid = s->hash_valid;
		f->qcount = s->qcount;
		f->qcount_valid = s->qcount_valid;
		oc_strlcpy(f->hash_reg, s->loop.hash_reg, sizeof(f->hash_reg));
		oc_strlcpy(f->qcount_reg, s->loop.qcount_reg, sizeof(f->qcount_reg));
		snprintf(f->cmd_regs, sizeof(f->cmd_regs), "dis -lx %s", t->pt.func);
		triage_path(f, s, &log);
		if (s->dev_ok) {
			oc_netns_of(s->nd.net);	/* its names, for the renderers */
			f->dev_addr = s->nd.addr;
			f->dev_valid = 1;
			f->dev_rntq_valid = s->nd.real_num_tx >= 0;
			f->dev_real_num_tx_queues = s->nd.real_num_tx;
			oc_strlcpy(f->dev_reg_state, oc_nd_reg_state_name(s->nd.reg_state) ?: "",
				   sizeof(f->dev_reg_state));
			if (!s->nd.state_unread)
				oc_state_names(s->nd.state, f->dev_state, sizeof(f->dev_state));
			f->dev_running = oc_nd_running(&s->nd);
			f->dev_carrier = oc_nd_carrier(&s->nd);
			oc_strlcpy(f->dev_name, oc_name(s->nd.name, name, sizeof(name)), sizeof(f->dev_name));
			snprintf(f->cmd_dev, sizeof(f->cmd_dev),
				 "struct net_device.name,reg_state,state,real_num_tx_queues %lx",
				 s->nd.addr);
			if (t->ovs.available) {
				t->vport = oc_ovs_vport_of_dev(&t->ovs, s->nd.addr);
				/* not found by a walk the budget cut short: unknown */
				f->vport_found = t->vport ? 1 :
						 t->ovs.truncated ? OC_UNKNOWN : 0;
				/* every datapath's vports: where the absence shows */
				snprintf(f->cmd_vport, sizeof(f->cmd_vport), "vport");
				if (t->vport) {
					oc_strlcpy(f->dp_name, oc_name(t->ovs.dps[t->vport->dp_index].name,
								       name, sizeof(name)), sizeof(f->dp_name));
					f->port_no = t->vport->port_no;
					snprintf(f->cmd_vport, sizeof(f->cmd_vport),
						 "struct vport.dev,port_no %lx", t->vport->addr);
				}
			}
			triage_tenant(t, &s->nd);
		}
	}
	if (oc_cmd_budget_spent())
		oc_budget_describe(oc_cmd_budget(), f->partial, sizeof(f->partial));
	oc_verdict_decide(f, &t->v);
	oc_panic_list_free(&log);
	return 0;
}

void oc_triage_free(struct oc_triage *t)
{
	oc_ovs_free(&t->ovs);
}
