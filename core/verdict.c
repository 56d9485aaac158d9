// SPDX-License-Identifier: GPL-2.0
/*
 * verdict.c - rules from findings to a verdict.
 *
 * The OVS lockup: a CPU spins in netdev_pick_tx's `hash -= qcount` loop
 * with qcount == 0, reached from Open vSwitch's transmit path
 * (ovs_vport_send / do_output, inlined into do_execute_actions on Debian's
 * 6.1), because OVS still transmits to a device whose real_num_tx_queues
 * was zeroed while it was being unregistered.  The rules, their evidence
 * and their confidence are documented in docs/verdict.md.
 *
 * What is NOT evidence against OVS: a missing vport.  In the real race
 * OVS's notify work unlinks the vport while the other CPU spins, so the
 * dump usually has none.  The transmit path on the spinning CPU's stack
 * (or in the log's call trace) decides between OVS and another sender.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "strutil.h"
#include "verdict.h"

const struct oc_fix_commit oc_fix_commits[] = {
	{ "066b86787fa3", "net: openvswitch: fix race on port output",
	  "netif_carrier_ok(vport->dev)" },
	{ "47e55e4b410f",
	  "openvswitch: fix lockup on tx to unregistering netdev with carrier",
	  "netif_running(vport->dev)" },
};
const int oc_nfix_commits =
	(int)(sizeof(oc_fix_commits) / sizeof(oc_fix_commits[0]));

void oc_findings_init(struct oc_findings *f)
{
	memset(f, 0, sizeof(*f));
	f->have_spin_frame = OC_UNKNOWN;
	f->cpu = -1;
	f->pc_in_loop = OC_UNKNOWN;
	f->dev_running = OC_UNKNOWN;
	f->dev_carrier = OC_UNKNOWN;
	f->vport_found = OC_UNKNOWN;
	f->port_no = -1;
	f->fix_carrier_check_present = OC_UNKNOWN;
	f->fix_running_check_present = OC_UNKNOWN;
	f->ovs_path = OC_UNKNOWN;
}

const char *oc_verdict_kind_name(enum oc_verdict_kind k)
{
	switch (k) {
	case OC_V_OVS_PICKTX_LOCKUP:
		return "OVS_PICKTX_LOCKUP";
	case OC_V_PICKTX_SPIN_OTHER:
		return "PICKTX_SPIN_OTHER";
	case OC_V_NOT_THIS_BUG:
		return "NOT_THIS_BUG";
	case OC_V_UNKNOWN:
		break;
	}
	return "UNKNOWN";
}

/* ---- how the packet got to netdev_pick_tx ---- */

/* generic transmit frames between netdev_pick_tx and whoever sent */
static const char *const xmit_frames[] = {
	"netdev_pick_tx", "netdev_core_pick_tx", "__dev_queue_xmit",
	"dev_queue_xmit", "dev_queue_xmit_accel", "__dev_direct_xmit",
	"dev_hard_start_xmit", "sch_direct_xmit", "__qdisc_run",
	"tcf_dev_queue_xmit",	/* tc's wrapper, below tcf_mirred_act on arm64 */
	NULL,
};

/* Open vSwitch's output path (module openvswitch, or built in) */
static const char *const ovs_tx_frames[] = {
	"ovs_vport_send", "do_output", "do_execute_actions",
	"ovs_execute_actions", NULL,
};

/* other senders that end in dev_queue_xmit, by function-name prefix */
static const struct {
	const char *prefix;
	const char *path;
} other_senders[] = {
	{ "tcf_mirred", "tc mirred" },
	{ "tcf_action", "tc action" },
	{ "tcf_classify", "tc classifier" },
	{ "bond_", "bonding" },
	{ "team_", "team" },
	{ "skb_do_redirect", "BPF redirect" },
	{ "bpf_", "BPF" },
	{ "xdp_", "XDP" },
	{ "br_", "bridge" },
	{ "macvlan_", "macvlan" },
	{ "ipvlan_", "ipvlan" },
	{ "vlan_dev_", "VLAN" },
	{ "ip_tunnel_xmit", "IP tunnel" },
	{ "iptunnel_xmit", "IP tunnel" },
	{ "udp_tunnel", "UDP tunnel" },
	{ "vxlan_", "VXLAN" },
	{ "geneve_", "Geneve" },
	{ "gre_", "GRE" },
	{ "neigh_", "IP stack (neighbour output)" },
	{ "ip_finish_output", "IP stack" },
	{ "ip6_finish_output", "IPv6 stack" },
	{ "packet_", "AF_PACKET socket" },
	{ "arp_", "ARP" },
};

