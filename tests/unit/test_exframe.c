// SPDX-License-Identifier: GPL-2.0
/* core/exframe: crash's `bt -E` text (a real x86_64 run, kept as data) */
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "exframe.h"
#include "panicsig.h"
#include "verdict.h"

static void test_x86_64_bt_E(void **state)
{
	struct oc_exframe_list l = { 0 };
	uint64_t v;
	size_t len;
	char *t = oc_test_read("x86_64_61_bt_E.txt", &len);

	(void)state;
	assert_non_null(t);
	assert_int_equal(oc_exframe_parse(&oc_arch_x86_64, t, len, &l), 2);
	/* CPU 1's IRQ stack is printed twice by crash: kept once */
	assert_int_equal(l.v[0].cpu, 0);
	assert_string_equal(l.v[0].stack, "IRQ");
	assert_int_equal(l.v[0].frame_addr, 0xffffd380400037d8ULL);
	assert_string_equal(l.v[0].rd.pc_sym, "netdev_pick_tx");
	assert_int_equal(l.v[0].rd.pc_off, 621);
	assert_int_equal(oc_regdump_get(&l.v[0].rd, "rip", &v), 0);
	assert_int_equal(v, 0xffffffff8f7a604dULL);
	assert_int_equal(oc_regdump_get(&l.v[0].rd, "edx", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(oc_regdump_get(&l.v[0].rd, "r12", &v), 0);
	assert_int_equal(v, 0xffff8b94c23c1000ULL);
	/* ORIG_RAX must not be taken for RAX */
	assert_int_equal(oc_regdump_get(&l.v[0].rd, "rax", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(l.v[1].cpu, 1);
	assert_int_equal(l.v[1].frame_addr, 0xffffd380400d07d8ULL);
	oc_exframe_list_free(&l);
	free(t);
}

/* crash's `bt -a -e` on Debian 5.10 arm64 (the real race): softirqs run
 * on the task stack, so the spin's frame is under the task's PID header */
static void test_arm64_510_bt_a_e(void **state)
{
	struct oc_exframe_list l = { 0 };
	uint64_t v;
	size_t len;
	char *t = oc_test_read("arm64_510_bt_a_e.txt", &len);

	(void)state;
	assert_non_null(t);
	assert_int_equal(oc_exframe_parse(&oc_arch_arm64, t, len, &l), 3);
	assert_int_equal(l.v[0].cpu, 0);
	assert_string_equal(l.v[0].rd.pc_sym, "arch_cpu_idle");
	assert_int_equal(l.v[1].cpu, 1);
	assert_string_equal(l.v[1].stack, "task");
	assert_int_equal(l.v[1].frame_addr, 0xffff8000101eae40ULL);
	assert_string_equal(l.v[1].rd.pc_sym, "netdev_pick_tx");
	assert_int_equal(l.v[1].rd.pc_off, 304);
	assert_int_equal(oc_regdump_get(&l.v[1].rd, "x25", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(oc_regdump_get(&l.v[1].rd, "x23", &v), 0);
	assert_int_equal(v, 0xffff369c432f4000ULL);
	/* a stale frame deeper on the same stack, and no user-mode frame */
	assert_int_equal(l.v[2].cpu, 1);
	assert_string_equal(l.v[2].rd.pc_sym, "slab_free_freelist_hook.constprop.0");
	oc_exframe_list_free(&l);
	free(t);
}

static void test_synthetic_arm64_and_garbage(void **state)
{
	static const char txt[] =
		"CPU 1 IRQ STACK:\n"
		"\n"
		"  KERNEL-MODE EXCEPTION FRAME AT: ffff800008003d20\n"
		"     PC: ffff8000089a1c90  [netdev_pick_tx+144]\n"
		"     LR: ffff8000089a8a1c  [netdev_core_pick_tx+220]\n"
		"     SP: ffff800008003e30  PSTATE: 80400005\n"
		"    X29: ffff800008003e30  X28: ffff000003a4c000  X27: 0000000000000000\n"
		"     X2: 0000000000000000   X1: ffff000002e1e000   X0: 0000000000000000\n"
		"\n"
		"garbage line without a colon\n"
		"  KERNEL-MODE EXCEPTION FRAME AT: zz\n";
	struct oc_exframe_list l = { 0 };
	uint64_t v;

	(void)state;
	assert_int_equal(oc_exframe_parse(&oc_arch_arm64, txt, strlen(txt), &l), 2);
	assert_string_equal(l.v[0].rd.pc_sym, "netdev_pick_tx");
	assert_int_equal(l.v[0].rd.pc_off, 144);
	assert_int_equal(oc_regdump_get(&l.v[0].rd, "pc", &v), 0);
	assert_int_equal(v, 0xffff8000089a1c90ULL);
	assert_int_equal(oc_regdump_get(&l.v[0].rd, "lr", &v), 0);
	assert_int_equal(v, 0xffff8000089a8a1cULL);
	assert_int_equal(oc_regdump_get(&l.v[0].rd, "x28", &v), 0);
	assert_int_equal(v, 0xffff000003a4c000ULL);
	assert_int_equal(oc_regdump_get(&l.v[0].rd, "w2", &v), 0);
	assert_int_equal(v, 0);
	assert_false(l.v[1].rd.have_pc_sym);
	oc_exframe_list_free(&l);
}

/*
 * crash's `bt -c N` of real dumps: the x86_64 race (34 frames, #0..#33,
 * across the IRQ stack marker and a user-mode register block) and the arm64
 * mirred near miss (54 frames); the transmit path read from them.
 */
static void test_bt_frames_real(void **state)
{
	struct oc_frame fr[80];
	struct oc_findings f;
	size_t len;
	char *t;
	int n;

	(void)state;
	t = oc_test_read("x86_64_61_race_bt.txt", &len);
	n = oc_bt_frames(t, len, fr, 80);
	assert_int_equal(n, 34);
	assert_string_equal(fr[0].sym, "machine_kexec");
	assert_string_equal(fr[9].sym, "netdev_pick_tx");
	assert_string_equal(fr[12].sym, "do_execute_actions");
	assert_string_equal(fr[12].mod, "openvswitch");
	assert_string_equal(fr[24].sym, "__nf_conntrack_confirm");
	assert_string_equal(fr[24].mod, "nf_conntrack");
	assert_string_equal(fr[33].sym, "entry_SYSCALL_64_after_hwframe");
	oc_findings_init(&f);
	oc_findings_path(&f, fr, n, "stack of CPU 1", "bt -c 1");
	assert_int_equal(f.ovs_path, 1);
	/* bounded: never more than asked for */
	assert_int_equal(oc_bt_frames(t, len, fr, 5), 5);
	free(t);

	t = oc_test_read("arm64_61_mirred_bt.txt", &len);
	n = oc_bt_frames(t, len, fr, 80);
	assert_int_equal(n, 54);
	assert_string_equal(fr[17].sym, "dev_queue_xmit");
	assert_string_equal(fr[17].mod, "act_mirred");
	oc_findings_init(&f);
	oc_findings_path(&f, fr, n, "stack of CPU 0", "bt -c 0");
	assert_int_equal(f.ovs_path, 0);
	assert_string_equal(f.other_path, "tc mirred");
	free(t);

	/* cut anywhere: never a frame from half a line's garbage */
	assert_int_equal(oc_bt_frames(" #1 [ffff] x", 12, fr, 80), 0);
	assert_int_equal(oc_bt_frames("#", 1, fr, 80), 0);
}

int oc_test_exframe(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86_64_bt_E),
		cmocka_unit_test(test_arm64_510_bt_a_e),
		cmocka_unit_test(test_synthetic_arm64_and_garbage),
		cmocka_unit_test(test_bt_frames_real),
	};
	return cmocka_run_group_tests_name("exframe", tests, NULL, NULL);
}
