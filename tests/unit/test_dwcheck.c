// SPDX-License-Identifier: GPL-2.0
/* core/dwcheck: read this test binary's own DWARF */
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "dwcheck.h"

static inline __attribute__((always_inline)) int oc_dw_inlined(int x)
{
	return x * 3 + 1;
}

__attribute__((noinline)) int oc_dw_called(int x)
{
	return x ^ 0x55;
}

__attribute__((noinline)) int oc_dw_target(int x)
{
	return oc_dw_inlined(x) + oc_dw_called(x);
}

__attribute__((noinline)) int oc_dw_other(int x)
{
	return oc_dw_called(x + 1);
}

static void test_func_uses(void **state)
{
	static const char *const callees[] = { "oc_dw_inlined", "oc_dw_called", "oc_dw_other" };
	char self[512], err[256];
	int present[3];
	ssize_t n;

	(void)state;
	assert_int_equal(oc_dw_target(2), 7 + (2 ^ 0x55));
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	assert_true(n > 0);
	self[n] = '\0';
	assert_int_equal(oc_dwarf_func_uses(self, "oc_dw_target", callees, 3, present,
					    err, sizeof(err)), 0);
	assert_int_equal(present[0], 1);
	assert_int_equal(present[1], 1);
	assert_int_equal(present[2], 0);
	assert_int_equal(oc_dwarf_func_uses(self, "oc_dw_other", callees, 3, present,
					    err, sizeof(err)), 0);
	assert_int_equal(present[0], 0);
	assert_int_equal(present[1], 1);
	assert_int_equal(oc_dwarf_func_uses(self, "no_such_function", callees, 3, present,
					    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no compiled instance of no_such_function"));
	assert_int_equal(oc_dwarf_func_uses("/nonexistent", "x", callees, 3, present,
					    err, sizeof(err)), -1);
}

int oc_test_dwcheck(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_func_uses),
	};
	return cmocka_run_group_tests_name("dwcheck", tests, NULL, NULL);
}