static int is_ovs_frame(const struct oc_frame *fr)
{
	return oc_str_in_list(fr->sym, ovs_tx_frames) &&
	       (!fr->mod[0] || !strcmp(fr->mod, "openvswitch"));
}

static void path_append(char *buf, size_t n, const struct oc_frame *fr)
{
	char sym[OC_PS_SYM_MAX * 4], mod[OC_PS_MOD_MAX * 4];
	char piece[sizeof(sym) + sizeof(mod) + 8];
	size_t len = strlen(buf);

	oc_escape_text((const unsigned char *)fr->sym, strlen(fr->sym), sym, sizeof(sym));
	oc_escape_text((const unsigned char *)fr->mod, strlen(fr->mod), mod, sizeof(mod));
	snprintf(piece, sizeof(piece), "%s%s%s%s%s", len ? " <- " : "",
		 sym, mod[0] ? " [" : "", mod, mod[0] ? "]" : "");
	if (len < n)
		oc_strlcpy(buf + len, piece, n - len);	/* cut at the end */
}

void oc_findings_path(struct oc_findings *f, const struct oc_frame *frames,
		      int n, const char *source, const char *cmd)
{
	int i, start = 0, shown = 0;
	size_t k;

	f->path[0] = '\0';
	f->other_path[0] = '\0';
	f->ovs_path = OC_UNKNOWN;
	oc_strlcpy(f->path_source, source ? source : "", sizeof(f->path_source));
	oc_strlcpy(f->cmd_path, cmd ? cmd : "", sizeof(f->cmd_path));
	for (i = 0; i < n; i++)
		if (!frames[i].unreliable && !strcmp(frames[i].sym, "netdev_pick_tx")) {
			start = i + 1;
			break;
		}
	for (i = start; i < n; i++) {
		const struct oc_frame *fr = &frames[i];

		if (fr->unreliable)
			continue;
		if (shown++ < 6)
			path_append(f->path, sizeof(f->path), fr);
		if (f->ovs_path != OC_UNKNOWN || oc_str_in_list(fr->sym, xmit_frames))
			continue;
		/* the first frame past the generic transmit helpers sent it */
		if (is_ovs_frame(fr)) {
			f->ovs_path = 1;
			continue;
		}
		f->ovs_path = 0;
		for (k = 0; k < sizeof(other_senders) / sizeof(other_senders[0]); k++)
			if (!strncmp(fr->sym, other_senders[k].prefix,
				     strlen(other_senders[k].prefix))) {
				oc_strlcpy(f->other_path, other_senders[k].path,
					   sizeof(f->other_path));
				break;
			}
		if (!f->other_path[0]) {
			char sym[OC_PS_SYM_MAX * 4];

			oc_escape_text((const unsigned char *)fr->sym, strlen(fr->sym),
				       sym, sizeof(sym));
			snprintf(f->other_path, sizeof(f->other_path), "%.63s", sym);
		}
	}
}

void oc_findings_panic(struct oc_findings *f, const struct oc_panic_list *l)
{
	const struct oc_panic_report *r;
	char sym[OC_PS_SYM_MAX * 4], mod[OC_PS_MOD_MAX * 4];

	f->panic_kind[0] = f->panic_where[0] = f->panic_bucket[0] = '\0';
	f->panic_func[0] = f->panic_mod[0] = '\0';
	f->panic_bucket_desc[0] = f->panic_cpu_text[0] = '\0';
	if (!l || !l->n)
		return;
	r = &l->v[l->primary >= 0 && (size_t)l->primary < l->n ? (size_t)l->primary : 0];
	oc_strlcpy(f->panic_kind, oc_panic_kind_name(r->kind), sizeof(f->panic_kind));
	if (r->have_where) {
		oc_escape_text((const unsigned char *)r->where.sym, strlen(r->where.sym),
			       sym, sizeof(sym));
		oc_escape_text((const unsigned char *)r->where.mod, strlen(r->where.mod),
			       mod, sizeof(mod));
		snprintf(f->panic_where, sizeof(f->panic_where), "%.120s+0x%lx%s%.60s%s",
			 sym, r->where.off, mod[0] ? " [" : "", mod, mod[0] ? "]" : "");
		oc_strlcpy(f->panic_func, sym, sizeof(f->panic_func));
		oc_strlcpy(f->panic_mod, mod, sizeof(f->panic_mod));
	}
	if (r->cpu >= 0)
		snprintf(f->panic_cpu_text, sizeof(f->panic_cpu_text), "CPU %d", r->cpu);
	oc_panic_bucket(r, f->panic_bucket, f->panic_bucket_desc,
			sizeof(f->panic_bucket_desc));
	if (!f->panic_string[0] && l->panic_message[0])
		oc_escape_text((const unsigned char *)l->panic_message,
			       strlen(l->panic_message), f->panic_string,
			       sizeof(f->panic_string));
}

