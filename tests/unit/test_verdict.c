// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "verdict.h"
#include "verdict_out.h"

static struct oc_findings f;
static struct oc_verdict v;

/* Everything the seed's dump shows, as the extension would fill it. */
static void full(void)
{
	oc_findings_init(&f);
	f.have_spin_frame = 1;
	f.cpu = 1;
	strcpy(f.pc_sym, "netdev_pick_tx");
	f.pc_off = 0x27c;
	f.pc_in_loop = 1;
	f.hash = 0;
	f.hash_valid = 1;
	f.qcount = 0;
	f.qcount_valid = 1;
	strcpy(f.hash_reg, "x2");
	strcpy(f.qcount_reg, "x25");
	f.dev_addr = 0xffff0020c7f1d000ULL;
	f.dev_valid = 1;
	f.dev_real_num_tx_queues = 0;
	f.dev_rntq_valid = 1;
	/* the original report's state 14, names as the debuginfo gives them */
	strcpy(f.dev_reg_state, "NETREG_UNREGISTERING");
	strcpy(f.dev_state, "PRESENT|NOCARRIER|LINKWATCH_PENDING");
	f.dev_running = 0;
	f.dev_carrier = 0;
	strcpy(f.dev_name, "veth1");
	f.vport_found = 1;
	strcpy(f.dp_name, "ovs-system");
	f.port_no = 2;
	f.fix_carrier_check_present = 0;
	f.fix_running_check_present = 0;
	strcpy(f.panic_string, "softlockup: hung tasks");
	strcpy(f.cmd_frame, "bt -E -c 1");
	strcpy(f.cmd_regs, "ovscrash picktx");
	strcpy(f.cmd_dev, "ovscrash netdev ffff0020c7f1d000");
	strcpy(f.cmd_vport, "ovscrash vport");
	strcpy(f.cmd_fix, "dis -l do_output");
	strcpy(f.cmd_panic, "sys");
	f.ovs_path = 1;
	strcpy(f.path, "netdev_core_pick_tx <- __dev_queue_xmit <- "
	       "ovs_vport_send [openvswitch] <- do_output [openvswitch]");
	strcpy(f.path_source, "stack of CPU 1");
	strcpy(f.cmd_path, "bt -c 1");
}

static struct oc_frame fr(const char *sym, const char *mod, int unreliable)
{
	struct oc_frame x;

	memset(&x, 0, sizeof(x));
	strcpy(x.sym, sym);
	strcpy(x.mod, mod);
	x.unreliable = unreliable;
	return x;
}

static void ev(int i, const char *text, const char *cmd)
{
	assert_true(i < v.nevidence);
	assert_string_equal(v.evidence[i].text, text);
	assert_string_equal(v.evidence[i].cmd, cmd);
}

static void test_init(void **state)
{
	(void)state;
	memset(&f, 0x55, sizeof(f));
	oc_findings_init(&f);
	assert_int_equal(f.have_spin_frame, OC_UNKNOWN);
	assert_int_equal(f.pc_in_loop, OC_UNKNOWN);
	assert_int_equal(f.vport_found, OC_UNKNOWN);
	assert_int_equal(f.ovs_path, OC_UNKNOWN);
	assert_int_equal(f.dev_running, OC_UNKNOWN);
	assert_int_equal(f.dev_carrier, OC_UNKNOWN);
	assert_string_equal(f.dev_reg_state, "");
	assert_int_equal(f.port_no, -1);
	assert_int_equal(f.cpu, -1);
	assert_int_equal(f.fix_carrier_check_present, OC_UNKNOWN);
	assert_int_equal(f.fix_running_check_present, OC_UNKNOWN);
	assert_false(f.qcount_valid);
	assert_string_equal(f.dev_name, "");
}

/* The real race as the original report and the race fixture have it:
 * the vport is already gone, the device is not running, no carrier. */
