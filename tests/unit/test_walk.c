// SPDX-License-Identifier: GPL-2.0
/* core/walk: bounded, cycle-safe list walks over a synthetic memory map */
#include <string.h>

#include "test_util.h"
#include "walk.h"

#define NSLOTS 64

struct fakemem {
	uint64_t addr[NSLOTS], val[NSLOTS];
	int n;
};

static void put(struct fakemem *m, uint64_t a, uint64_t v)
{
	m->addr[m->n] = a;
	m->val[m->n++] = v;
}

static int fm_read(void *ctx, uint64_t a, uint64_t *v)
{
	struct fakemem *m = ctx;
	int i;

	for (i = 0; i < m->n; i++)
		if (m->addr[i] == a) {
			*v = m->val[i];
			return 0;
		}
	return -1;
}

static int fm_valid(void *ctx, uint64_t a)
{
	(void)ctx;
	return a >= 0xffff000000000000ULL;
}

static uint64_t seen[NSLOTS];
static int nseen, stop_at;

static int collect(uint64_t node, void *arg)
{
	(void)arg;
	seen[nseen++] = node;
	return stop_at && nseen == stop_at;
}

#define K(x) (0xffff000000000000ULL + (x))

static int walk(struct fakemem *fm, uint64_t head, int hlist, int max, char *why)
{
	struct oc_mem m = { fm_read, fm_valid, fm };

	nseen = 0;
	return oc_walk(&m, head, hlist, max, collect, NULL, why, 128);
}

static void test_circular(void **state)
{
	struct fakemem fm = { 0 };
	char why[128] = "";

	(void)state;
	put(&fm, K(0x100), K(0x200));	/* head -> a -> b -> c -> head */
	put(&fm, K(0x200), K(0x300));
	put(&fm, K(0x300), K(0x400));
	put(&fm, K(0x400), K(0x100));
	assert_int_equal(walk(&fm, K(0x100), 0, 100, why), 3);
	assert_int_equal(seen[0], K(0x200));
	assert_int_equal(seen[2], K(0x400));
}

static void test_empty_and_hlist(void **state)
{
	struct fakemem fm = { 0 };
	char why[128];

	(void)state;
	put(&fm, K(0x100), K(0x100));
	assert_int_equal(walk(&fm, K(0x100), 0, 100, why), 0);
	put(&fm, K(0x500), K(0x600));	/* hlist: head -> x -> y -> NULL */
	put(&fm, K(0x600), K(0x700));
	put(&fm, K(0x700), 0);
	assert_int_equal(walk(&fm, K(0x500), 1, 100, why), 2);
	assert_int_equal(seen[1], K(0x700));
}

static void test_cycle_not_through_head(void **state)
{
	struct fakemem fm = { 0 };
	char why[128];
	int i;

	(void)state;
	put(&fm, K(0x100), K(0x200));
	for (i = 2; i < 9; i++)		/* 0x200 .. 0x800 */
		put(&fm, K(i * 0x100), K((i + 1) * 0x100));
	put(&fm, K(0x900), K(0x400));	/* back into the middle */
	assert_int_equal(walk(&fm, K(0x100), 0, 1000, why), -1);
	assert_non_null(strstr(why, "cycle"));
	assert_true(nseen < 30);	/* found within a few laps */
}

static void test_bad_and_unreadable(void **state)
{
	struct fakemem fm = { 0 };
	char why[128];

	(void)state;
	put(&fm, K(0x100), K(0x200));
	put(&fm, K(0x200), 0x1234);	/* user-space garbage */
	assert_int_equal(walk(&fm, K(0x100), 0, 100, why), -1);
	assert_string_equal(why, "bad pointer 1234 after 1 entries");
	assert_int_equal(nseen, 1);
	fm.n = 0;
	put(&fm, K(0x100), K(0x200));	/* 0x200 is not mapped */
	assert_int_equal(walk(&fm, K(0x100), 0, 100, why), -1);
	assert_string_equal(why, "next pointer unreadable after 1 entries");
	fm.n = 0;
	assert_int_equal(walk(&fm, K(0x100), 0, 100, why), -1);
	assert_non_null(strstr(why, "list head"));
}

static void test_bound_and_stop(void **state)
{
	struct fakemem fm = { 0 };
	char why[128];
	int i;

	(void)state;
	put(&fm, K(0), K(0x10));
	for (i = 1; i < 40; i++)
		put(&fm, K(i * 0x10), K((i + 1) * 0x10));
	put(&fm, K(40 * 0x10), K(0));
	assert_int_equal(walk(&fm, K(0), 0, 100, why), 40);
	assert_int_equal(walk(&fm, K(0), 0, 10, why), -1);
	assert_string_equal(why, "stopped after 10 entries (bound)");
	stop_at = 5;
	assert_int_equal(walk(&fm, K(0), 0, 100, why), 5);
	stop_at = 0;
}

int oc_test_walk(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_circular),
		cmocka_unit_test(test_empty_and_hlist),
		cmocka_unit_test(test_cycle_not_through_head),
		cmocka_unit_test(test_bad_and_unreadable),
		cmocka_unit_test(test_bound_and_stop),
	};
	return cmocka_run_group_tests_name("walk", tests, NULL, NULL);
}
