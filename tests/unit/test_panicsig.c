// SPDX-License-Identifier: GPL-2.0
/*
 * panicsig: panic-class reports in kernel logs.  Real logs come from
 * tests/unit/data; the other kinds are written from the format strings of
 * Linux v6.1, the file of each named where the line is built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "panicsig.h"

static struct oc_panic_list l;

static int teardown(void **state)
{
	(void)state;
	oc_panic_list_free(&l);
	return 0;
}

static void parse_buf(const char *t, size_t len)
{
	memset(&l, 0, sizeof(l));
	assert_int_equal(oc_panic_parse(t, len, &l), 0);
}

/* a heap copy of exactly @len bytes: reading past it trips the sanitizers */
static void __attribute__((unused)) parse_str(const char *s)
{
	size_t n = strlen(s);
	char *t = malloc(n ? n : 1);

	assert_non_null(t);
	memcpy(t, s, n);
	parse_buf(t, n);
	free(t);
}

static void load(const char *name)
{
	size_t len;
	char *t = oc_test_read(name, &len);

	assert_non_null(t);
	parse_buf(t, len);
	free(t);
}

static const struct oc_panic_report *primary(void)
{
	assert_true(l.primary >= 0 && (size_t)l.primary < l.n);
	assert_true(l.v[l.primary].caused_panic);
	return &l.v[l.primary];
}

static void __attribute__((unused)) bucket(const struct oc_panic_report *r, char *out, char *desc,
		   size_t n)
{
	oc_panic_bucket(r, out, desc, n);
	assert_int_equal(strlen(out), 16);
}

/* data/x86_64_61_dmesg.txt: 6.1 x86_64 OVS soft lockup, NMI backtrace of cpu 0 */
static void test_x86_real(void **state)
{
	const struct oc_panic_report *r;

	(void)state;
	load("x86_64_61_dmesg.txt");
	assert_int_equal(l.n, 1);
	assert_string_equal(l.panic_message, "softlockup: hung tasks");
	r = primary();
	assert_int_equal(r->kind, OC_PK_SOFT_LOCKUP);
	assert_int_equal(r->line_no, 2);
	assert_int_equal(r->cpu, 1);
	assert_int_equal(r->pid, 22);
	assert_string_equal(r->comm, "ksoftirqd/1");
	assert_true(r->have_where);
	assert_string_equal(r->where_source, "RIP line");
	assert_string_equal(r->where.sym, "netdev_pick_tx");
	assert_int_equal(r->where.off, 0x26d);
	assert_int_equal(r->where.len, 0x2b0);
	assert_true(r->have_regs);
	assert_int_equal(r->regs.line_no, 6);
	/* the report's trace ends where cpu 0's NMI backtrace starts */
	assert_int_equal(r->nframes, 3);
	assert_string_equal(r->frames[0].sym, "netdev_core_pick_tx");
	assert_string_equal(r->frames[0].stack, "IRQ");
	assert_string_equal(r->frames[2].sym, "do_execute_actions");
	assert_int_equal(r->frames[2].off, 0x5d);
	assert_string_equal(r->frames[2].mod, "openvswitch");
	assert_false(r->frames[2].unreliable);
}

/* data/arm64_510_dmesg.txt: the original report, arm64 5.10 */
static void test_arm64_real(void **state)
{
	const struct oc_panic_report *r;

	(void)state;
	load("arm64_510_dmesg.txt");
	assert_int_equal(l.n, 1);
	r = primary();
	assert_int_equal(r->kind, OC_PK_SOFT_LOCKUP);
	assert_int_equal(r->cpu, 1);
	assert_int_equal(r->pid, 0);
	assert_string_equal(r->comm, "swapper/1");
	assert_string_equal(r->where_source, "pc line");
	assert_string_equal(r->where.sym, "netdev_pick_tx");
	assert_int_equal(r->where.off, 0x27c);
	assert_int_equal(r->nframes, 7);
	assert_string_equal(r->frames[4].sym, "ovs_vport_send");
	assert_string_equal(r->frames[4].mod, "openvswitch");
	assert_string_equal(r->frames[6].sym, "do_execute_actions");
	assert_string_equal(r->frames[6].stack, "");
}

int oc_test_panicsig(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_x86_real, teardown),
		cmocka_unit_test_teardown(test_arm64_real, teardown),
	};

	return cmocka_run_group_tests_name("panicsig", tests, NULL, NULL);
}