static void test_real_race(void **state)
{
	(void)state;
	full();
	f.vport_found = 0;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_OVS_PICKTX_LOCKUP);
	assert_string_equal(v.signature, "ovs-unregister-picktx-lockup");
	assert_int_equal(v.confidence, 95);
	assert_int_equal(v.ncaveats, 0);
	assert_string_equal(v.summary,
		"Open vSwitch transmit to unregistering device veth1 "
		"(not running, no carrier): "
		"netdev_pick_tx spins in `hash -= qcount` with qcount 0");
	assert_string_equal(v.state_words, "unregistering, not running, no carrier");
	assert_int_equal(v.nfixes, 2);
	assert_string_equal(v.fixes[0].commit, "066b86787fa3");
	assert_string_equal(v.fixes[0].subject,
			    "net: openvswitch: fix race on port output");
	assert_string_equal(v.fixes[1].commit, "47e55e4b410f");
	assert_string_equal(v.fixes[1].subject,
		"openvswitch: fix lockup on tx to unregistering netdev with carrier");
	assert_int_equal(v.judged[0].would_stop, 1);
	assert_int_equal(v.judged[1].would_stop, 1);
	assert_int_equal(v.judged[0].present, 0);
	assert_int_equal(v.judged[1].present, 0);
	assert_int_equal(v.nevidence, 14);
	ev(0, "CPU 1 interrupted at netdev_pick_tx+0x27c", "bt -E -c 1");
	ev(1, "PC is inside the `hash -= qcount` loop", "bt -E -c 1");
	ev(2, "called from netdev_core_pick_tx <- __dev_queue_xmit <- "
	      "ovs_vport_send [openvswitch] <- do_output [openvswitch] "
	      "(stack of CPU 1)", "bt -c 1");
	ev(3, "qcount register x25 = 0", "ovscrash picktx");
	ev(4, "hash register x2 = 0", "ovscrash picktx");
	ev(5, "net_device 0xffff0020c7f1d000 \"veth1\"",
	   "ovscrash netdev ffff0020c7f1d000");
	ev(6, "dev->real_num_tx_queues = 0", "ovscrash netdev ffff0020c7f1d000");
	ev(7, "dev->reg_state = NETREG_UNREGISTERING",
	   "ovscrash netdev ffff0020c7f1d000");
	ev(8, "dev->state = PRESENT|NOCARRIER|LINKWATCH_PENDING",
	   "ovscrash netdev ffff0020c7f1d000");
	ev(9, "no OVS vport refers to the device any more: OVS's notify work "
	      "unlinked it while this CPU spun, as in the real race",
	   "ovscrash vport");
	ev(10, "netif_carrier_ok(vport->dev) is false (NOCARRIER set): "
	       "066b86787fa3 would stop it", "ovscrash netdev ffff0020c7f1d000");
	ev(11, "netif_running(vport->dev) is false (__LINK_STATE_START clear): "
	       "47e55e4b410f would stop it", "ovscrash netdev ffff0020c7f1d000");
	ev(12, "do_output lacks the netif_running and netif_carrier_ok check: "
	       "a fix is missing", "dis -l do_output");
	ev(13, "panic: softlockup: hung tasks", "sys");
}

/* The induced state: vport still linked, device running with carrier. */
static void test_induced_state(void **state)
{
	(void)state;
	full();
	f.dev_running = 1;
	f.dev_carrier = 1;
	strcpy(f.dev_state, "START|PRESENT");
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_OVS_PICKTX_LOCKUP);
	assert_int_equal(v.confidence, 95);
	assert_string_equal(v.summary,
		"Open vSwitch transmit to unregistering device veth1 "
		"(running, carrier on): "
		"netdev_pick_tx spins in `hash -= qcount` with qcount 0");
	ev(9, "OVS datapath ovs-system port 2 refers to the device",
	   "ovscrash vport");
	assert_int_equal(v.judged[0].would_stop, 0);
	assert_int_equal(v.judged[1].would_stop, 0);
	ev(12, "neither upstream check would have stopped this state "
	       "(device running with carrier on)",
	   "ovscrash netdev ffff0020c7f1d000");

	/* the summary follows reg_state: no "unregistering" when registered */
	full();
	strcpy(f.dev_reg_state, "NETREG_REGISTERED");
	f.dev_running = 1;
	oc_verdict_decide(&f, &v);
	assert_string_equal(v.summary,
		"Open vSwitch transmit to registered device veth1 "
		"(running, no carrier): "
		"netdev_pick_tx spins in `hash -= qcount` with qcount 0");
	assert_int_equal(v.judged[0].would_stop, 1);
	assert_int_equal(v.judged[1].would_stop, 0);
}

static void test_missing_vport(void **state)
{
	(void)state;
	full();
	f.vport_found = OC_UNKNOWN;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_OVS_PICKTX_LOCKUP);
	assert_int_equal(v.confidence, 85);
	assert_int_equal(v.ncaveats, 1);
	assert_string_equal(v.caveats[0],
			    "no OVS vport checked against the device");
}

