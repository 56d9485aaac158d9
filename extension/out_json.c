// SPDX-License-Identifier: GPL-2.0
/*
 * out_json.c - records to JSON (json-c), one document per command.
 * Nothing here reads dump memory: names come through oc_name(), enumerator
 * names through netdev.c's decoders (resolved once per session), the
 * verdict through core/verdict_out.
 */
#include "defs.h"
#include "out_json.h"
#include "escape.h"
#include "guard.h"
#include "netns.h"
#include "veth.h"
#include "../core/strutil.h"
#include "../core/verdict_out.h"

#include <json-c/json.h>
#include <string.h>

#ifndef OVSCRASH_VERSION
#define OVSCRASH_VERSION "0.1.0"	/* the Makefile passes the real one */
#endif

/* ---- members ---- */

static json_object *hex(uint64_t v)
{
	char b[32];

	snprintf(b, sizeof(b), "0x%lx", (unsigned long)v);
	return json_object_new_string(b);
}

/* a string member, null when empty */
static json_object *str_or_null(const char *v)
{
	return v && *v ? json_object_new_string(v) : NULL;
}

static void put_num(json_object *o, const char *k, long v)
{
	json_object_object_add(o, k, v < 0 ? NULL : json_object_new_int64(v));
}

static void put_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, str_or_null(v));
}

/* print one JSON document to crash's output and free it */
static void print_doc(json_object *doc)
{
	fprintf(fp, "%s\n", json_object_to_json_string_ext(doc,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
}

/* "truncated": where and why the budget stopped the command, or null */
static json_object *truncated(const struct oc_budget *b)
{
	json_object *o;

	if (!b || !b->spent)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "where", json_object_new_string(b->where[0] ? b->where : "?"));
	json_object_object_add(o, "reason", json_object_new_string(b->reason));
	json_object_object_add(o, "nodes_read", json_object_new_int64((int64_t)b->nodes));
	json_object_object_add(o, "elapsed_ms", json_object_new_int64(oc_budget_elapsed_ms(b)));
	json_object_object_add(o, "max_nodes", b->max_nodes ?
			       json_object_new_int64((int64_t)b->max_nodes) : NULL);
	json_object_object_add(o, "max_seconds", b->max_ms ?
			       json_object_new_double(b->max_ms / 1000.0) : NULL);
	return o;
}

/* ---- records ---- */

/* a namespace's names (paths, escaped), [] none; null when the
 * namespace was not met (no table) */
static json_object *ns_names(const struct oc_netns *ns)
{
	char path[OC_NETNS_PATH * 4 + 1];
	json_object *a;
	int i;

	if (!ns)
		return NULL;
	a = json_object_new_array();
	for (i = 0; i < ns->n_names; i++)
		json_object_array_add(a, json_object_new_string(
			oc_path((const char *)ns->names[i], path, sizeof(path))));
	return a;
}

static json_object *tri(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v);
}

/* "peer" of a device: null when it is not a veth (docs/commands.md) */
static json_object *rec_peer(const struct oc_veth_peer *p)
{
	static const char *const states[] = { "none", "ok", "cleared", "unknown" };
	const struct oc_netns *ns = NULL;
	json_object *o;
	char name[80], note[240];

	if (p->state == OC_PEER_NONE)
		return NULL;
	o = json_object_new_object();
	put_str(o, "state", states[p->state]);
	json_object_object_add(o, "address", p->addr ? hex(p->addr) : NULL);
	put_str(o, "name", p->addr ? oc_name(p->name, name, sizeof(name)) : NULL);
	put_num(o, "ifindex", p->addr ? p->ifindex : -1);
	put_num(o, "netns_inode", p->netns_inum ? (long)p->netns_inum : -1);
	json_object_object_add(o, "net", p->net ? hex(p->net) : NULL);
	if (p->net)
		ns = oc_netns_known(p->net);
	json_object_object_add(o, "netns_names", ns_names(ns));
	json_object_object_add(o, "netns_dying", ns ? json_object_new_boolean(ns->dying) : NULL);
	put_str(o, "reg_state_name", p->addr ? oc_nd_reg_state_name(p->reg_state) : NULL);
	json_object_object_add(o, "listed", tri(p->listed));
	json_object_object_add(o, "mutual", tri(p->mutual));
	json_object_object_add(o, "points_back", json_object_new_boolean(p->points_back));
	/* the other end found on the victim's unreg_list (same unregister batch) */
	json_object_object_add(o, "found_via_unreg_list",
			       json_object_new_boolean(p->via_unreg_list));
	put_str(o, "note", oc_veth_peer_note(p, note, sizeof(note)));
	return o;
}

