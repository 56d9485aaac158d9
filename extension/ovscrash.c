// SPDX-License-Identifier: GPL-2.0
/*
 * ovscrash.c - the command table, help text and option parsing: the only
 * file crash's commands enter.  Walkers return records; printing lives
 * here (text) and in report.c (JSON).
 */
#include "defs.h"
#include "report.h"
#include "triage.h"
#include "modsyms.h"
#include "../core/verdict_out.h"

#include <getopt.h>

#ifndef OVSCRASH_VERSION
#define OVSCRASH_VERSION "0.1.0"
#endif

static void cmd_ovscrash(void);
static void cmd_netdev(void);
static void cmd_vport(void);
static void cmd_ovsmod(void);
static void cmd_picktx(void);
static void cmd_triage(void);

static char *help_ovscrash[] = {
	"ovscrash",
	"ovscrash extension information",
	"[-j]",
	"  Prints the ovscrash version, the crash and kernel it runs against and",
	"  the debuginfo it resolved.  Commands: netdev, vport, ovsmod, picktx, triage.",
	"    -j  print one JSON document",
	NULL
};

static char *help_netdev[] = {
	"netdev",
	"network devices in every namespace, and unlisted ones still referenced",
	"[-a] [-n inode] [-N name] [-i ifindex] [-d debugpath] [-j] [address]",
	"  Walks net_namespace_list and each namespace's device list, then adds",
	"  devices that are no longer listed but still referenced: on",
	"  net_todo_list (unregistering), by an OVS vport, or by the registers of",
	"  a CPU spinning in netdev_pick_tx (NOTE column: UNLISTED).",
	"    -a          only anomalies (real_num_tx_queues 0, unlisted unregistering)",
	"    -n inode    only devices of the network namespace with this inode",
	"    -N name     only devices with this name",
	"    -i ifindex  only devices with this ifindex",
	"    -d path     openvswitch.ko debuginfo file or directory",
	"    -j          print one JSON document",
	"    address     only the net_device at this address",
	"\nEXAMPLE",
	"    %s> netdev -a",
	NULL
};

static char *help_vport[] = {
	"vport",
	"OVS datapaths and vports in every namespace",
	"[-d debugpath] [-j]",
	"  Loads openvswitch.ko debuginfo if needed (see ovsmod), then lists each",
	"  datapath and every vport in its port table with the netdev behind it.",
	"  RACE marks a vport still in its datapath while its netdev is",
	"  unregistering or has no tx queues: the window of the netdev_pick_tx",
	"  lockup fixed by 066b86787fa3 and 47e55e4b410f.",
	"    -d path  openvswitch.ko debuginfo file or directory",
	"    -j       print one JSON document",
	NULL
};

static char *help_ovsmod[] = {
	"ovsmod",
	"find, verify and load module debuginfo",
	"[-m module] [-j] [path]",
	"  Searches path (file or directory), $OVSCRASH_DEBUG_PATH, the dump's and",
	"  vmlinux's directories, /usr/lib/debug/lib/modules/<release>,",
	"  /lib/modules/<release> and /usr/lib/debug/.build-id for module.ko,",
	"  .ko.debug, .ko.xz or .ko.zst; accepts only a file with debuginfo whose",
	"  GNU build-id equals the one in the module's notes in the dump, and",
	"  loads it as mod -s does.  Default module: openvswitch.",
	"    -m module  module name",
	"    -j         print one JSON document",
	NULL
};

static char *help_picktx[] = {
	"picktx",
	"decode CPUs spinning in netdev_pick_tx",
	"[-j]",
	"  Finds every CPU interrupted inside netdev_pick_tx (exception frames on",
	"  all stacks, as bt -E, and register dumps in the kernel log), disassembles",
	"  netdev_pick_tx, finds the skb_tx_hash loop around the PC",
	"  (while (hash >= qcount) hash -= qcount;) and derives from its",
	"  instructions which registers hold hash, qcount and qoffset, and from the",
	"  prologue which hold dev.  Prints their values and the device.",
	"    -j  print one JSON document",
	NULL
};