/* ---- building the verdict ---- */

__attribute__((format(printf, 3, 4)))
static void add_evidence(struct oc_verdict *v, const char *cmd,
			 const char *fmt, ...)
{
	struct oc_evidence *e;
	va_list ap;

	if (v->nevidence >= OC_MAX_EVIDENCE)
		return;
	e = &v->evidence[v->nevidence++];
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
	oc_strlcpy(e->cmd, cmd ? cmd : "", sizeof(e->cmd));
}

__attribute__((format(printf, 3, 4)))
static void add_caveat(struct oc_verdict *v, int penalty, const char *fmt,
		       ...)
{
	va_list ap;

	v->confidence -= penalty;
	if (v->ncaveats >= OC_MAX_CAVEATS)
		return;
	va_start(ap, fmt);
	vsnprintf(v->caveats[v->ncaveats++], sizeof(v->caveats[0]), fmt, ap);
	va_end(ap);
}

static void clamp(struct oc_verdict *v)
{
	if (v->confidence < 5)
		v->confidence = 5;
	if (v->confidence > 100)
		v->confidence = 100;
}

static const char *or_unknown(const char *s)
{
	return s[0] ? s : "?";
}

static void frame_evidence(const struct oc_findings *f, struct oc_verdict *v)
{
	if (f->cpu >= 0)
		add_evidence(v, f->cmd_frame,
			     "CPU %d interrupted at %s+0x%lx", f->cpu,
			     or_unknown(f->pc_sym), f->pc_off);
	else
		add_evidence(v, f->cmd_frame, "a CPU interrupted at %s+0x%lx",
			     or_unknown(f->pc_sym), f->pc_off);
}

static void panic_evidence(const struct oc_findings *f, struct oc_verdict *v)
{
	if (f->panic_string[0])
		add_evidence(v, f->cmd_panic, "panic: %s", f->panic_string);
}

static void path_evidence(const struct oc_findings *f, struct oc_verdict *v)
{
	if (f->path[0])
		add_evidence(v, f->cmd_path, "called from %s (%s)", f->path,
			     or_unknown(f->path_source));
}