/* with_peer: the record's peer was looked up (the netdev command) */
static json_object *rec_netdev_peer(const struct oc_netdev *nd, int with_peer)
{
	static const char *const via[] = { "netns", "vport", "registers", "todo" };
	json_object *o = json_object_new_object();
	char name[80], st[128];
	int carrier;

	json_object_object_add(o, "address", hex(nd->addr));
	put_str(o, "name", oc_name(nd->name, name, sizeof(name)));
	put_num(o, "ifindex", nd->ifindex);
	put_num(o, "netns_inode", nd->netns_inum ? (long)nd->netns_inum : -1);
	json_object_object_add(o, "netns_names", ns_names(oc_netns_known(nd->net)));
	put_num(o, "reg_state", nd->reg_state);
	put_str(o, "reg_state_name", oc_nd_reg_state_name(nd->reg_state));
	json_object_object_add(o, "state", hex(nd->state));
	put_str(o, "state_names", oc_state_names(nd->state, st, sizeof(st)));
	json_object_object_add(o, "flags", hex(nd->flags));
	put_num(o, "num_tx_queues", nd->num_tx);
	put_num(o, "real_num_tx_queues", nd->real_num_tx);
	put_num(o, "num_rx_queues", nd->num_rx);
	put_num(o, "real_num_rx_queues", nd->real_num_rx);
	put_str(o, "operstate", nd->operstate >= 0 ? oc_operstate_name(nd->operstate) : NULL);
	carrier = oc_nd_carrier(nd);
	json_object_object_add(o, "carrier", carrier < 0 ? NULL : json_object_new_boolean(carrier));
	put_str(o, "netdev_ops", nd->ops_sym);
	put_str(o, "rx_handler", nd->rx_handler_sym);
	json_object_object_add(o, "master", nd->master ? hex(nd->master) : NULL);
	put_num(o, "refcount", nd->refcnt);
	json_object_object_add(o, "listed", json_object_new_boolean(nd->listed));
	put_str(o, "found_via", via[nd->via]);
	if (!oc_netdev_anomalous(nd, st, sizeof(st)))
		st[0] = '\0';
	put_str(o, "anomaly", st);
	if (!oc_netdev_check(nd, st, sizeof(st)))
		st[0] = '\0';
	put_str(o, "implausible", st);
	if (with_peer)
		json_object_object_add(o, "peer", rec_peer(&nd->peer));
	return o;
}

static json_object *rec_netdev(const struct oc_netdev *nd)
{
	return rec_netdev_peer(nd, 0);
}

static json_object *rec_datapath(const struct oc_datapath *dp)
{
	json_object *o = json_object_new_object();
	char name[80];

	json_object_object_add(o, "address", hex(dp->addr));
	put_str(o, "name", oc_name(dp->name, name, sizeof(name)));
	put_num(o, "netns_inode", dp->netns_inum ? (long)dp->netns_inum : -1);
	json_object_object_add(o, "netns_names", ns_names(oc_netns_known(dp->net)));
	put_num(o, "ports", dp->nports);
	return o;
}

static json_object *rec_vport(const struct oc_ovs *o, const struct oc_vport *vp)
{
	json_object *j = json_object_new_object();
	char name[80];

	json_object_object_add(j, "address", hex(vp->addr));
	put_str(j, "datapath", oc_name(o->dps[vp->dp_index].name, name, sizeof(name)));
	json_object_object_add(j, "datapath_address", hex(vp->dp));
	put_num(j, "port_no", vp->port_no);
	put_str(j, "type", vp->type_name);
	json_object_object_add(j, "netdev", vp->dev_ok ? rec_netdev(&vp->nd) : NULL);
	json_object_object_add(j, "netdev_address", vp->nd.addr ? hex(vp->nd.addr) : NULL);
	put_str(j, "netdev_problem", vp->dev_bad);
	json_object_object_add(j, "rx_handler_attached", json_object_new_boolean(vp->rx_hook_attached));
	json_object_object_add(j, "race_window", json_object_new_boolean(vp->race_window));
	put_str(j, "race_reason", vp->race_why);
	return j;
}