/* A budget stopped the gathering: the verdict still comes, on what was
 * gathered, with the partial caveat naming where it stopped, and the
 * vport left unknown (not "absent") costs its own caveat. */
static void test_partial(void **state)
{
	(void)state;
	full();
	f.vport_found = OC_UNKNOWN;
	strcpy(f.partial, "stopped at list head ffff888003a1c0c0 after 3 entries: "
	       "node budget of 40 spent (40 nodes read, 12 ms)");
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_OVS_PICKTX_LOCKUP);
	assert_int_equal(v.confidence, 75);
	assert_int_equal(v.ncaveats, 2);
	assert_string_equal(v.caveats[1],
			    "partial: evidence gathering stopped at list head "
			    "ffff888003a1c0c0 after 3 entries: node budget of 40 "
			    "spent (40 nodes read, 12 ms)");
	/* nothing gathered at all: still a verdict (unknown), still partial */
	oc_findings_init(&f);
	strcpy(f.partial, "stopped at the start of the OVS walk: time budget of 0.001 s spent");
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_UNKNOWN);
	assert_int_equal(v.confidence, 0);
	assert_int_equal(v.ncaveats, 1);
	assert_non_null(strstr(v.caveats[0], "time budget"));
}

/* An unreadable kernel log: the verdict stands on the spin, says the
 * panic string is unknown and why, and uses nothing of the log's text. */
static void test_log_problem(void **state)
{
	struct oc_verdict plain;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	full();
	oc_verdict_decide(&f, &plain);
	strcpy(f.log_problem, "the kernel log is empty (crash `log`): printk ring "
	       "ffffffff81e622e0: head descriptor damaged");
	strcpy(f.panic_kind, "soft-lockup");	/* garbage a damaged log gave */
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, plain.kind);
	assert_string_equal(v.signature, plain.signature);
	assert_string_equal(v.summary, plain.summary);
	assert_int_equal(v.confidence, plain.confidence - 5);
	assert_int_equal(v.ncaveats, plain.ncaveats + 1);
	assert_non_null(strstr(v.caveats[v.ncaveats - 1], "no panic string: the kernel log is empty"));
	for (int i = 0; i < v.nevidence; i++)
		assert_null(strstr(v.evidence[i].text, "panic"));
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	oc_verdict_text(fp, &f, &v);
	fclose(fp);
	assert_non_null(strstr(buf, "\n  PANIC: (unknown: the kernel log is empty"));
	free(buf);
	/* no spin frame: not decided from a panic text the log did not give */
	f.have_spin_frame = 0;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_NOT_THIS_BUG);
	assert_string_equal(v.summary, "no CPU spins in netdev_pick_tx");
}

/* The tenant (issue 13): the extension's line is printed as TENANT under
 * the verdict, its evidence listed with the crash command of each part,
 * in every verdict that names the device; none when there is no line. */
static void test_tenant(void **state)
{
	struct oc_verdict plain;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int i, found = 0;

	(void)state;
	full();
	oc_verdict_decide(&f, &plain);
	strcpy(f.tenant, "victim veth1 <-> eth0 in netns pod-payments (pid 4242 nginx, "
	       "cgroup /kubepods/burstable/pod1/c2)");
	strcpy(f.tenant_ev[0].text, "the victim's veth peer is net_device 0xffff1");
	strcpy(f.tenant_ev[0].cmd, "struct veth_priv.peer ffff0020c7f1d980");
	strcpy(f.tenant_ev[1].text, "pid 4242 \"nginx\" lives in that netns");
	strcpy(f.tenant_ev[1].cmd, "ps 4242");
	f.ntenant_ev = 2;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, plain.kind);
	assert_int_equal(v.confidence, plain.confidence);
	assert_int_equal(v.nevidence, plain.nevidence + 2);
	for (i = 0; i < v.nevidence; i++)
		if (!strcmp(v.evidence[i].cmd, "ps 4242")) {
			found = 1;
			ev(i - 1, "the victim's veth peer is net_device 0xffff1",
			   "struct veth_priv.peer ffff0020c7f1d980");
		}
	assert_true(found);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	oc_verdict_text(fp, &f, &v);
	fclose(fp);
	assert_non_null(strstr(buf, "\n  TENANT: victim veth1 <-> eth0 in netns pod-payments "
				  "(pid 4242 nginx, cgroup /kubepods/burstable/pod1/c2)\n"));
	free(buf);
	buf = NULL;
	/* no line: no TENANT */
	full();
	oc_verdict_decide(&f, &v);
	fp = open_memstream(&buf, &len);
	oc_verdict_text(fp, &f, &v);
	fclose(fp);
	assert_null(strstr(buf, "TENANT"));
	free(buf);
}

