// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "test_util.h"
#include "verdict.h"

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
	f.dev_reg_state = 2;
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
	assert_int_equal(f.dev_reg_state, -1);
	assert_int_equal(f.port_no, -1);
	assert_int_equal(f.cpu, -1);
	assert_int_equal(f.fix_carrier_check_present, OC_UNKNOWN);
	assert_int_equal(f.fix_running_check_present, OC_UNKNOWN);
	assert_false(f.qcount_valid);
	assert_string_equal(f.dev_name, "");
}

static void test_full_lockup(void **state)
{
	(void)state;
	full();
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_OVS_PICKTX_LOCKUP);
	assert_string_equal(v.signature, "ovs-unregister-picktx-lockup");
	assert_int_equal(v.confidence, 95);
	assert_int_equal(v.ncaveats, 0);
	assert_string_equal(v.summary,
		"Open vSwitch transmit to unregistering device veth1: "
		"netdev_pick_tx spins in `hash -= qcount` with qcount 0");
	assert_int_equal(v.nfixes, 2);
	assert_string_equal(v.fixes[0].commit, "066b86787fa3");
	assert_string_equal(v.fixes[0].subject,
			    "net: openvswitch: fix race on port output");
	assert_string_equal(v.fixes[1].commit, "47e55e4b410f");
	assert_string_equal(v.fixes[1].subject,
		"openvswitch: fix lockup on tx to unregistering netdev with carrier");
	assert_int_equal(v.nevidence, 10);
	ev(0, "CPU 1 interrupted at netdev_pick_tx+0x27c", "bt -E -c 1");
	ev(1, "PC is inside the `hash -= qcount` loop", "bt -E -c 1");
	ev(2, "qcount register x25 = 0", "ovscrash picktx");
	ev(3, "hash register x2 = 0", "ovscrash picktx");
	ev(4, "net_device 0xffff0020c7f1d000 \"veth1\"",
	   "ovscrash netdev ffff0020c7f1d000");
	ev(5, "dev->real_num_tx_queues = 0", "ovscrash netdev ffff0020c7f1d000");
	ev(6, "dev->reg_state = NETREG_UNREGISTERING",
	   "ovscrash netdev ffff0020c7f1d000");
	ev(7, "OVS datapath ovs-system port 2 refers to the device",
	   "ovscrash vport");
	ev(8, "do_output lacks the netif_running and netif_carrier_ok check: "
	      "a fix is missing", "dis -l do_output");
	ev(9, "panic: softlockup: hung tasks", "sys");
}

static void test_missing_vport(void **state)
{
	(void)state;
	full();
	f.vport_found = OC_UNKNOWN;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_OVS_PICKTX_LOCKUP);
	assert_int_equal(v.confidence, 70);
	assert_int_equal(v.ncaveats, 1);
	assert_string_equal(v.caveats[0],
			    "no OVS vport checked against the device");
}

static void test_only_spin_frame(void **state)
{
	(void)state;
	oc_findings_init(&f);
	f.have_spin_frame = 1;
	strcpy(f.pc_sym, "netdev_pick_tx");
	f.pc_off = 0x90;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_OVS_PICKTX_LOCKUP);
	/* 95 - 15 (loop) - 20 (qcount) - 10 (dev) - 10 (rntq) - 25 (vport) */
	assert_int_equal(v.confidence, 15);
	assert_int_equal(v.ncaveats, 5);
	assert_string_equal(v.caveats[0],
			    "PC not matched to the loop (no disassembly)");
	assert_string_equal(v.caveats[1], "qcount register value not available");
	ev(0, "a CPU interrupted at netdev_pick_tx+0x90", "");
	assert_string_equal(v.summary,
		"Open vSwitch transmit to unregistering device ?: "
		"netdev_pick_tx spins in `hash -= qcount` with qcount 0");
}

static void test_contradictions(void **state)
{
	(void)state;
	full();
	f.vport_found = 0;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_PICKTX_SPIN_OTHER);
	assert_string_equal(v.signature, "picktx-spin-other");
	assert_int_equal(v.confidence, 60);
	assert_string_equal(v.summary, "CPU spins in netdev_pick_tx, but "
			    "no Open vSwitch vport refers to the device");
	assert_int_equal(v.nfixes, 0);
	assert_null(v.fixes);

	full();
	f.qcount = 3;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_PICKTX_SPIN_OTHER);
	assert_string_equal(v.summary, "CPU spins in netdev_pick_tx, but "
			    "qcount is 3, not 0: the loop terminates");

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

static void test_not_this_bug(void **state)
{
	(void)state;
	full();
	f.have_spin_frame = 0;
	strcpy(f.panic_string, "sysrq triggered crash");
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_NOT_THIS_BUG);
	assert_string_equal(v.signature, "not-ovs-picktx");
	assert_int_equal(v.confidence, 85);
	assert_string_equal(v.summary, "no CPU spins in netdev_pick_tx; "
			    "panic: sysrq triggered crash");
	assert_int_equal(v.nevidence, 2);
	ev(0, "no CPU is interrupted in netdev_pick_tx", "bt -E -c 1");
	ev(1, "panic: sysrq triggered crash", "sys");
	assert_int_equal(v.nfixes, 0);

	f.panic_string[0] = '\0';
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.confidence, 70);
	assert_string_equal(v.caveats[0], "panic string not available");
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
	full();
	f.fix_carrier_check_present = 1;
	f.fix_running_check_present = 1;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.kind, OC_V_OVS_PICKTX_LOCKUP);
	assert_int_equal(v.confidence, 85);
	assert_string_equal(v.caveats[0],
		"do_output already has both fixes: the queues were zeroed another way");

	full();
	f.fix_running_check_present = 1;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.confidence, 95);
	ev(8, "do_output lacks the netif_carrier_ok check: a fix is missing",
	   "dis -l do_output");

	full();
	f.fix_carrier_check_present = OC_UNKNOWN;
	f.fix_running_check_present = OC_UNKNOWN;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.confidence, 95);
	assert_int_equal(v.nevidence, 9);
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
	f.dev_reg_state = -1;
	oc_verdict_decide(&f, &v);
	assert_int_equal(v.nevidence, 9);
	ev(6, "OVS datapath ovs-system has a vport for the device",
	   "ovscrash vport");

	assert_string_equal(oc_reg_state_name(1), "NETREG_REGISTERED");
	assert_string_equal(oc_reg_state_name(3), "NETREG_UNREGISTERED");
	assert_string_equal(oc_reg_state_name(6), "unknown");
	assert_string_equal(oc_reg_state_name(-1), "unknown");
	assert_string_equal(oc_verdict_kind_name(OC_V_OVS_PICKTX_LOCKUP),
			    "OVS_PICKTX_LOCKUP");
	assert_string_equal(oc_verdict_kind_name(OC_V_NOT_THIS_BUG),
			    "NOT_THIS_BUG");
}

int oc_test_verdict(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_full_lockup),
		cmocka_unit_test(test_missing_vport),
		cmocka_unit_test(test_only_spin_frame),
		cmocka_unit_test(test_contradictions),
		cmocka_unit_test(test_not_this_bug),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_fix_states),
		cmocka_unit_test(test_dev_details),
	};

	return cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}