static json_object *rec_reg(const char *name, uint64_t v, int valid)
{
	json_object *o = json_object_new_object();

	put_str(o, "register", name);
	json_object_object_add(o, "value", valid ? json_object_new_int64((int64_t)v) : NULL);
	return o;
}

/* gdb_delta: picktx.gdb_off_delta, to give gdb/DWARF's offset too */
static json_object *rec_spin(const struct oc_spin *s, long gdb_delta)
{
	json_object *o = json_object_new_object(), *l;
	char pc[160];

	put_num(o, "cpu", s->cpu);
	json_object_object_add(o, "panic_cpu", json_object_new_boolean(s->panic_cpu));
	put_str(o, "source", s->source);
	json_object_object_add(o, "frame", s->frame_addr ? hex(s->frame_addr) : NULL);
	json_object_object_add(o, "pc", s->pc ? hex(s->pc) : NULL);
	snprintf(pc, sizeof(pc), "%s+0x%lx", s->rd.pc_sym, (unsigned long)s->pc_off);
	put_str(o, "pc_symbol", pc);
	json_object_object_add(o, "pc_offset", json_object_new_int64(s->pc_off));
	json_object_object_add(o, "pc_offset_gdb", json_object_new_int64(s->pc_off - gdb_delta));
	l = json_object_new_object();
	json_object_object_add(l, "found", json_object_new_boolean(s->loop.found));
	if (s->loop.found) {
		json_object_object_add(l, "start_offset", json_object_new_int64(s->loop.loop_start_off));
		json_object_object_add(l, "end_offset", json_object_new_int64(s->loop.loop_end_off));
		json_object_object_add(l, "sub_offset", json_object_new_int64(s->loop.sub_off));
		json_object_object_add(l, "cmp_offset", json_object_new_int64(s->loop.cmp_off));
		put_str(l, "source_file", s->src_file);
		put_num(l, "source_line", s->loop.src_line ? s->loop.src_line : -1);
	} else {
		put_str(l, "reason", s->loop.why);
	}
	json_object_object_add(o, "loop", l);
	json_object_object_add(o, "hash", s->loop.found ?
			       rec_reg(s->loop.hash_reg, s->hash, s->hash_valid) : NULL);
	json_object_object_add(o, "qcount", s->loop.found ?
			       rec_reg(s->loop.qcount_reg, s->qcount, s->qcount_valid) : NULL);
	json_object_object_add(o, "qoffset", s->loop.qoffset_reg[0] ?
			       rec_reg(s->loop.qoffset_reg, s->qoffset, s->qoffset_valid) : NULL);
	put_str(o, "dev_register", s->dev_reg);
	json_object_object_add(o, "netdev", s->dev_ok ? rec_netdev(&s->nd) : NULL);
	json_object_object_add(o, "qcount_matches_real_num_tx_queues",
			       s->qcount_matches_dev < 0 ? NULL :
			       json_object_new_boolean(s->qcount_matches_dev));
	put_str(o, "note", s->note);
	return o;
}

/* ---- documents ---- */

void oc_json_ovscrash(const struct oc_modsyms *ms)
{
	json_object *o = json_object_new_object();
	char path[1024];

	json_object_object_add(o, "ovscrash", json_object_new_string(OVSCRASH_VERSION));
	json_object_object_add(o, "crash", json_object_new_string(oc_crash_version()));
	json_object_object_add(o, "crash_built_for",
			       json_object_new_string(oc_guard_built_for()));
	json_object_object_add(o, "arch", json_object_new_string(oc_machine()));
	json_object_object_add(o, "kernel_release", json_object_new_string(oc_kernel_release()));
	json_object_object_add(o, "vmlinux", json_object_new_string(oc_namelist()));
	json_object_object_add(o, "dumpfile", json_object_new_string(oc_dumpfile()));
	json_object_object_add(o, "openvswitch_loaded", json_object_new_boolean(ms->loaded_in_dump));
	json_object_object_add(o, "openvswitch_build_id", str_or_null(ms->build_id));
	json_object_object_add(o, "openvswitch_debuginfo",
			       str_or_null(oc_path(ms->path, path, sizeof(path))));
	json_object_object_add(o, "openvswitch_error", str_or_null(ms->err));
	print_doc(o);
}

