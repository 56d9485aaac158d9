// SPDX-License-Identifier: GPL-2.0
/* core/addrmap: the O(1) duplicate check of the device walks */
#include <stdlib.h>
#include <time.h>

#include "test_util.h"
#include "addrmap.h"

#define KV(i) (0xffff888000000000ULL + (uint64_t)(i) * 0x1000)

static void test_put_get(void **state)
{
	struct oc_addrmap m = { 0 };
	int i;

	(void)state;
	assert_int_equal(oc_addrmap_get(&m, KV(1)), -1);	/* empty, no table */
	for (i = 0; i < 1000; i++)
		assert_int_equal(oc_addrmap_put(&m, KV(i), i), 0);
	assert_int_equal(m.n, 1000);
	for (i = 0; i < 1000; i++)
		assert_int_equal(oc_addrmap_get(&m, KV(i)), i);
	assert_int_equal(oc_addrmap_get(&m, KV(1000)), -1);
	assert_int_equal(oc_addrmap_get(&m, KV(0) + 8), -1);
	/* a duplicate replaces, does not add */
	assert_int_equal(oc_addrmap_put(&m, KV(7), 70), 0);
	assert_int_equal(m.n, 1000);
	assert_int_equal(oc_addrmap_get(&m, KV(7)), 70);
	/* key 0 is a key like any other */
	assert_int_equal(oc_addrmap_get(&m, 0), -1);
	assert_int_equal(oc_addrmap_put(&m, 0, 5), 0);
	assert_int_equal(oc_addrmap_get(&m, 0), 5);
	oc_addrmap_clear(&m);
	assert_int_equal(oc_addrmap_get(&m, KV(7)), -1);
	assert_int_equal(oc_addrmap_get(&m, 0), -1);
	assert_int_equal(oc_addrmap_put(&m, KV(7), 1), 0);
	assert_int_equal(oc_addrmap_get(&m, KV(7)), 1);
	oc_addrmap_free(&m);
}

/*
 * O(1) per device: 1,000,000 lookups of 100,000 keys that share their
 * low 12 bits (page-aligned net_devices) take well under the time a
 * linear scan would (5 * 10^10 comparisons: minutes even natively);
 * CPU time, so a loaded machine does not make it flaky.
 */
static void test_many(void **state)
{
	struct oc_addrmap m = { 0 };
	struct timespec t0, t1;
	int i, hits = 0;
	double s;

	(void)state;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(oc_addrmap_put(&m, KV(i), i), 0);
	for (i = 0; i < 1000000; i++)
		hits += oc_addrmap_get(&m, KV(i % 200000)) == i % 200000;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_int_equal(hits, 500000);	/* half the keys asked are absent */
	assert_true(m.cap >= 2 * m.n);	/* grown at half full */
	assert_true(s < 10.0);		/* valgrind included: about 2 s */
	oc_addrmap_free(&m);
}

int oc_test_addrmap(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests_name("addrmap", tests, NULL, NULL);
}
