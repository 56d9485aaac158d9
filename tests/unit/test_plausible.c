// SPDX-License-Identifier: GPL-2.0
/* core/plausible: the kernel's invariants on a vport, a device, a pernet id */
#include <string.h>

#include "test_util.h"
#include "plausible.h"

#define DP 0xffff888012340000ULL

static struct oc_vport_facts good_vport(void)
{
	struct oc_vport_facts f = { DP, 1, 1024, 1, DP, 1, 1 };

	return f;
}

static void test_vport(void **state)
{
	struct oc_vport_facts f = good_vport();
	char why[128];

	(void)state;
	assert_int_equal(oc_vport_check(&f, why, sizeof(why)), 0);
	/* port 1025 hashes to bucket 1 too */
	f.port_no = 1025;
	assert_int_equal(oc_vport_check(&f, why, sizeof(why)), 0);
	/* met in the wrong bucket (a bucket pointing at another's chain) */
	f.port_no = 0;
	assert_int_equal(oc_vport_check(&f, why, sizeof(why)), -1);
	assert_string_equal(why, "port_no 0 does not hash to bucket 1");
	/* dp points elsewhere (garbage, or a bucket read as a vport) */
	f = good_vport();
	f.vport_dp = DP + 0x1000;
	assert_int_equal(oc_vport_check(&f, why, sizeof(why)), -1);
	assert_string_equal(why, "dp ffff888012341000 is not datapath ffff888012340000");
	f.vport_dp = 0;
	assert_int_equal(oc_vport_check(&f, why, sizeof(why)), -1);
	f = good_vport();
	f.dp_read = 0;
	assert_int_equal(oc_vport_check(&f, why, sizeof(why)), -1);
	assert_string_equal(why, "dp unreadable");
	/* no dp member in the debuginfo: the hash check still holds */
	f = good_vport();
	f.dp_read = -1;
	f.vport_dp = 0;
	assert_int_equal(oc_vport_check(&f, why, sizeof(why)), 0);
	f.port_read = 0;
	assert_int_equal(oc_vport_check(&f, why, sizeof(why)), -1);
	assert_string_equal(why, "port_no unreadable");
}

static struct oc_dev_facts dev(const char *name, unsigned char *buf)
{
	struct oc_dev_facts f = { buf, 16, 1, 1, 7, 4, 4 };

	memset(buf, 0, 16);
	memcpy(buf, name, strlen(name) < 16 ? strlen(name) : 16);
	return f;
}

static void test_dev(void **state)
{
	unsigned char b[16];
	struct oc_dev_facts f;
	char why[128];

	(void)state;
	f = dev("p1", b);
	assert_int_equal(oc_dev_check(&f, why, sizeof(why)), 0);
	f = dev("\xc3\xa9th\x01", b);	/* any other byte is a valid name */
	assert_int_equal(oc_dev_check(&f, why, sizeof(why)), 0);
	f.real_num_tx = 0;		/* the race: no tx queue left */
	assert_int_equal(oc_dev_check(&f, why, sizeof(why)), 0);
	f = dev("", b);
	assert_int_equal(oc_dev_check(&f, why, sizeof(why)), -1);
	assert_string_equal(why, "name empty");
	f = dev("0123456789abcdef", b);
	assert_int_equal(oc_dev_check(&f, why, sizeof(why)), -1);
	assert_string_equal(why, "name not NUL-terminated within IFNAMSIZ");
	f = dev("a/b", b);
	assert_int_equal(oc_dev_check(&f, why, sizeof(why)), -1);
	f = dev("a b", b);
	assert_int_equal(oc_dev_check(&f, why, sizeof(why)), -1);
	f = dev("..", b);
	assert_int_equal(oc_dev_check(&f, why, sizeof(why)), -1);
	f = dev("p1", b);
	f.reg_state_known = 0;
	f.reg_state = 0xa0;
	assert_int_equal(oc_dev_check(&f, why, sizeof(why)), -1);
	assert_string_equal(why, "reg_state 160 not an enumerator");
	f = dev("p1", b);
	f.ifindex = 0;
	assert_int_equal(oc_dev_check(&f, why, sizeof(why)), -1);
	f = dev("p1", b);
	f.num_tx = 0x20e8a000;
	f.real_num_tx = 0x20e8a001;
	assert_int_equal(oc_dev_check(&f, why, sizeof(why)), -1);
	f.num_tx = 0;
	f.real_num_tx = 0;
	assert_int_equal(oc_dev_check(&f, why, sizeof(why)), -1);
	assert_string_equal(why, "tx queues 0/0 impossible");
}

static void test_pernet_id(void **state)
{
	char why[128];

	(void)state;
	assert_int_equal(oc_pernet_id_check(12, 40, 13, 1, why, sizeof(why)), 0);
	assert_int_equal(oc_pernet_id_check(12, 0, 13, 1, why, sizeof(why)), 0);
	/* a short len: the kernel reads ptr[id] anyway */
	assert_int_equal(oc_pernet_id_check(12, 40, 3, 1, why, sizeof(why)), 1);
	assert_string_equal(why, "net_generic.len 3 does not cover id 12");
	assert_int_equal(oc_pernet_id_check(12, 40, 12, 1, why, sizeof(why)), 1);
	assert_int_equal(oc_pernet_id_check(12, 40, 0, 0, why, sizeof(why)), 1);
	/* ids are below max_gen_ptrs and never 0 */
	assert_int_equal(oc_pernet_id_check(0x7fff1234, 40, 13, 1, why, sizeof(why)), -1);
	assert_string_equal(why, "2147422772 (0x7fff1234) not below max_gen_ptrs 40");
	assert_int_equal(oc_pernet_id_check(40, 40, 41, 1, why, sizeof(why)), -1);
	assert_int_equal(oc_pernet_id_check(0, 40, 13, 1, why, sizeof(why)), -1);
}

int oc_test_plausible(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vport),
		cmocka_unit_test(test_dev),
		cmocka_unit_test(test_pernet_id),
	};
	return cmocka_run_group_tests_name("plausible", tests, NULL, NULL);
}