void oc_json_netdev(const struct oc_netdev_query *q, const struct oc_budget *b)
{
	json_object *doc = json_object_new_object(), *arr = json_object_new_array();
	int i;

	for (i = 0; i < q->l.n; i++)
		json_object_array_add(arr, rec_netdev_peer(&q->l.v[i], 1));
	json_object_object_add(doc, "command", json_object_new_string("netdev"));
	json_object_object_add(doc, "devices", arr);
	json_object_object_add(doc, "warning", str_or_null(q->l.warn));
	json_object_object_add(doc, "ovs_status", str_or_null(q->ovs_status));
	json_object_object_add(doc, "peer_status", str_or_null(q->peer_status));
	json_object_object_add(doc, "truncated", truncated(b));
	print_doc(doc);
}

void oc_json_vport(const struct oc_ovs *o, const struct oc_budget *b)
{
	json_object *doc = json_object_new_object(), *dps = json_object_new_array(),
		    *vps = json_object_new_array(), *rej = json_object_new_array();
	int i;

	for (i = 0; i < o->nrejected &&
		    i < (int)(sizeof(o->rejected) / sizeof(o->rejected[0])); i++) {
		json_object *r = json_object_new_object();

		json_object_object_add(r, "address", hex(o->rejected[i].addr));
		json_object_object_add(r, "datapath_address", hex(o->rejected[i].dp));
		put_num(r, "bucket", o->rejected[i].bucket);
		put_str(r, "reason", o->rejected[i].why);
		json_object_array_add(rej, r);
	}
	for (i = 0; i < o->ndps; i++)
		json_object_array_add(dps, rec_datapath(&o->dps[i]));
	for (i = 0; i < o->nvports; i++)
		json_object_array_add(vps, rec_vport(o, &o->vports[i]));
	json_object_object_add(doc, "command", json_object_new_string("vport"));
	json_object_object_add(doc, "available", json_object_new_boolean(o->available));
	json_object_object_add(doc, "status", str_or_null(o->status));
	json_object_object_add(doc, "datapaths", dps);
	json_object_object_add(doc, "vports", vps);
	json_object_object_add(doc, "not_vports", rej);
	json_object_object_add(doc, "not_vports_total", json_object_new_int(o->nrejected));
	json_object_object_add(doc, "warning", str_or_null(o->warn));
	json_object_object_add(doc, "truncated", truncated(b));
	print_doc(doc);
}

void oc_json_ovsmod(const struct oc_modsyms *ms, int rc)
{
	json_object *o = json_object_new_object();
	char path[1024], mod[256];

	json_object_object_add(o, "command", json_object_new_string("ovsmod"));
	json_object_object_add(o, "module",
			       json_object_new_string(oc_path(ms->module, mod, sizeof(mod))));
	json_object_object_add(o, "loaded_in_dump", json_object_new_boolean(ms->loaded_in_dump));
	json_object_object_add(o, "symbols_loaded", json_object_new_boolean(ms->symbols_loaded));
	json_object_object_add(o, "build_id", str_or_null(ms->build_id));
	json_object_object_add(o, "path", str_or_null(oc_path(ms->path, path, sizeof(path))));
	json_object_object_add(o, "how", str_or_null(ms->how));
	json_object_object_add(o, "replaced", str_or_null(ms->replaced));
	json_object_object_add(o, "error", rc ? json_object_new_string(ms->err) : NULL);
	json_object_object_add(o, "debuginfod", str_or_null(ms->debuginfod));
	json_object_object_add(o, "search", ms->report ? json_object_new_string(ms->report) : NULL);
	print_doc(o);
}