static void test_paths(void **state)
{
	(void)state;
	/* the same spin reached through tc mirred: no OVS verdict, no fixes */
	full();
	f.ovs_path = 0;
	strcpy(f.other_path, "tc mirred");
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_PICKTX_SPIN_OTHER);
	assert_string_equal(v.signature, "picktx-spin-other-path");
	assert_string_equal(v.summary, "CPU spins in netdev_pick_tx, but it was "
			    "reached through tc mirred, not Open vSwitch: the OVS "
			    "fixes do not apply");
	assert_int_equal(v.nfixes, 0);
	assert_null(v.fixes);

	/* no stack, no call trace: no OVS verdict either */
	full();
	f.ovs_path = OC_UNKNOWN;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_PICKTX_SPIN_OTHER);
	assert_string_equal(v.signature, "picktx-spin-path-unknown");
	assert_int_equal(v.confidence, 50);
	assert_int_equal(v.nfixes, 0);
}

static void test_findings_path(void **state)
{
	struct oc_frame x86[8], a64[8], mir[8], odd[4];
	int i;

	(void)state;
	/* Debian 6.1 x86_64: do_output inlined, only do_execute_actions */
	i = 0;
	x86[i++] = fr("panic", "", 0);
	x86[i++] = fr("netdev_pick_tx", "", 0);
	x86[i++] = fr("netdev_core_pick_tx", "", 0);
	x86[i++] = fr("__dev_queue_xmit", "", 0);
	x86[i++] = fr("do_execute_actions", "openvswitch", 0);
	x86[i++] = fr("ovs_execute_actions", "openvswitch", 0);
	oc_findings_init(&f);
	oc_findings_path(&f, x86, i, "stack of CPU 0", "bt -c 0");
	assert_int_equal(f.ovs_path, 1);
	assert_string_equal(f.other_path, "");
	assert_string_equal(f.path, "netdev_core_pick_tx <- __dev_queue_xmit <- "
			    "do_execute_actions [openvswitch] <- "
			    "ovs_execute_actions [openvswitch]");
	assert_string_equal(f.cmd_path, "bt -c 0");

	/* arm64 crash labels the inline dev_queue_xmit with the module */
	i = 0;
	a64[i++] = fr("netdev_core_pick_tx", "", 0);
	a64[i++] = fr("__dev_queue_xmit", "", 0);
	a64[i++] = fr("dev_queue_xmit", "openvswitch", 0);
	a64[i++] = fr("ovs_vport_send", "openvswitch", 0);
	oc_findings_init(&f);
	oc_findings_path(&f, a64, i, "log call trace", "log");
	assert_int_equal(f.ovs_path, 1);

	/* tc mirred, with an unreliable OVS frame that must not count */
	i = 0;
	mir[i++] = fr("netdev_pick_tx", "", 0);
	mir[i++] = fr("netdev_core_pick_tx", "", 0);
	mir[i++] = fr("do_output", "openvswitch", 1);
	mir[i++] = fr("__dev_queue_xmit", "", 0);
	mir[i++] = fr("tcf_mirred_act", "act_mirred", 0);
	mir[i++] = fr("tcf_action_exec", "", 0);
	oc_findings_init(&f);
	oc_findings_path(&f, mir, i, "stack of CPU 1", "bt -c 1");
	assert_int_equal(f.ovs_path, 0);
	assert_string_equal(f.other_path, "tc mirred");

	/* arm64: dev_queue_xmit [act_mirred] <- tcf_dev_queue_xmit <- tcf_mirred_act */
	i = 0;
	mir[i++] = fr("__dev_queue_xmit", "", 0);
	mir[i++] = fr("dev_queue_xmit", "act_mirred", 0);
	mir[i++] = fr("tcf_dev_queue_xmit", "", 0);
	mir[i++] = fr("tcf_mirred_act", "act_mirred", 0);
	oc_findings_init(&f);
	oc_findings_path(&f, mir, i, "stack of CPU 0", "bt -c 0");
	assert_int_equal(f.ovs_path, 0);
	assert_string_equal(f.other_path, "tc mirred");

	/* an unknown sender is named, escaped */
	i = 0;
	odd[i++] = fr("__dev_queue_xmit", "", 0);
	odd[i++] = fr("my_\x1b[7mxmit", "evil", 0);
	oc_findings_init(&f);
	oc_findings_path(&f, odd, i, "log call trace", "log");
	assert_int_equal(f.ovs_path, 0);
	assert_string_equal(f.other_path, "my_\\x1b[7mxmit");
	assert_null(strchr(f.path, 0x1b));
}

