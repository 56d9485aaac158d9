// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - records to JSON (json-c) and shared text helpers.  Nothing
 * here reads dump memory.
 */
#include "defs.h"
#include "report.h"
#include "../core/strutil.h"

#include <string.h>

const char *oc_name(const unsigned char *raw, char *buf, size_t n)
{
	oc_escape_text(raw, strnlen((const char *)raw, OC_IFNAMSIZ), buf, n);
	return buf;
}

json_object *oc_json_hex(uint64_t v)
{
	char b[32];

	snprintf(b, sizeof(b), "0x%lx", (unsigned long)v);
	return json_object_new_string(b);
}

static void put_num(json_object *o, const char *k, long v)
{
	json_object_object_add(o, k, v < 0 ? NULL : json_object_new_int64(v));
}

static void put_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v && *v ? json_object_new_string(v) : NULL);
}

json_object *oc_json_netdev(const struct oc_netdev *nd)
{
	static const char *const via[] = { "netns", "vport", "registers", "todo" };
	json_object *o = json_object_new_object();
	char name[80], st[128];
	int carrier;

	json_object_object_add(o, "address", oc_json_hex(nd->addr));
	put_str(o, "name", oc_name(nd->name, name, sizeof(name)));
	put_num(o, "ifindex", nd->ifindex);
	put_num(o, "netns_inode", nd->netns_inum ? (long)nd->netns_inum : -1);
	put_num(o, "reg_state", nd->reg_state);
	put_str(o, "reg_state_name", oc_nd_reg_state_name(nd->reg_state));
	json_object_object_add(o, "state", oc_json_hex(nd->state));
	put_str(o, "state_names", oc_state_names(nd->state, st, sizeof(st)));
	json_object_object_add(o, "flags", oc_json_hex(nd->flags));
	put_num(o, "num_tx_queues", nd->num_tx);
	put_num(o, "real_num_tx_queues", nd->real_num_tx);
	put_num(o, "num_rx_queues", nd->num_rx);
	put_num(o, "real_num_rx_queues", nd->real_num_rx);
	put_str(o, "operstate", nd->operstate >= 0 ? oc_operstate_name(nd->operstate) : NULL);
	carrier = oc_nd_carrier(nd);
	json_object_object_add(o, "carrier", carrier < 0 ? NULL : json_object_new_boolean(carrier));
	put_str(o, "netdev_ops", nd->ops_sym);
	put_str(o, "rx_handler", nd->rx_handler_sym);
	json_object_object_add(o, "master", nd->master ? oc_json_hex(nd->master) : NULL);
	put_num(o, "refcount", nd->refcnt);
	json_object_object_add(o, "listed", json_object_new_boolean(nd->listed));
	put_str(o, "found_via", via[nd->via]);
	if (!oc_netdev_anomalous(nd, st, sizeof(st)))
		st[0] = '\0';
	put_str(o, "anomaly", st);
	return o;
}

json_object *oc_json_datapath(const struct oc_datapath *dp)
{
	json_object *o = json_object_new_object();
	char name[80];

	json_object_object_add(o, "address", oc_json_hex(dp->addr));
	put_str(o, "name", oc_name(dp->name, name, sizeof(name)));
	put_num(o, "netns_inode", dp->netns_inum ? (long)dp->netns_inum : -1);
	put_num(o, "ports", dp->nports);
	return o;
}

json_object *oc_json_vport(const struct oc_ovs *o, const struct oc_vport *vp)
{
	json_object *j = json_object_new_object();
	char name[80];

	json_object_object_add(j, "address", oc_json_hex(vp->addr));
	put_str(j, "datapath", oc_name(o->dps[vp->dp_index].name, name, sizeof(name)));
	json_object_object_add(j, "datapath_address", oc_json_hex(vp->dp));
	put_num(j, "port_no", vp->port_no);
	put_str(j, "type", vp->type_name);
	json_object_object_add(j, "netdev", vp->dev_ok ? oc_json_netdev(&vp->nd) : NULL);
	json_object_object_add(j, "rx_handler_attached", json_object_new_boolean(vp->rx_hook_attached));
	json_object_object_add(j, "race_window", json_object_new_boolean(vp->race_window));
	put_str(j, "race_reason", vp->race_why);
	return j;
}

static json_object *reg(const char *name, uint64_t v, int valid)
{
	json_object *o = json_object_new_object();

	put_str(o, "register", name);
	json_object_object_add(o, "value", valid ? json_object_new_int64((int64_t)v) : NULL);
	return o;
}

json_object *oc_json_spin(const struct oc_spin *s, long gdb_delta)
{
	json_object *o = json_object_new_object(), *l;
	char pc[160];

	put_num(o, "cpu", s->cpu);
	json_object_object_add(o, "panic_cpu", json_object_new_boolean(s->panic_cpu));
	put_str(o, "source", s->source);
	json_object_object_add(o, "frame", s->frame_addr ? oc_json_hex(s->frame_addr) : NULL);
	json_object_object_add(o, "pc", s->pc ? oc_json_hex(s->pc) : NULL);
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
	json_object_object_add(o, "hash", s->loop.found ? reg(s->loop.hash_reg, s->hash, s->hash_valid) : NULL);
	json_object_object_add(o, "qcount", s->loop.found ? reg(s->loop.qcount_reg, s->qcount, s->qcount_valid) : NULL);
	json_object_object_add(o, "qoffset", s->loop.qoffset_reg[0] ?
			       reg(s->loop.qoffset_reg, s->qoffset, s->qoffset_valid) : NULL);
	put_str(o, "dev_register", s->dev_reg);
	json_object_object_add(o, "netdev", s->dev_ok ? oc_json_netdev(&s->nd) : NULL);
	json_object_object_add(o, "qcount_matches_real_num_tx_queues",
			       s->qcount_matches_dev < 0 ? NULL :
			       json_object_new_boolean(s->qcount_matches_dev));
	put_str(o, "note", s->note);
	return o;
}

void oc_json_print(json_object *doc)
{
	fprintf(fp, "%s\n", json_object_to_json_string_ext(doc,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
}