static json_object *rec_net_task(const struct oc_net_task *t)
{
	json_object *o = json_object_new_object(), *cgs = json_object_new_array();
	char comm[80], path[OC_CG_PATH * 4 + 1], who[160];
	int k;

	json_object_object_add(o, "address", hex(t->task));
	json_object_object_add(o, "pid", json_object_new_int(t->pid));
	oc_escape_text(t->comm, strnlen((const char *)t->comm, 16), comm, sizeof(comm));
	json_object_object_add(o, "comm", json_object_new_string(comm));
	for (k = 0; k < t->n_cgroups && k < OC_TASK_CGROUPS; k++) {
		json_object *c = json_object_new_object();

		/* the hierarchy's name comes escaped (tasks.h) */
		json_object_object_add(c, "hierarchy",
				       json_object_new_string(t->cgroups[k].hierarchy));
		json_object_object_add(c, "path", json_object_new_string(
			oc_path((const char *)t->cgroups[k].path, path, sizeof(path))));
		json_object_array_add(cgs, c);
	}
	json_object_object_add(o, "cgroups", cgs);
	json_object_object_add(o, "tenant", oc_task_tenant(t, who, sizeof(who)) ?
			       json_object_new_string(who) : NULL);
	return o;
}

static json_object *rec_netns(const struct oc_netns_row *r)
{
	const struct oc_netns *ns = r->ns;
	json_object *o = json_object_new_object(), *tasks = NULL;
	int i;

	json_object_object_add(o, "address", hex(ns->net));
	put_num(o, "inode", ns->inum ? (long)ns->inum : -1);
	json_object_object_add(o, "listed", json_object_new_boolean(ns->listed));
	json_object_object_add(o, "dying", json_object_new_boolean(ns->dying));
	put_str(o, "state", ns->state);
	put_num(o, "count", ns->count);
	put_num(o, "devices", ns->n_devices);
	json_object_object_add(o, "names", ns_names(ns));
	json_object_object_add(o, "names_total", json_object_new_int(ns->names_total));
	if (r->tasks_read) {
		tasks = json_object_new_array();
		for (i = 0; i < r->tasks.n && i < OC_NET_TASKS_LISTED; i++)
			json_object_array_add(tasks, rec_net_task(&r->tasks.t[i]));
	}
	json_object_object_add(o, "tasks_total", r->tasks_read ?
			       json_object_new_int(r->tasks.total) : NULL);
	json_object_object_add(o, "tasks", tasks);
	put_str(o, "tasks_error", r->tasks.err);
	put_str(o, "held_by", r->holder);
	put_str(o, "error", ns->err);
	return o;
}

void oc_json_netns(const struct oc_netns_query *q)
{
	json_object *doc = json_object_new_object(), *arr = json_object_new_array();
	int i;

	for (i = 0; i < q->n; i++)
		json_object_array_add(arr, rec_netns(&q->rows[i]));
	json_object_object_add(doc, "command", json_object_new_string("netns"));
	json_object_object_add(doc, "namespaces", arr);
	json_object_object_add(doc, "error", str_or_null(q->err));
	json_object_object_add(doc, "warning", str_or_null(q->warn));
	json_object_object_add(doc, "truncated", truncated(q->budget));
	print_doc(doc);
}

void oc_json_picktx(const struct oc_picktx *p)
{
	json_object *doc = json_object_new_object(), *arr = json_object_new_array();
	int i;

	for (i = 0; i < p->nspins; i++)
		json_object_array_add(arr, rec_spin(&p->spins[i], p->gdb_off_delta));
	json_object_object_add(doc, "command", json_object_new_string("picktx"));
	json_object_object_add(doc, "function", json_object_new_string(p->func));
	json_object_object_add(doc, "function_address", hex(p->func_addr));
	json_object_object_add(doc, "spins", arr);
	json_object_object_add(doc, "log_register_dumps", json_object_new_int(p->log_dumps));
	json_object_object_add(doc, "status", str_or_null(p->status));
	print_doc(doc);
}