static void test_contradictions(void **state)
{
	(void)state;
	full();
	f.qcount = 3;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_PICKTX_SPIN_OTHER);
	assert_string_equal(v.signature, "picktx-spin-other");
	assert_int_equal(v.confidence, 60);
	assert_string_equal(v.summary, "CPU spins in netdev_pick_tx, but "
			    "qcount is 3, not 0: the loop terminates");
	assert_int_equal(v.nfixes, 0);

	full();
	f.pc_in_loop = 0;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_PICKTX_SPIN_OTHER);
	assert_string_equal(v.summary, "CPU spins in netdev_pick_tx, but "
			    "PC +0x27c is outside the `hash -= qcount` loop");

	/* qcount not valid: a stale 3 in the struct must not count */
	full();
	f.qcount = 3;
	f.qcount_valid = 0;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_OVS_PICKTX_LOCKUP);
	assert_int_equal(v.confidence, 75);
}

static void test_only_spin_frame(void **state)
{
	(void)state;
	oc_findings_init(&f);
	f.have_spin_frame = 1;
	f.ovs_path = 1;
	strcpy(f.pc_sym, "netdev_pick_tx");
	f.pc_off = 0x90;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_OVS_PICKTX_LOCKUP);
	/* 95 - 15 (loop) - 20 (qcount) - 10 (dev) - 10 (rntq) - 10 (vport) */
	assert_int_equal(v.confidence, 30);
	assert_int_equal(v.ncaveats, 5);
	assert_string_equal(v.caveats[0],
			    "PC not matched to the loop (the loop was not decoded)");
	assert_string_equal(v.caveats[1], "qcount register value not available");
	ev(0, "a CPU interrupted at netdev_pick_tx+0x90", "");
	assert_string_equal(v.summary,
		"Open vSwitch transmit to a device: "
		"netdev_pick_tx spins in `hash -= qcount` with qcount 0");
}

static void test_not_this_bug(void **state)
{
	(void)state;
	full();
	f.have_spin_frame = 0;
	strcpy(f.panic_string, "sysrq triggered crash");
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_NOT_THIS_BUG);
	assert_string_equal(v.signature, "not-ovs-picktx");
	assert_int_equal(v.confidence, 75);
	assert_string_equal(v.summary, "no CPU spins in netdev_pick_tx; "
			    "panic: sysrq triggered crash");
	assert_string_equal(v.caveats[0], "no panic report found in the log");
	ev(0, "no CPU is interrupted in netdev_pick_tx", "bt -E -c 1");
	ev(1, "panic: sysrq triggered crash", "sys");
	assert_int_equal(v.nfixes, 0);

	/* with the log's report: what the dump is, and its bucket */
	strcpy(f.panic_kind, "soft-lockup");
	strcpy(f.panic_where, "ovscrash_helper_spin+0x1c [ovscrash_helper]");
	strcpy(f.panic_cpu_text, "CPU 0");
	strcpy(f.panic_bucket, "0123456789abcdef");
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.confidence, 85);
	assert_string_equal(v.summary, "soft-lockup in ovscrash_helper_spin+0x1c "
			    "[ovscrash_helper] on CPU 0 (bucket 0123456789abcdef)");
	ev(1, "the log's panic report: soft-lockup at ovscrash_helper_spin+0x1c "
	      "[ovscrash_helper] on CPU 0", "sys");

	f.panic_kind[0] = f.panic_string[0] = '\0';
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.confidence, 70);
	assert_string_equal(v.caveats[0], "panic string not available");
}

/* a real log: the oops-null fixture's vmcore-dmesg (its RIP line reads
 * ovscrash_helper_null_deref+0xc/0x20; no panic line: kdump
 * runs before panic()); function and module as the helper module has them */
