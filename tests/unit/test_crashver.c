// SPDX-License-Identifier: GPL-2.0
/* core/crashver.c: the version guard's decision and its one line */
#include <string.h>

#include "test_util.h"
#include "crashver.h"

static enum oc_crashver_verdict check(const char *bv, const char *bt,
				      const char *rv, const char *rt,
				      const char *path, const char *ignore,
				      char *line, size_t n)
{
	struct oc_crashver c = {
		.self = "ovscrash.so",
		.built_version = bv, .built_target = bt,
		.run_version = rv, .run_target = rt,
		.run_path = path, .ignore = ignore,
	};

	return oc_crashver_check(&c, line, n);
}

static void test_match(void **state)
{
	char line[256] = "junk";

	(void)state;
	assert_int_equal(check("9.0.2", "X86_64", "9.0.2", "X86_64", NULL,
			       NULL, line, sizeof(line)), OC_CRASHVER_MATCH);
	assert_string_equal(line, "");
	/* the escape hatch changes nothing when the versions agree */
	assert_int_equal(check("9.0.2", "ARM64", "9.0.2", "ARM64", NULL, "1",
			       line, sizeof(line)), OC_CRASHVER_MATCH);
	assert_string_equal(line, "");
}

static void test_version_mismatch(void **state)
{
	char line[256];

	(void)state;
	assert_int_equal(check("9.0.2", "X86_64", "8.0.2", "X86_64",
			       "/usr/bin/crash", NULL, line, sizeof(line)),
			 OC_CRASHVER_REFUSED);
	assert_string_equal(line, "ovscrash.so: built for crash 9.0.2 (X86_64), this is crash 8.0.2 (X86_64): not loaded; rebuild it against this crash's defs.h (`make ext-system`: /usr/include/crash) or use ovscrash-crash");
	assert_int_equal(check("8.0.2", "X86_64", "9.0.2", "X86_64",
			       "/var/cache/ovscrash/crash/x/crash", NULL,
			       line, sizeof(line)), OC_CRASHVER_REFUSED);
	assert_string_equal(line, "ovscrash.so: built for crash 8.0.2 (X86_64), this is crash 9.0.2 (X86_64): not loaded; rebuild it against this crash's defs.h (`make CRASH_INCLUDE=DIR`) or use ovscrash-crash");
	/* same means the same string: a git build's "9.0.2++" is another */
	assert_int_equal(check("9.0.2", "X86_64", "9.0.2++", "X86_64", NULL,
			       NULL, line, sizeof(line)), OC_CRASHVER_REFUSED);
	assert_int_equal(check("9.0.2", "X86_64", "9.0.20", "X86_64", NULL,
			       NULL, line, sizeof(line)), OC_CRASHVER_REFUSED);
	assert_null(strchr(line, '\n'));
}

static void test_unknown_sides(void **state)
{
	char line[256];

	(void)state;
	/* a crash without the globals, or an empty recorded version */
	assert_int_equal(check("9.0.2", "X86_64", NULL, "X86_64", NULL, NULL,
			       line, sizeof(line)), OC_CRASHVER_REFUSED);
	assert_non_null(strstr(line, "this is crash (unknown) (X86_64)"));
	assert_int_equal(check("", "X86_64", "", "X86_64", NULL, NULL,
			       line, sizeof(line)), OC_CRASHVER_REFUSED);
	assert_int_equal(check("9.0.2", "X86_64", "9.0.2", NULL, NULL, "1",
			       line, sizeof(line)), OC_CRASHVER_REFUSED);
	assert_non_null(strstr(line, "(unknown)): not loaded"));
	/* the directory named comes from the "(unknown)" shown, not from an
	 * unwritten buffer (valgrind saw the read before the fix) */
	assert_non_null(strstr(line, "`make TARGET=(unknown)`; installed: /usr/lib/ovscrash/extensions/(unknown)/ovscrash.so"));
}

static void test_target_mismatch(void **state)
{
	char line[256];

	(void)state;
	assert_int_equal(check("9.0.2", "X86_64", "9.0.2", "ARM64", NULL,
			       NULL, line, sizeof(line)), OC_CRASHVER_REFUSED);
	assert_string_equal(line, "ovscrash.so: built for crash 9.0.2 (X86_64), this is crash 9.0.2 (ARM64): not loaded; load the build for ARM64 (`make TARGET=ARM64`; installed: /usr/lib/ovscrash/extensions/arm64/ovscrash.so) or use ovscrash-crash");
	/* the escape hatch is for versions only */
	assert_int_equal(check("9.0.2", "X86_64", "8.0.2", "ARM64", NULL, "1",
			       line, sizeof(line)), OC_CRASHVER_REFUSED);
}

static void test_ignore(void **state)
{
	char line[256];

	(void)state;
	assert_int_equal(check("9.0.2", "X86_64", "8.0.2", "X86_64", NULL, "1",
			       line, sizeof(line)), OC_CRASHVER_IGNORED);
	assert_string_equal(line, "ovscrash.so: built for crash 9.0.2 (X86_64), this is crash 8.0.2 (X86_64): loaded anyway (OVSCRASH_IGNORE_CRASH_VERSION=1): commands may misbehave, the defs.h differs");
	/* only "1" opens it */
	assert_int_equal(check("9.0.2", "X86_64", "8.0.2", "X86_64", NULL, "",
			       line, sizeof(line)), OC_CRASHVER_REFUSED);
	assert_int_equal(check("9.0.2", "X86_64", "8.0.2", "X86_64", NULL,
			       "yes", line, sizeof(line)), OC_CRASHVER_REFUSED);
}

static void test_escaped_and_bounded(void **state)
{
	char line[512], small[40];
	struct oc_crashver c = {
		.self = "ovs\ncrash\x1b[31m.so",
		.built_version = "9.0.2", .built_target = "X86_64",
		.run_version = "8\"0'2\\", .run_target = "X86_64",
	};

	(void)state;
	assert_int_equal(oc_crashver_check(&c, line, sizeof(line)),
			 OC_CRASHVER_REFUSED);
	assert_true(!strncmp(line, "ovs\\x0acrash\\x1b[31m.so: built for crash 9.0.2 (X86_64), this is crash 8\\x220\\x272\\\\ (X86_64): not loaded;", 97));
	assert_null(strchr(line, '\n'));
	assert_null(strchr(line, '\x1b'));
	/* cut, terminated, same verdict */
	memset(small, 'x', sizeof(small));
	assert_int_equal(oc_crashver_check(&c, small, sizeof(small)),
			 OC_CRASHVER_REFUSED);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	c.ignore = "1";
	assert_int_equal(oc_crashver_check(&c, small, sizeof(small)),
			 OC_CRASHVER_IGNORED);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int oc_test_crashver(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_version_mismatch),
		cmocka_unit_test(test_unknown_sides),
		cmocka_unit_test(test_target_mismatch),
		cmocka_unit_test(test_ignore),
		cmocka_unit_test(test_escaped_and_bounded),
	};

	return cmocka_run_group_tests_name("crashver", tests, NULL, NULL);
}
