// SPDX-License-Identifier: GPL-2.0
/*
 * verdict.c - rules from findings to a verdict.
 *
 * The OVS lockup: a CPU spins in netdev_pick_tx's `hash -= qcount` loop
 * with qcount == 0 because OVS still transmits to a device whose
 * real_num_tx_queues was zeroed while it was being unregistered.  All
 * four observations (spin in the loop, qcount 0, dev->real_num_tx_queues
 * 0, a vport pointing at dev) give the highest confidence; an unknown one
 * lowers it with a stated caveat; a contradicting one changes the kind.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "strutil.h"
#include "verdict.h"

const struct oc_fix_commit oc_fix_commits[] = {
	{ "066b86787fa3", "net: openvswitch: fix race on port output" },
	{ "47e55e4b410f",
	  "openvswitch: fix lockup on tx to unregistering netdev with carrier" },
};
const int oc_nfix_commits =
	(int)(sizeof(oc_fix_commits) / sizeof(oc_fix_commits[0]));

void oc_findings_init(struct oc_findings *f)
{
	memset(f, 0, sizeof(*f));
	f->have_spin_frame = OC_UNKNOWN;
	f->cpu = -1;
	f->pc_in_loop = OC_UNKNOWN;
	f->dev_reg_state = -1;
	f->vport_found = OC_UNKNOWN;
	f->port_no = -1;
	f->fix_carrier_check_present = OC_UNKNOWN;
	f->fix_running_check_present = OC_UNKNOWN;
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

const char *oc_reg_state_name(int s)
{
	static const char *const names[] = {
		"NETREG_UNINITIALIZED", "NETREG_REGISTERED",
		"NETREG_UNREGISTERING", "NETREG_UNREGISTERED",
		"NETREG_RELEASED", "NETREG_DUMMY",
	};

	if (s < 0 || s >= (int)(sizeof(names) / sizeof(names[0])))
		return "unknown";
	return names[s];
}

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

static void not_this_bug(const struct oc_findings *f, struct oc_verdict *v)
{
	v->kind = OC_V_NOT_THIS_BUG;
	v->signature = "not-ovs-picktx";
	v->confidence = 85;
	add_evidence(v, f->cmd_frame,
		     "no CPU is interrupted in netdev_pick_tx");
	panic_evidence(f, v);
	if (f->panic_string[0]) {
		snprintf(v->summary, sizeof(v->summary),
			 "no CPU spins in netdev_pick_tx; panic: %.200s",
			 f->panic_string);
	} else {
		snprintf(v->summary, sizeof(v->summary),
			 "no CPU spins in netdev_pick_tx");
		add_caveat(v, 15, "panic string not available");
	}
}

static void spin_other(const struct oc_findings *f, struct oc_verdict *v,
		       const char *why)
{
	v->kind = OC_V_PICKTX_SPIN_OTHER;
	v->signature = "picktx-spin-other";
	v->confidence = 60;
	snprintf(v->summary, sizeof(v->summary),
		 "CPU spins in netdev_pick_tx, but %.200s", why);
	panic_evidence(f, v);
}

void oc_verdict_decide(const struct oc_findings *f, struct oc_verdict *v)
{
	char why[224] = "";

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
	else if (f->vport_found == 0)
		snprintf(why, sizeof(why),
			 "no Open vSwitch vport refers to the device");
	if (why[0]) {
		spin_other(f, v, why);
		add_evidence(v, f->cmd_regs, "%s", why);
		goto out;
	}

	v->kind = OC_V_OVS_PICKTX_LOCKUP;
	v->signature = "ovs-unregister-picktx-lockup";
	v->confidence = 95;
	v->fixes = oc_fix_commits;
	v->nfixes = oc_nfix_commits;

	if (f->pc_in_loop == 1)
		add_evidence(v, f->cmd_frame,
			     "PC is inside the `hash -= qcount` loop");
	else
		add_caveat(v, 15, "PC not matched to the loop (no disassembly)");
	if (f->qcount_valid)
		add_evidence(v, f->cmd_regs, "qcount register %s = 0",
			     or_unknown(f->qcount_reg));
	else
		add_caveat(v, 20, "qcount register value not available");
	if (f->hash_valid)
		add_evidence(v, f->cmd_regs, "hash register %s = %llu",
			     or_unknown(f->hash_reg), (unsigned long long)f->hash);
	if (f->dev_valid)
		add_evidence(v, f->cmd_dev, "net_device %#llx \"%s\"",
			     (unsigned long long)f->dev_addr,
			     or_unknown(f->dev_name));
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
	if (f->dev_reg_state >= 0)
		add_evidence(v, f->cmd_dev, "dev->reg_state = %s",
			     oc_reg_state_name(f->dev_reg_state));
	if (f->vport_found == 1) {
		if (f->port_no >= 0)
			add_evidence(v, f->cmd_vport,
				     "OVS datapath %s port %d refers to the device",
				     or_unknown(f->dp_name), f->port_no);
		else
			add_evidence(v, f->cmd_vport,
				     "OVS datapath %s has a vport for the device",
				     or_unknown(f->dp_name));
	} else {
		add_caveat(v, 25, "no OVS vport checked against the device");
	}
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
		add_caveat(v, 10,
			   "do_output already has both fixes: the queues "
			   "were zeroed another way");
	panic_evidence(f, v);
	snprintf(v->summary, sizeof(v->summary),
		 "Open vSwitch transmit to unregistering device %.64s: "
		 "netdev_pick_tx spins in `hash -= qcount` with qcount 0",
		 or_unknown(f->dev_name));
out:
	if (v->kind != OC_V_UNKNOWN)
		clamp(v);
}