static char *help_triage[] = {
	"triage",
	"verdict on the OVS netdev_pick_tx lockup",
	"[-d debugpath] [-j]",
	"  Runs picktx, vport and the fix check and prints a verdict with numbered",
	"  evidence, each with the crash command that shows it, a confidence, the",
	"  fixing commits and whether this kernel's do_output() carries them.",
	"    -d path  openvswitch.ko debuginfo file or directory",
	"    -j       print one JSON document",
	NULL
};

static struct command_table_entry command_table[] = {
	{ "ovscrash", cmd_ovscrash, help_ovscrash, 0 },
	{ "netdev", cmd_netdev, help_netdev, 0 },
	{ "vport", cmd_vport, help_vport, 0 },
	{ "ovsmod", cmd_ovsmod, help_ovsmod, 0 },
	{ "picktx", cmd_picktx, help_picktx, 0 },
	{ "triage", cmd_triage, help_triage, 0 },
	{ NULL },
};

void __attribute__((constructor)) ovscrash_init(void)
{
	register_extension(command_table);
}

void __attribute__((destructor)) ovscrash_fini(void)
{
}

/* ---- options shared by every command ---- */

struct cmd_opts {
	int json, anomalies;
	char *dbg, *name, *module;
	long netns, ifindex;
};

/* getopt over crash's args with the flags the command allows in optstr;
 * a bad flag prints the command's usage (crash's convention) */
static void parse_opts(const char *optstr, struct cmd_opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->netns = o->ifindex = -1;
	o->module = "openvswitch";
	while ((c = getopt(argcnt, args, (char *)optstr)) != EOF) {
		switch (c) {
		case 'j': o->json = 1; break;
		case 'a': o->anomalies = 1; break;
		case 'd': o->dbg = optarg; break;
		case 'N': o->name = optarg; break;
		case 'm': o->module = optarg; break;
		case 'n': o->netns = stol(optarg, FAULT_ON_ERROR, NULL); break;
		case 'i': o->ifindex = stol(optarg, FAULT_ON_ERROR, NULL); break;
		default: argerrs++;
		}
	}
	if (argerrs)
		cmd_usage(pc->curcmd, SYNOPSIS);
}

/* ---- ovscrash ---- */

static void cmd_ovscrash(void)
{
	struct oc_modsyms ms;
	struct cmd_opts opt;

	parse_opts("j", &opt);
	oc_modsyms_ensure("openvswitch", NULL, &ms);
	if (opt.json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "ovscrash", json_object_new_string(OVSCRASH_VERSION));
		json_object_object_add(o, "crash", json_object_new_string(oc_crash_version()));
		json_object_object_add(o, "arch", json_object_new_string(oc_machine()));
		json_object_object_add(o, "kernel_release", json_object_new_string(oc_kernel_release()));
		json_object_object_add(o, "vmlinux", json_object_new_string(oc_namelist()));
		json_object_object_add(o, "dumpfile", json_object_new_string(oc_dumpfile()));
		json_object_object_add(o, "openvswitch_loaded", json_object_new_boolean(ms.loaded_in_dump));
		json_object_object_add(o, "openvswitch_build_id", ms.build_id[0] ?
				       json_object_new_string(ms.build_id) : NULL);
		json_object_object_add(o, "openvswitch_debuginfo", ms.path[0] ?
				       json_object_new_string(ms.path) : NULL);
		json_object_object_add(o, "openvswitch_error", ms.err[0] ?
				       json_object_new_string(ms.err) : NULL);
		oc_json_print(o);
	} else {
		fprintf(fp, "     OVSCRASH: %s\n", OVSCRASH_VERSION);
		fprintf(fp, "        CRASH: %s\n", oc_crash_version());
		fprintf(fp, "         ARCH: %s\n", oc_machine());
		fprintf(fp, "      RELEASE: %s\n", oc_kernel_release());
		fprintf(fp, "      VMLINUX: %s\n", oc_namelist());
		fprintf(fp, "     DUMPFILE: %s\n", oc_dumpfile());
		fprintf(fp, "  OPENVSWITCH: %s\n", ms.loaded_in_dump ? "loaded in dump" : "not loaded");
		if (ms.build_id[0])
			fprintf(fp, "     BUILD-ID: %s\n", ms.build_id);
		fprintf(fp, "    DEBUGINFO: %s%s%s%s\n", ms.path[0] ? ms.path : ms.err,
			ms.how[0] ? " (" : "", ms.how, ms.how[0] ? ")" : "");
	}
	oc_modsyms_free(&ms);
}