/* "unregistering" from NETREG_UNREGISTERING, "" when not read */
static void reg_word(const struct oc_findings *f, char *w, size_t n)
{
	size_t i = 0;

	if (!strncmp(f->dev_reg_state, "NETREG_", 7))
		for (; f->dev_reg_state[7 + i] && i + 1 < n; i++) {
			char c = f->dev_reg_state[7 + i];

			w[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
	if (n)
		w[i] = '\0';
}

/* "not running, no carrier" from what was read */
static void link_words(const struct oc_findings *f, char *w, size_t n)
{
	snprintf(w, n, "%s%s%s",
		 f->dev_running < 0 ? "" : f->dev_running ? "running" : "not running",
		 f->dev_running >= 0 && f->dev_carrier >= 0 ? ", " : "",
		 f->dev_carrier < 0 ? "" : f->dev_carrier ? "carrier on" : "no carrier");
}

/* "unregistering, not running, no carrier" */
static void state_words(const struct oc_findings *f, struct oc_verdict *v)
{
	char reg[40], link[48];

	reg_word(f, reg, sizeof(reg));
	link_words(f, link, sizeof(link));
	snprintf(v->state_words, sizeof(v->state_words), "%s%s%s", reg,
		 reg[0] && link[0] ? ", " : "", link);
}

/* Would each fix's check in do_output() have refused this device? */
static void judge_fixes(const struct oc_findings *f, struct oc_verdict *v)
{
	int i, stop_any = 0, known = 0;

	v->fixes = oc_fix_commits;
	v->nfixes = oc_nfix_commits;
	for (i = 0; i < oc_nfix_commits && i < 2; i++) {
		struct oc_fix_judgement *j = &v->judged[i];
		/* 0: 066b86787fa3 tests the carrier; 1: 47e55e4b410f running */
		int state = i == 0 ? f->dev_carrier : f->dev_running;
		const char *what = i == 0 ? "carrier" : "running";

		j->fix = &oc_fix_commits[i];
		j->present = i == 0 ? f->fix_carrier_check_present :
			     f->fix_running_check_present;
		j->would_stop = state < 0 ? OC_UNKNOWN : !state;
		if (state < 0)
			snprintf(j->why, sizeof(j->why),
				 "the device's %s state was not read", what);
		else if (i == 0)
			snprintf(j->why, sizeof(j->why), "%s is %s: %s would %s",
				 oc_fix_commits[i].check,
				 state ? "true (carrier on)" : "false (NOCARRIER set)",
				 oc_fix_commits[i].commit, state ? "not stop it" : "stop it");
		else
			snprintf(j->why, sizeof(j->why), "%s is %s: %s would %s",
				 oc_fix_commits[i].check,
				 state ? "true (__LINK_STATE_START set)" :
					 "false (__LINK_STATE_START clear)",
				 oc_fix_commits[i].commit, state ? "not stop it" : "stop it");
		if (j->would_stop >= 0)
			known++;
		if (j->would_stop == 1)
			stop_any = 1;
	}
	for (i = 0; i < 2; i++)
		if (v->judged[i].would_stop >= 0)
			add_evidence(v, f->cmd_dev, "%s", v->judged[i].why);
	if (known == 2 && !stop_any)
		add_evidence(v, f->cmd_dev,
			     "neither upstream check would have stopped this state "
			     "(device running with carrier on)");
}

/*
 * This build's do_output() has both checks.  If one of them refuses the
 * device's state, a transmit through it could not have happened: a
 * contradiction.  If neither does (running, carrier on), the fixed kernel
 * spins too and the queues were zeroed another way: evidence, not doubt.
 */
static void fixed_build(const struct oc_findings *f, struct oc_verdict *v)
{
	int i;

	for (i = 0; i < 2; i++)
		if (v->judged[i].would_stop == 1) {
			add_caveat(v, 25,
				   "do_output has %s, which refuses this device: "
				   "the transmit did not come through this do_output",
				   v->judged[i].fix->check);
			return;
		}
	if (v->judged[0].would_stop == 0 && v->judged[1].would_stop == 0)
		add_evidence(v, f->cmd_fix,
			     "do_output has both fixes, which do not refuse a "
			     "running device with carrier: the queues were "
			     "zeroed another way");
	else
		add_caveat(v, 10,
			   "do_output already has both fixes: the queues "
			   "were zeroed another way");
}

static void not_this_bug(const struct oc_findings *f, struct oc_verdict *v)
{
	v->kind = OC_V_NOT_THIS_BUG;
	v->signature = "not-ovs-picktx";
	v->confidence = 85;
	add_evidence(v, f->cmd_frame,
		     "no CPU is interrupted in netdev_pick_tx");
	if (f->panic_kind[0])
		add_evidence(v, f->cmd_panic, "the log's panic report: %s%s%s%s%s",
			     f->panic_kind, f->panic_where[0] ? " at " : "",
			     f->panic_where, f->panic_cpu_text[0] ? " on " : "",
			     f->panic_cpu_text);
	panic_evidence(f, v);
	if (f->panic_kind[0]) {
		snprintf(v->summary, sizeof(v->summary), "%s%s%.120s%s%s (bucket %s)",
			 f->panic_kind, f->panic_where[0] ? " in " : "",
			 f->panic_where, f->panic_cpu_text[0] ? " on " : "",
			 f->panic_cpu_text, or_unknown(f->panic_bucket));
	} else if (f->panic_string[0]) {
		snprintf(v->summary, sizeof(v->summary),
			 "no CPU spins in netdev_pick_tx; panic: %.200s",
			 f->panic_string);
		add_caveat(v, 10, "no panic report found in the log");
	} else {
		snprintf(v->summary, sizeof(v->summary),
			 "no CPU spins in netdev_pick_tx");
		add_caveat(v, 15, "panic string not available");
	}
}

static void spin_other(const struct oc_findings *f, struct oc_verdict *v,
		       const char *signature, int confidence, const char *why)
{
	v->kind = OC_V_PICKTX_SPIN_OTHER;
	v->signature = signature;
	v->confidence = confidence;
	snprintf(v->summary, sizeof(v->summary),
		 "CPU spins in netdev_pick_tx, but %.200s", why);
	add_evidence(v, f->cmd_regs, "%s", why);
	panic_evidence(f, v);
}

/* the victim's tenant: its veth peer, the peer's namespace, who lives there */
static void tenant_evidence(const struct oc_findings *f, struct oc_verdict *v)
{
	int i;

	for (i = 0; i < f->ntenant_ev && i < OC_TENANT_EV; i++)
		add_evidence(v, f->tenant_ev[i].cmd, "%s", f->tenant_ev[i].text);
}

static void device_evidence(const struct oc_findings *f, struct oc_verdict *v)
{
	if (f->qcount_valid)
		add_evidence(v, f->cmd_regs, "qcount register %s = 0",
			     or_unknown(f->qcount_reg));
	else
		add_caveat(v, 20, "qcount register value not available");
	if (f->hash_valid)
		add_evidence(v, f->cmd_regs, "hash register %s = %llu",
			     or_unknown(f->hash_reg), (unsigned long long)f->hash);
	if (f->dev_valid && f->dev_name[0])
		add_evidence(v, f->cmd_dev, "net_device %#llx \"%s\"",
			     (unsigned long long)f->dev_addr, f->dev_name);
	else if (f->dev_valid)	/* from a register, memory not read */
		add_evidence(v, f->cmd_dev, "net_device %#llx",
			     (unsigned long long)f->dev_addr);
	else
		add_caveat(v, 10, "net_device address not known");
	if (f->dev_rntq_valid && f->dev_real_num_tx_queues == 0)
		add_evidence(v, f->cmd_dev, "dev->real_num_tx_queues = 0");
	else if (f->dev_rntq_valid)
		add_caveat(v, 25,
			   "dev->real_num_tx_queues = %lu while qcount is 0: "
			   "dev address may be wrong",
			   f->dev_real_num_tx_queues);
	else
		add_caveat(v, 10, "dev->real_num_tx_queues not read");
	if (f->dev_reg_state[0])
		add_evidence(v, f->cmd_dev, "dev->reg_state = %s", f->dev_reg_state);
	if (f->dev_state[0])
		add_evidence(v, f->cmd_dev, "dev->state = %s", f->dev_state);
	tenant_evidence(f, v);
}

static void ovs_lockup(const struct oc_findings *f, struct oc_verdict *v)
{
	v->kind = OC_V_OVS_PICKTX_LOCKUP;
	v->signature = "ovs-unregister-picktx-lockup";
	v->confidence = 95;

	if (f->pc_in_loop == 1)
		add_evidence(v, f->cmd_frame,
			     "PC is inside the `hash -= qcount` loop");
	else
		add_caveat(v, 15, "PC not matched to the loop (the loop was not decoded)");
	path_evidence(f, v);
	device_evidence(f, v);
	if (f->vport_found == 1) {
		if (f->port_no >= 0)
			add_evidence(v, f->cmd_vport,
				     "OVS datapath %s port %d refers to the device",
				     or_unknown(f->dp_name), f->port_no);
		else
			add_evidence(v, f->cmd_vport,
				     "OVS datapath %s has a vport for the device",
				     or_unknown(f->dp_name));
	} else if (f->vport_found == 0) {
		/* the real race: OVS's notify work has already unlinked it */
		add_evidence(v, f->cmd_vport,
			     "no OVS vport refers to the device any more: "
			     "OVS's notify work unlinked it while this CPU spun, "
			     "as in the real race");
	} else {
		add_caveat(v, 10, "no OVS vport checked against the device");
	}
	judge_fixes(f, v);
	if (f->fix_carrier_check_present == 0 ||
	    f->fix_running_check_present == 0)
		add_evidence(v, f->cmd_fix,
			     "do_output lacks the %s%s%s check: a fix is missing",
			     f->fix_running_check_present == 0 ?
			     "netif_running" : "",
			     f->fix_running_check_present == 0 &&
			     f->fix_carrier_check_present == 0 ? " and " : "",
			     f->fix_carrier_check_present == 0 ?
			     "netif_carrier_ok" : "");
	else if (f->fix_carrier_check_present == 1 &&
		 f->fix_running_check_present == 1)
		fixed_build(f, v);
	panic_evidence(f, v);
	state_words(f, v);
	{
		char reg[40], link[48];

		char who[96];

		reg_word(f, reg, sizeof(reg));
		link_words(f, link, sizeof(link));
		/* the name when read, else the register's address */
		if (f->dev_name[0])
			snprintf(who, sizeof(who), "device %.64s", f->dev_name);
		else if (f->dev_valid)
			snprintf(who, sizeof(who), "device at %#llx",
				 (unsigned long long)f->dev_addr);
		else
			snprintf(who, sizeof(who), "a device");
		snprintf(v->summary, sizeof(v->summary),
			 "Open vSwitch transmit to %.30s%s%.90s%s%.40s%s: "
			 "netdev_pick_tx spins in `hash -= qcount` with qcount 0",
			 reg, reg[0] ? " " : "", who,
			 link[0] ? " (" : "", link, link[0] ? ")" : "");
	}
}

void oc_verdict_decide(const struct oc_findings *found, struct oc_verdict *v)
{
	struct oc_findings g = *found, *f = &g;
	char why[224] = "";

	/* an unreadable log: whatever panic text came from it is not used */
	if (f->log_problem[0]) {
		f->panic_string[0] = f->panic_kind[0] = f->panic_where[0] = '\0';
		f->panic_func[0] = f->panic_mod[0] = f->panic_bucket[0] = '\0';
		f->panic_bucket_desc[0] = f->panic_cpu_text[0] = '\0';
	}

	memset(v, 0, sizeof(*v));
	v->kind = OC_V_UNKNOWN;
	v->signature = "unknown";

	if (f->have_spin_frame == 0) {
		not_this_bug(f, v);
		goto out;
	}
	if (f->have_spin_frame != 1) {
		v->confidence = 0;
		snprintf(v->summary, sizeof(v->summary),
			 "could not tell whether a CPU spins in netdev_pick_tx");
		panic_evidence(f, v);
		goto out;
	}

	frame_evidence(f, v);
	/* contradictions: a spin in netdev_pick_tx, but not this one */
	if (f->pc_in_loop == 0)
		snprintf(why, sizeof(why),
			 "PC +0x%lx is outside the `hash -= qcount` loop",
			 f->pc_off);
	else if (f->qcount_valid && f->qcount != 0)
		snprintf(why, sizeof(why),
			 "qcount is %llu, not 0: the loop terminates",
			 (unsigned long long)f->qcount);
	if (why[0]) {
		spin_other(f, v, "picktx-spin-other", 60, why);
		goto out;
	}
	/* the same spin reached by another sender: OVS's fixes don't apply */
	if (f->ovs_path == 0) {
		snprintf(why, sizeof(why),
			 "it was reached through %.60s, not Open vSwitch: the "
			 "OVS fixes do not apply", or_unknown(f->other_path));
		spin_other(f, v, "picktx-spin-other-path", 80, why);
		path_evidence(f, v);
		device_evidence(f, v);
		state_words(f, v);
		goto out;
	}
	if (f->ovs_path != 1) {
		spin_other(f, v, "picktx-spin-path-unknown", 50,
			   "the transmit path is not known (no stack or call "
			   "trace of the spinning CPU): an OVS verdict needs "
			   "ovs_vport_send/do_output on it");
		device_evidence(f, v);
		state_words(f, v);
		goto out;
	}
	ovs_lockup(f, v);
out:
	if (f->log_problem[0])
		add_caveat(v, v->kind == OC_V_UNKNOWN ? 0 : 5,
			   "no panic string: %.140s", f->log_problem);
	/* a verdict on what was gathered, said to be partial */
	if (f->partial[0])
		add_caveat(v, v->kind == OC_V_UNKNOWN ? 0 : 10,
			   "partial: evidence gathering %.140s", f->partial);
	if (v->kind != OC_V_UNKNOWN)
		clamp(v);
}
