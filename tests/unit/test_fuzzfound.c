// SPDX-License-Identifier: GPL-2.0
/*
 * Inputs that broke a parser under the fuzz targets of tests/fuzz (or
 * under their harness when crafted), each kept in tests/unit/data as
 * fuzz_<target>_<what>.txt.  A line is placed so that its NUL is the
 * last byte before an unmapped page: a read past the NUL faults here
 * even without the sanitizers.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_util.h"
#include "arch.h"
#include "regdump.h"

struct guarded {
	char *map;
	size_t maplen;
	char *line;		/* NUL-terminated, NUL at the page's end */
};

static void guard(struct guarded *g, const char *text, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	assert_true(len + 1 <= page);
	g->maplen = 2 * page;
	g->map = mmap(NULL, g->maplen, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(g->map != MAP_FAILED);
	assert_int_equal(mprotect(g->map + page, page, PROT_NONE), 0);
	g->line = g->map + page - (len + 1);
	memcpy(g->line, text, len);
	g->line[len] = '\0';
}

static void unguard(struct guarded *g)
{
	munmap(g->map, g->maplen);
}

/*
 * `RIP: a` at the end of a line: the x86_64 dump opener took one hex
 * digit as the start of a `0010:` segment selector and read p[4], three
 * bytes past the NUL (fuzz_regdump's one_line(); the 1023-byte
 * log line ending so).  Not a dump opener: no selector, no symbol.
 */
static void test_rip_short_selector(void **state)
{
	struct oc_regdump rd;
	struct guarded g;
	size_t len;
	char *t = oc_test_read("fuzz_regdump_rip_selector.txt", &len);

	(void)state;
	assert_non_null(t);
	guard(&g, t, len);
	free(t);
	memset(&rd, 0, sizeof(rd));
	assert_int_equal(oc_arch_x86_64.regdump_start(g.line, &rd), 0);
	unguard(&g);

	/* every cut of a real selector line is read within its bytes */
	{
		static const char full[] = "RIP: 0010:netdev_pick_tx+0x26d/0x2b0";
		size_t n;

		for (n = 0; n <= sizeof(full) - 1; n++) {
			guard(&g, full, n);
			memset(&rd, 0, sizeof(rd));
			oc_arch_x86_64.regdump_start(g.line, &rd);
			unguard(&g);
		}
		guard(&g, full, sizeof(full) - 1);
		memset(&rd, 0, sizeof(rd));
		assert_int_equal(oc_arch_x86_64.regdump_start(g.line, &rd), 1);
		assert_string_equal(rd.pc_sym, "netdev_pick_tx");
		assert_int_equal(rd.pc_off, 0x26d);
		unguard(&g);
	}
}

int oc_test_fuzzfound(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rip_short_selector),
	};

	return cmocka_run_group_tests_name("fuzzfound", tests, NULL, NULL);
}
