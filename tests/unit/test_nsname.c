// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "test_util.h"
#include "nsname.h"

static void test_short(void **state)
{
	(void)state;
	assert_string_equal(oc_ns_short_name("/run/netns/pod-a"), "pod-a");
	assert_string_equal(oc_ns_short_name("/var/run/netns/B"), "B");
	assert_string_equal(oc_ns_short_name("/var/run/docker/netns/3b1f"),
			    "/var/run/docker/netns/3b1f");
	/* the directory itself (a name of nothing) stays whole */
	assert_string_equal(oc_ns_short_name("/run/netns/"), "/run/netns/");
	assert_string_equal(oc_ns_short_name("/run/netnsX"), "/run/netnsX");
}

static void test_join(void **state)
{
	const char *const v[] = { "/run/netns/A", "/var/run/docker/netns/3b1f" };
	char buf[64];

	(void)state;
	assert_string_equal(oc_ns_names_text(v, 2, 2, buf, sizeof(buf)),
			    "A,/var/run/docker/netns/3b1f");
	assert_string_equal(oc_ns_names_text(v, 0, 0, buf, sizeof(buf)), "-");
	/* names found but not kept are counted */
	assert_string_equal(oc_ns_names_text(v, 1, 5, buf, sizeof(buf)), "A,+4");
}

/* a hostile name: every byte that is not plain printable ASCII, quotes
 * included, comes out as \xNN (backslash as \\); the column has no raw
 * control byte or newline of the name's own (a comma in a name stays:
 * JSON's netns_names is the unambiguous list) */
static void test_hostile(void **state)
{
	const char *const v[] = { "/run/netns/a\x1b[31m\"\n,\xff\\" };
	char buf[128];

	(void)state;
	oc_ns_names_text(v, 1, 1, buf, sizeof(buf));
	assert_string_equal(buf, "a\\x1b[31m\\x22\\x0a,\\xff\\\\");
	assert_null(strchr(buf, '\x1b'));
	assert_null(strchr(buf, '\n'));
}

/* too narrow: whole names only, the rest counted, never cut mid-name */
static void test_cut(void **state)
{
	const char *const v[] = { "/run/netns/aaaa", "/run/netns/bbbb", "/run/netns/cccc" };
	char buf[24], tiny[3];

	(void)state;
	oc_ns_names_text(v, 3, 3, buf, sizeof(buf));
	assert_string_equal(buf, "aaaa,+2");
	oc_ns_names_text(v, 3, 3, tiny, sizeof(tiny));
	assert_string_equal(tiny, "+3");
	assert_true(strlen(oc_ns_names_text(v, 3, 3, tiny, 2)) < 2);
}

int oc_test_nsname(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests_name("nsname", tests, NULL, NULL);
}