/* ---- netdev ---- */

static void netdev_header(void)
{
	fprintf(fp, "%-16s %-16s %7s %10s %-20s %-24s %9s %9s %-24s %-20s %-16s %4s %s\n",
		"NET_DEVICE", "NAME", "IFINDEX", "NETNS", "REG_STATE", "STATE", "TXQ", "RXQ", "OPS",
		"RX_HANDLER", "MASTER", "REFS", "NOTE");
}

static void netdev_line(const struct oc_netdev *nd)
{
	char name[80], st[128], txq[32], rxq[32], master[24], refs[16], note[160];
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
	if (!oc_netdev_anomalous(nd, note, sizeof(note)))
		note[0] = '\0';
	fprintf(fp, "%-16lx %-16s %7d %10u %-20s %-24s %9s %9s %-24s %-20s %-16s %4s %s%s%s\n",
		nd->addr, oc_name(nd->name, name, sizeof(name)), nd->ifindex, nd->netns_inum,
		rs ? rs : "?", oc_state_names(nd->state, st, sizeof(st)), txq, rxq,
		nd->ops_sym[0] ? nd->ops_sym : "-",
		nd->rx_handler_sym[0] ? nd->rx_handler_sym : "-", master, refs,
		nd->listed ? "" : "UNLISTED ", note[0] ? "ANOMALY: " : "", note);
}

static void cmd_netdev(void)
{
	struct oc_netdev_list l = { 0 };
	struct oc_ovs o;
	struct oc_picktx *pt;
	struct cmd_opts opt;
	char name[80];
	ulong want_addr = 0;
	int i, shown = 0, json;
	json_object *doc = NULL, *arr = NULL;

	parse_opts("an:N:i:d:j", &opt);
	json = opt.json;
	if (args[optind])
		want_addr = htol(args[optind], FAULT_ON_ERROR, NULL);

	if (oc_netdev_walk(&l) < 0 && !json)
		error(INFO, "netdev: %s\n", l.warn);
	/* devices no longer listed but still referenced */
	if (!oc_ovs_walk(opt.dbg, &o)) {
		for (i = 0; i < o.nvports; i++)
			if (o.vports[i].dev_ok && !oc_netdev_list_find(&l, o.vports[i].nd.addr))
				oc_netdev_list_add(&l, &o.vports[i].nd);
	}
	pt = (struct oc_picktx *)GETBUF(sizeof(*pt));
	if (oc_picktx_find(pt) > 0)
		for (i = 0; i < pt->nspins; i++)
			if (pt->spins[i].dev_ok && !oc_netdev_list_find(&l, pt->spins[i].nd.addr))
				oc_netdev_list_add(&l, &pt->spins[i].nd);
	FREEBUF(pt);

	if (json) {
		doc = json_object_new_object();
		arr = json_object_new_array();
	} else {
		netdev_header();
	}
	for (i = 0; i < l.n; i++) {
		const struct oc_netdev *nd = &l.v[i];
		char why[160];

		if (want_addr && nd->addr != want_addr)
			continue;
		if (opt.netns >= 0 && nd->netns_inum != (unsigned long)opt.netns)
			continue;
		if (opt.ifindex >= 0 && nd->ifindex != opt.ifindex)
			continue;
		if (opt.name && strcmp(oc_name(nd->name, name, sizeof(name)), opt.name))
			continue;
		if (opt.anomalies && !oc_netdev_anomalous(nd, why, sizeof(why)))
			continue;
		shown++;
		if (json)
			json_object_array_add(arr, oc_json_netdev(nd));
		else
			netdev_line(nd);
	}
	if (json) {
		json_object_object_add(doc, "command", json_object_new_string("netdev"));
		json_object_object_add(doc, "devices", arr);
		json_object_object_add(doc, "warning", l.warn[0] ? json_object_new_string(l.warn) : NULL);
		json_object_object_add(doc, "ovs_status", o.status[0] ? json_object_new_string(o.status) : NULL);
		oc_json_print(doc);
	} else {
		if (l.warn[0])
			fprintf(fp, "WARNING: %s\n", l.warn);
		if (o.status[0])
			fprintf(fp, "NOTE: OVS vports not searched: %s\n", o.status);
		if (!shown)
			fprintf(fp, "(no matching devices)\n");
	}
	oc_ovs_free(&o);
	oc_netdev_list_free(&l);
}