static void test_findings_panic_real(void **state)
{
	struct oc_panic_list l = { 0 };
	size_t len;
	char *text = oc_test_read("x86_64_61_oops_null_vmcore-dmesg.txt", &len);

	(void)state;
	assert_int_equal(oc_panic_parse(text, len, &l), 0);
	oc_findings_init(&f);
	oc_findings_panic(&f, &l);
	assert_string_equal(f.panic_kind, "null-deref");
	assert_string_equal(f.panic_func, "ovscrash_helper_null_deref");
	assert_string_equal(f.panic_mod, "ovscrash_helper");
	assert_string_equal(f.panic_where, "ovscrash_helper_null_deref+0xc [ovscrash_helper]");
	assert_int_equal(strlen(f.panic_bucket), 16);
	f.have_spin_frame = 0;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_NOT_THIS_BUG);
	assert_non_null(strstr(v.summary, "null-deref in ovscrash_helper_null_deref+0xc [ovscrash_helper]"));
	oc_panic_list_free(&l);
	free(text);
}

static void test_unknown(void **state)
{
	(void)state;
	oc_findings_init(&f);
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_UNKNOWN);
	assert_string_equal(v.signature, "unknown");
	assert_int_equal(v.confidence, 0);
	assert_string_equal(oc_verdict_kind_name(v.kind), "UNKNOWN");
}

static void test_fix_states(void **state)
{
	(void)state;
	/* fixed build, and a state its checks refuse: a contradiction */
	full();
	f.fix_carrier_check_present = 1;
	f.fix_running_check_present = 1;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_OVS_PICKTX_LOCKUP);
	assert_int_equal(v.confidence, 70);
	assert_string_equal(v.caveats[0],
		"do_output has netif_carrier_ok(vport->dev), which refuses this "
		"device: the transmit did not come through this do_output");
	assert_int_equal(v.judged[0].present, 1);

	/* fixed build, running with carrier: the fixes don't cover it */
	full();
	f.fix_carrier_check_present = 1;
	f.fix_running_check_present = 1;
	f.dev_running = 1;
	f.dev_carrier = 1;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.confidence, 95);
	assert_int_equal(v.ncaveats, 0);
	ev(13, "do_output has both fixes, which do not refuse a running device "
	       "with carrier: the queues were zeroed another way", "dis -l do_output");

	/* fixed build, state unknown */
	full();
	f.fix_carrier_check_present = 1;
	f.fix_running_check_present = 1;
	f.dev_running = OC_UNKNOWN;
	f.dev_carrier = OC_UNKNOWN;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.confidence, 85);
	assert_string_equal(v.caveats[0],
		"do_output already has both fixes: the queues were zeroed another way");

	full();
	f.fix_running_check_present = 1;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.confidence, 95);
	ev(12, "do_output lacks the netif_carrier_ok check: a fix is missing",
	   "dis -l do_output");

	full();
	f.fix_carrier_check_present = OC_UNKNOWN;
	f.fix_running_check_present = OC_UNKNOWN;
	f.dev_running = OC_UNKNOWN;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.confidence, 95);
	assert_int_equal(v.judged[1].would_stop, OC_UNKNOWN);
	assert_int_equal(v.judged[1].present, OC_UNKNOWN);
	assert_int_equal(v.nevidence, 12);
}

static void test_dev_details(void **state)
{
	(void)state;
	full();
	f.dev_real_num_tx_queues = 8;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.confidence, 70);
	assert_string_equal(v.caveats[0],
		"dev->real_num_tx_queues = 8 while qcount is 0: dev address may be wrong");

	full();
	f.port_no = -1;
	oc_verdict_decide(&f, &v);
	ev(9, "OVS datapath ovs-system has a vport for the device",
	   "ovscrash vport");
	assert_string_equal(oc_verdict_kind_name(OC_V_OVS_PICKTX_LOCKUP),
			    "OVS_PICKTX_LOCKUP");
	assert_string_equal(oc_verdict_kind_name(OC_V_NOT_THIS_BUG),
			    "NOT_THIS_BUG");
}

int oc_test_verdict(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_real_race),
		cmocka_unit_test(test_induced_state),
		cmocka_unit_test(test_missing_vport),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_log_problem),
		cmocka_unit_test(test_tenant),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_findings_path),
		cmocka_unit_test(test_contradictions),
		cmocka_unit_test(test_only_spin_frame),
		cmocka_unit_test(test_not_this_bug),
		cmocka_unit_test(test_findings_panic_real),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_fix_states),
		cmocka_unit_test(test_dev_details),
	};

	return cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}
