// SPDX-License-Identifier: GPL-2.0
/* core/pagecache: whole pages of dump memory read once per command */
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "pagecache.h"

#define PG	64		/* small pages keep the tests quick */
#define BAD	0x1000		/* this page "is not in the dump" */

/* a synthetic memory: byte at a = low byte of a * 7 (every page
 * different), except page BAD, which fails to read; counts reads */
struct mem {
	int reads;
	uint64_t last;
};

static unsigned char byte_at(uint64_t a)
{
	return (unsigned char)(a * 7);
}

static int reader(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct mem *m = ctx;
	unsigned char *b = buf;
	size_t i;

	m->reads++;
	m->last = addr;
	for (i = 0; i < len; i++) {
		if (((addr + i) & ~(uint64_t)(PG - 1)) == BAD)
			return -1;
		b[i] = byte_at(addr + i);
	}
	return 0;
}

static void check_span(const unsigned char *b, uint64_t a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(b[i], byte_at(a + i));
}

static void test_init(void **state)
{
	struct oc_pagecache c;
	struct mem m = { 0 };

	(void)state;
	assert_int_equal(oc_pagecache_init(&c, 100, 1 << 20, reader, &m), -1);
	assert_int_equal(oc_pagecache_init(&c, PG, PG - 1, reader, &m), -1);
	assert_int_equal(oc_pagecache_init(&c, PG, 10 * PG, NULL, &m), -1);
	/* slots: the largest power of two that fits the bound */
	assert_int_equal(oc_pagecache_init(&c, PG, 10 * PG, reader, &m), 0);
	assert_int_equal(c.nslots, 8);
	assert_null(c.data);		/* no memory before the first read */
	oc_pagecache_free(&c);
}

/* a span over three pages comes back byte for byte; read again, no
 * page is read twice; whole pages are what the reader is asked */
static void test_span_and_hits(void **state)
{
	struct oc_pagecache c;
	struct mem m = { 0 };
	unsigned char buf[3 * PG];

	(void)state;
	assert_int_equal(oc_pagecache_init(&c, PG, 64 * PG, reader, &m), 0);
	assert_int_equal(oc_pagecache_read(&c, 0x2000 + 10, buf, 2 * PG + 5), 0);
	check_span(buf, 0x2000 + 10, 2 * PG + 5);
	assert_int_equal(m.reads, 3);
	assert_int_equal(m.last % PG, 0);
	assert_int_equal(oc_pagecache_read(&c, 0x2000 + PG + 1, buf, 8), 0);
	check_span(buf, 0x2000 + PG + 1, 8);
	assert_int_equal(m.reads, 3);
	assert_int_equal(c.hits, 1);
	assert_int_equal(oc_pagecache_read(&c, 0x2000, buf, 0), 0);	/* nothing */
	oc_pagecache_clear(&c);
	assert_int_equal(oc_pagecache_read(&c, 0x2000 + PG + 1, buf, 8), 0);
	assert_int_equal(m.reads, OC_PAGECACHE_WAYS);	/* forgotten by the clear */
	oc_pagecache_free(&c);
}

/* an unreadable page: -1, nothing kept for it (asked again next time,
 * so the caller's own read reports the fault as before), and a span
 * that only touches readable pages still reads */
static void test_fault(void **state)
{
	struct oc_pagecache c;
	struct mem m = { 0 };
	unsigned char buf[2 * PG];

	(void)state;
	assert_int_equal(oc_pagecache_init(&c, PG, 64 * PG, reader, &m), 0);
	assert_int_equal(oc_pagecache_read(&c, BAD + 8, buf, 8), -1);
	assert_int_equal(oc_pagecache_read(&c, BAD + 8, buf, 8), -1);
	assert_int_equal(m.reads, 2);
	assert_int_equal(c.faults, 2);
	/* the span ending on the bad page fails; the page before is fine */
	assert_int_equal(oc_pagecache_read(&c, BAD - 4, buf, 8), -1);
	assert_int_equal(oc_pagecache_read(&c, BAD - 4, buf, 4), 0);
	check_span(buf, BAD - 4, 4);
	/* a span that would wrap past the top of the address space */
	assert_int_equal(oc_pagecache_read(&c, UINT64_MAX - 3, buf, 8), -1);
	assert_int_equal(oc_pagecache_read(&c, UINT64_MAX - 3, buf, 4), 0);
	check_span(buf, UINT64_MAX - 3, 4);
	oc_pagecache_free(&c);
}

/* as many pages as a set has ways share one set without evicting each
 * other: read twice, each page is read once (direct-mapped, 4 pages in 4
 * slots would collide for most addresses) */
static void test_set_holds_its_ways(void **state)
{
	struct oc_pagecache c;
	struct mem m = { 0 };
	unsigned char buf[16];
	uint64_t a;
	int i, pass;

	(void)state;
	assert_int_equal(oc_pagecache_init(&c, PG, OC_PAGECACHE_WAYS * PG,
					   reader, &m), 0);
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < OC_PAGECACHE_WAYS; i++) {
			a = 0x200000 + (uint64_t)i * 17 * PG + 3;
			assert_int_equal(oc_pagecache_read(&c, a, buf, sizeof(buf)), 0);
			check_span(buf, a, sizeof(buf));
		}
	assert_int_equal(m.reads, OC_PAGECACHE_WAYS);
	assert_int_equal(c.hits, OC_PAGECACHE_WAYS);
	oc_pagecache_free(&c);
}

/* far more pages than slots: the data stay right (a page evicts one of
 * its set), the memory stays at the bound */
static void test_bounded(void **state)
{
	struct oc_pagecache c;
	struct mem m = { 0 };
	unsigned char buf[16];
	uint64_t a;
	int i, pass;

	(void)state;
	assert_int_equal(oc_pagecache_init(&c, PG, 16 * PG, reader, &m), 0);
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < 1000; i++) {
			a = 0x100000 + (uint64_t)i * 3 * PG + 7;
			assert_int_equal(oc_pagecache_read(&c, a, buf, sizeof(buf)), 0);
			check_span(buf, a, sizeof(buf));
		}
	assert_int_equal(c.nslots, 16);
	assert_true(m.reads >= 2000 - 16);	/* the second pass misses too */
	oc_pagecache_free(&c);
	assert_null(c.data);
}

int oc_test_pagecache(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_span_and_hits),
		cmocka_unit_test(test_fault),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_set_holds_its_ways),
	};
	return cmocka_run_group_tests_name("pagecache", tests, NULL, NULL);
}