/* a task of the tenant's namespace: pid, comm, cgroup paths (escaped) */
static json_object *rec_task(const struct oc_net_task *k)
{
	json_object *o = json_object_new_object(), *v1 = json_object_new_object();
	char comm[80], p[OC_CG_PATH * 4 + 1], h[256];
	int i;

	put_num(o, "pid", k->pid);
	put_str(o, "comm", oc_name(k->comm, comm, sizeof(comm)));
	json_object_object_add(o, "task", hex(k->task));
	json_object_object_add(o, "cgroup_v2", NULL);
	for (i = 0; i < k->n_cgroups && i < OC_TASK_CGROUPS; i++) {
		oc_path((const char *)k->cgroups[i].path, p, sizeof(p));
		if (!k->cgroups[i].hierarchy[0])
			put_str(o, "cgroup_v2", p);
		else
			json_object_object_add(v1, oc_path(k->cgroups[i].hierarchy, h, sizeof(h)),
					       json_object_new_string(p));
	}
	json_object_object_add(o, "cgroup_v1", v1);
	json_object_object_add(o, "tenant", oc_task_tenant(k, p, sizeof(p)) ?
			       json_object_new_string(p) : NULL);
	return o;
}

/* "tenant" of triage -j: null when no victim device was read */
static json_object *rec_tenant(const struct oc_triage *t)
{
	const struct oc_tenant *tn = &t->tenant;
	json_object *o, *a;
	char name[80];
	int i;

	if (!tn->have)
		return NULL;
	o = json_object_new_object();
	put_str(o, "line", t->f.tenant);
	json_object_object_add(o, "victim", hex(tn->victim));
	put_str(o, "victim_name", oc_name(tn->victim_name, name, sizeof(name)));
	json_object_object_add(o, "peer", rec_peer(&tn->peer));
	put_str(o, "peer_status", tn->peer_status);
	json_object_object_add(o, "net", tn->net ? hex(tn->net) : NULL);
	put_num(o, "netns_inode", tn->inum ? (long)tn->inum : -1);
	put_str(o, "netns", tn->netns);
	json_object_object_add(o, "netns_dying", tri(tn->net ? tn->dying : -1));
	if (tn->have_tasks) {
		a = json_object_new_array();
		for (i = 0; i < tn->tasks.n && i < OC_NET_TASKS_LISTED; i++)
			json_object_array_add(a, rec_task(&tn->tasks.t[i]));
		json_object_object_add(o, "tasks", a);
		json_object_object_add(o, "tasks_total", json_object_new_int(tn->tasks.total));
	} else {
		json_object_object_add(o, "tasks", NULL);
		json_object_object_add(o, "tasks_total", NULL);
	}
	put_str(o, "note", tn->why);
	return o;
}

void oc_json_triage(const struct oc_triage *t, const struct oc_budget *b)
{
	json_object *doc = json_object_new_object(), *k;

	json_object_object_add(doc, "command", json_object_new_string("triage"));
	json_object_object_add(doc, "ovscrash", json_object_new_string(OVSCRASH_VERSION));
	json_object_object_add(doc, "kernel_release", json_object_new_string(oc_kernel_release()));
	json_object_object_add(doc, "arch", json_object_new_string(oc_machine()));
	json_object_object_add(doc, "panic", json_object_new_string(t->panic));
	oc_verdict_json(doc, &t->f, &t->v);
	k = json_object_new_object();
	json_object_object_add(k, "carrier_check_066b86787fa3", t->fix.carrier < 0 ? NULL :
			       json_object_new_boolean(t->fix.carrier));
	json_object_object_add(k, "running_check_47e55e4b410f", t->fix.running < 0 ? NULL :
			       json_object_new_boolean(t->fix.running));
	json_object_object_add(k, "how", json_object_new_string(t->fix.how));
	json_object_object_add(doc, "fixes_in_kernel", k);
	json_object_object_add(doc, "spin", t->spin ? rec_spin(t->spin, t->pt.gdb_off_delta) : NULL);
	json_object_object_add(doc, "vport", t->vport ? rec_vport(&t->ovs, t->vport) : NULL);
	json_object_object_add(doc, "tenant", rec_tenant(t));
	json_object_object_add(doc, "ovs_status", str_or_null(t->ovs.status));
	json_object_object_add(doc, "partial", json_object_new_boolean(b && b->spent));
	json_object_object_add(doc, "truncated", truncated(b));
	print_doc(doc);
}
