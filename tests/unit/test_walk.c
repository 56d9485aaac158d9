// SPDX-License-Identifier: GPL-2.0
/* core/walk: bounded, cycle-safe list walks over a synthetic memory map */
#include <string.h>

#include "test_util.h"
#include "budget.h"
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
	return oc_walk(&m, NULL, head, hlist, max, collect, NULL, why, 128);
}

static int walk_b(struct fakemem *fm, struct oc_budget *b, uint64_t head,
		  int hlist, char *why)
{
	struct oc_mem m = { fm_read, fm_valid, fm };

	nseen = 0;
	return oc_walk(&m, b, head, hlist, 1000, collect, NULL, why, 128);
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

/* a list of @n nodes after the head at K(0): K(0x10), K(0x20), ... */
static void chain(struct fakemem *fm, int n)
{
	int i;

	fm->n = 0;
	put(fm, K(0), K(0x10));
	for (i = 1; i < n; i++)
		put(fm, K(i * 0x10), K((i + 1) * 0x10));
	put(fm, K(n * 0x10), K(0));
}

/* The budget is charged before each read: the head, then each node
 * before the callback sees it.  n nodes need exactly n + 1. */
static void test_budget_exact(void **state)
{
	struct fakemem fm = { 0 };
	struct oc_budget b = { 0 };
	char why[128];

	(void)state;
	chain(&fm, 10);
	oc_budget_start(&b, 11, 0);
	assert_int_equal(walk_b(&fm, &b, K(0), 0, why), 10);
	assert_false(b.spent);
	assert_int_equal(b.nodes, 11);
	oc_budget_start(&b, 10, 0);
	assert_int_equal(walk_b(&fm, &b, K(0), 0, why), -1);
	assert_int_equal(nseen, 9);	/* the 10th node was never handed on */
	assert_true(b.spent);
	assert_int_equal(b.nodes, 10);
	assert_string_equal(b.where, "list head ffff000000000000 after 9 entries");
	assert_string_equal(why, "node budget of 10 spent after 9 entries");
	/* spent stays spent: the next walk (an enclosing one) stops at once,
	 * and the first place is kept */
	assert_int_equal(walk_b(&fm, &b, K(0x30), 0, why), -1);
	assert_int_equal(nseen, 0);
	assert_string_equal(b.where, "list head ffff000000000000 after 9 entries");
}

/* Nested walks share one budget: a list of lists stops in the middle
 * of an inner list, and the outer walk stops without another node. */
struct nest {
	struct fakemem *inner;
	struct oc_budget *b;
	int inner_nodes, inner_fail;
};

static int inner_walk(uint64_t node, void *arg)
{
	struct nest *ns = arg;
	struct oc_mem m = { fm_read, fm_valid, ns->inner };
	char why[128];
	int r;

	(void)node;
	r = oc_walk(&m, ns->b, K(0), 0, 1000, collect, NULL, why, sizeof(why));
	if (r < 0)
		ns->inner_fail++;
	else
		ns->inner_nodes += r;
	return 0;
}

static void test_budget_nested(void **state)
{
	struct fakemem outer = { 0 }, inner = { 0 };
	struct oc_budget b = { 0 };
	struct nest ns = { &inner, &b, 0, 0 };
	struct oc_mem m = { fm_read, fm_valid, &outer };
	char why[128];
	int i;

	(void)state;
	chain(&inner, 5);	/* each inner list: 6 reads */
	put(&outer, K(0x1000), K(0x1100));	/* 4 outer nodes */
	for (i = 1; i < 4; i++)
		put(&outer, K(0x1000 + i * 0x100), K(0x1000 + (i + 1) * 0x100));
	put(&outer, K(0x1400), K(0x1000));
	/* full: 1 + 4 * (1 + 6) = 29 */
	oc_budget_start(&b, 29, 0);
	assert_int_equal(oc_walk(&m, &b, K(0x1000), 0, 1000, inner_walk, &ns,
				 why, sizeof(why)), 4);
	assert_int_equal(ns.inner_nodes, 20);
	/* 1 + 7 + 7 + 3: stops in the third inner list after 1 node */
	ns.inner_nodes = ns.inner_fail = 0;
	oc_budget_start(&b, 18, 0);
	assert_int_equal(oc_walk(&m, &b, K(0x1000), 0, 1000, inner_walk, &ns,
				 why, sizeof(why)), -1);
	assert_int_equal(ns.inner_nodes, 10);
	assert_int_equal(ns.inner_fail, 1);
	assert_string_equal(b.where, "list head ffff000000000000 after 1 entries");
	assert_string_equal(why, "node budget of 18 spent after 3 entries");
	assert_int_equal(b.nodes, 18);
}

static uint64_t fake_now;

static uint64_t fake_clock(void)
{
	return fake_now;
}

static int tick(uint64_t node, void *arg)
{
	(void)node;
	(void)arg;
	fake_now += 100;	/* each node takes 100 ms */
	return 0;
}

/* The time bound is checked in the walk loop, on the clock given. */
static void test_budget_time(void **state)
{
	struct fakemem fm = { 0 };
	struct oc_budget b = { .clock_ms = fake_clock };
	struct oc_mem m = { fm_read, fm_valid, &fm };
	char why[128], line[256];

	(void)state;
	chain(&fm, 40);
	fake_now = 5000;
	oc_budget_start(&b, 0, 1000);
	assert_int_equal(oc_walk(&m, &b, K(0), 0, 1000, tick, NULL, why,
				 sizeof(why)), -1);
	assert_int_equal(b.nodes, 11);	/* head + 10 nodes in 1000 ms */
	assert_string_equal(why, "time budget of 1.000 s spent after 10 entries");
	oc_budget_describe(&b, line, sizeof(line));
	assert_string_equal(line, "stopped at list head ffff000000000000 after 10 entries: "
			    "time budget of 1.000 s spent (11 nodes read, 1000 ms)");
}

static void test_budget_parse(void **state)
{
	unsigned long nodes = 7, ms = 7;
	char err[160];

	(void)state;
	assert_int_equal(oc_budget_parse("1000", &nodes, &ms, err, sizeof(err)), 0);
	assert_int_equal(nodes, 1000);
	assert_int_equal(ms, 7);	/* untouched */
	assert_int_equal(oc_budget_parse("0,2.5", &nodes, &ms, err, sizeof(err)), 0);
	assert_int_equal(nodes, 0);
	assert_int_equal(ms, 2500);
	assert_int_equal(oc_budget_parse("5,0.05", &nodes, &ms, err, sizeof(err)), 0);
	assert_int_equal(ms, 50);
	assert_int_equal(oc_budget_parse("12,30", &nodes, &ms, err, sizeof(err)), 0);
	assert_int_equal(ms, 30000);
	nodes = 77;	/* ",SECONDS": the node bound is kept */
	assert_int_equal(oc_budget_parse(",1.5", &nodes, &ms, err, sizeof(err)), 0);
	assert_int_equal(nodes, 77);
	assert_int_equal(ms, 1500);
	assert_int_equal(oc_budget_parse(",", &nodes, &ms, err, sizeof(err)), -1);
	assert_int_equal(oc_budget_parse("", &nodes, &ms, err, sizeof(err)), -1);
	assert_int_equal(oc_budget_parse("-1", &nodes, &ms, err, sizeof(err)), -1);
	assert_int_equal(oc_budget_parse("10x", &nodes, &ms, err, sizeof(err)), -1);
	assert_int_equal(oc_budget_parse("10,", &nodes, &ms, err, sizeof(err)), -1);
	assert_int_equal(oc_budget_parse("10,1.", &nodes, &ms, err, sizeof(err)), -1);
	assert_int_equal(oc_budget_parse("10,0.0001", &nodes, &ms, err, sizeof(err)), -1);
	assert_int_equal(oc_budget_parse("99999999999999999999999", &nodes, &ms, err,
					 sizeof(err)), -1);
	assert_non_null(strstr(err, "99999999999999999999999"));
	/* the empty budget: no bound */
	assert_int_equal(oc_budget_charge(NULL, 1000), 0);
}

int oc_test_walk(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_circular),
		cmocka_unit_test(test_empty_and_hlist),
		cmocka_unit_test(test_cycle_not_through_head),
		cmocka_unit_test(test_bad_and_unreadable),
		cmocka_unit_test(test_bound_and_stop),
		cmocka_unit_test(test_budget_exact),
		cmocka_unit_test(test_budget_nested),
		cmocka_unit_test(test_budget_time),
		cmocka_unit_test(test_budget_parse),
	};
	return cmocka_run_group_tests_name("walk", tests, NULL, NULL);
}