/* ---- vport ---- */

static void cmd_vport(void)
{
	struct oc_ovs o;
	struct cmd_opts opt;
	char name[80], dname[80];
	int i;

	parse_opts("d:j", &opt);
	oc_ovs_walk(opt.dbg, &o);
	if (opt.json) {
		json_object *doc = json_object_new_object(), *dps = json_object_new_array(),
			    *vps = json_object_new_array();

		for (i = 0; i < o.ndps; i++)
			json_object_array_add(dps, oc_json_datapath(&o.dps[i]));
		for (i = 0; i < o.nvports; i++)
			json_object_array_add(vps, oc_json_vport(&o, &o.vports[i]));
		json_object_object_add(doc, "command", json_object_new_string("vport"));
		json_object_object_add(doc, "available", json_object_new_boolean(o.available));
		json_object_object_add(doc, "status", o.status[0] ? json_object_new_string(o.status) : NULL);
		json_object_object_add(doc, "datapaths", dps);
		json_object_object_add(doc, "vports", vps);
		json_object_object_add(doc, "warning", o.warn[0] ? json_object_new_string(o.warn) : NULL);
		oc_json_print(doc);
		oc_ovs_free(&o);
		return;
	}
	if (!o.available) {
		fprintf(fp, "vport: %s\n", o.status);
		return;
	}
	fprintf(fp, "%-16s %-16s %10s %5s\n", "DATAPATH", "NAME", "NETNS", "PORTS");
	for (i = 0; i < o.ndps; i++)
		fprintf(fp, "%-16lx %-16s %10u %5d\n", o.dps[i].addr,
			oc_name(o.dps[i].name, name, sizeof(name)), o.dps[i].netns_inum, o.dps[i].nports);
	fprintf(fp, "\n%-16s %-10s %4s %-9s %-16s %-16s %-20s %9s %-4s %s\n", "VPORT", "DATAPATH",
		"PORT", "TYPE", "NET_DEVICE", "NAME", "REG_STATE", "TXQ", "HOOK", "RACE");
	for (i = 0; i < o.nvports; i++) {
		const struct oc_vport *v = &o.vports[i];
		const char *rs = oc_nd_reg_state_name(v->nd.reg_state);
		char txq[32];

		snprintf(txq, sizeof(txq), "%ld/%ld", v->nd.real_num_tx, v->nd.num_tx);
		fprintf(fp, "%-16lx %-10s %4d %-9s %-16lx %-16s %-20s %9s %-4s %s\n", v->addr,
			oc_name(o.dps[v->dp_index].name, dname, sizeof(dname)), v->port_no,
			v->type_name, v->nd.addr, v->dev_ok ? oc_name(v->nd.name, name, sizeof(name)) : "?",
			rs ? rs : "?", txq, v->rx_hook_attached ? "yes" : "no",
			v->race_window ? "RACE" : "-");
		if (v->race_window)
			fprintf(fp, "%18s%s\n", "", v->race_why);
	}
	if (o.warn[0])
		fprintf(fp, "WARNING: %s\n", o.warn);
	oc_ovs_free(&o);
}

/* ---- ovsmod ---- */

static void cmd_ovsmod(void)
{
	struct oc_modsyms ms;
	struct cmd_opts opt;
	int rc;

	parse_opts("m:j", &opt);
	rc = oc_modsyms_ensure(opt.module, args[optind], &ms);
	if (opt.json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "command", json_object_new_string("ovsmod"));
		json_object_object_add(o, "module", json_object_new_string(ms.module));
		json_object_object_add(o, "loaded_in_dump", json_object_new_boolean(ms.loaded_in_dump));
		json_object_object_add(o, "symbols_loaded", json_object_new_boolean(ms.symbols_loaded));
		json_object_object_add(o, "build_id", ms.build_id[0] ? json_object_new_string(ms.build_id) : NULL);
		json_object_object_add(o, "path", ms.path[0] ? json_object_new_string(ms.path) : NULL);
		json_object_object_add(o, "how", ms.how[0] ? json_object_new_string(ms.how) : NULL);
		json_object_object_add(o, "error", rc ? json_object_new_string(ms.err) : NULL);
		json_object_object_add(o, "search", ms.report ? json_object_new_string(ms.report) : NULL);
		oc_json_print(o);
	} else if (rc) {
		fprintf(fp, "ovsmod: %s\n", ms.err);
		if (ms.report)
			fprintf(fp, "%s", ms.report);
	} else {
		fprintf(fp, "%s: %s (%s)\n", ms.module, ms.path, ms.how);
		if (ms.build_id[0])
			fprintf(fp, "BUILD-ID: %s\n", ms.build_id);
	}
	oc_modsyms_free(&ms);
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

static void cmd_picktx(void)
{
	struct oc_picktx *p;
	struct cmd_opts opt;
	int i;

	parse_opts("j", &opt);
	p = (struct oc_picktx *)GETBUF(sizeof(*p));
	oc_picktx_find(p);
	if (opt.json) {
		json_object *doc = json_object_new_object(), *arr = json_object_new_array();

		for (i = 0; i < p->nspins; i++)
			json_object_array_add(arr, oc_json_spin(&p->spins[i], p->gdb_off_delta));
		json_object_object_add(doc, "command", json_object_new_string("picktx"));
		json_object_object_add(doc, "function", json_object_new_string(p->func));
		json_object_object_add(doc, "function_address", oc_json_hex(p->func_addr));
		json_object_object_add(doc, "spins", arr);
		json_object_object_add(doc, "log_register_dumps", json_object_new_int(p->log_dumps));
		json_object_object_add(doc, "status", p->status[0] ? json_object_new_string(p->status) : NULL);
		oc_json_print(doc);
	} else if (!p->nspins) {
		fprintf(fp, "picktx: %s\n", p->status);
	} else {
		for (i = 0; i < p->nspins; i++) {
			if (i)
				fprintf(fp, "\n");
			spin_text(p, &p->spins[i]);
		}
	}
	FREEBUF(p);
}

/* ---- triage ---- */

static json_object *triage_json(struct oc_triage *t)
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
	json_object_object_add(doc, "spin", t->spin ? oc_json_spin(t->spin, t->pt.gdb_off_delta) : NULL);
	json_object_object_add(doc, "vport", t->vport ? oc_json_vport(&t->ovs, t->vport) : NULL);
	json_object_object_add(doc, "ovs_status", t->ovs.status[0] ?
			       json_object_new_string(t->ovs.status) : NULL);
	return doc;
}

static void cmd_triage(void)
{
	struct oc_triage *t;
	struct cmd_opts opt;

	parse_opts("d:j", &opt);
	t = (struct oc_triage *)GETBUF(sizeof(*t));
	oc_triage_run(opt.dbg, t);
	if (opt.json) {
		oc_json_print(triage_json(t));
	} else {
		oc_verdict_text(fp, &t->f, &t->v);
		fprintf(fp, "\nFIXES IN THIS KERNEL: carrier check (066b86787fa3) %s, running check (47e55e4b410f) %s\n",
			t->fix.carrier < 0 ? "unknown" : t->fix.carrier ? "present" : "ABSENT",
			t->fix.running < 0 ? "unknown" : t->fix.running ? "present" : "ABSENT");
		fprintf(fp, "  (%s)\n", t->fix.how);
		if (t->ovs.status[0])
			fprintf(fp, "NOTE: %s\n", t->ovs.status);
	}
	oc_triage_free(t);
	FREEBUF(t);
}
