// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "test_util.h"
#include "strutil.h"

static size_t esc(const char *in, size_t n, char *out, size_t outsz)
{
	return oc_escape_text((const unsigned char *)in, n, out, outsz);
}

static void test_escape_plain(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(esc("eth0", 4, out, sizeof(out)), 4);
	assert_string_equal(out, "eth0");
	/* '<' and '>' are printable: kept */
	assert_int_equal(esc("a<b>", 4, out, sizeof(out)), 4);
	assert_string_equal(out, "a<b>");
}

static void test_escape_quotes_backslash(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(esc("q\"'\\", 4, out, sizeof(out)), 11);
	assert_string_equal(out, "q\\x22\\x27\\\\");
}

static void test_escape_control_and_high(void **state)
{
	const char in[] = "\x1b[31mred\xff\xfe";
	char out[64];

	(void)state;
	esc(in, sizeof(in) - 1, out, sizeof(out));
	assert_string_equal(out, "\\x1b[31mred\\xff\\xfe");
	/* an embedded NUL within n is escaped, not a terminator */
	esc("a\0b", 3, out, sizeof(out));
	assert_string_equal(out, "a\\x00b");
	esc("\n\t\x7f", 3, out, sizeof(out));
	assert_string_equal(out, "\\x0a\\x09\\x7f");
}

static void test_escape_truncation(void **state)
{
	char out[8];

	(void)state;
	memset(out, 'Z', sizeof(out));
	/* "ab\x1b": needs 6 chars; 5 bytes of room fits "ab" only */
	assert_int_equal(esc("ab\x1b", 3, out, 5), 6);
	assert_string_equal(out, "ab");
	assert_int_equal(out[5], 'Z');
	/* exactly enough room */
	assert_int_equal(esc("ab\x1b", 3, out, 7), 6);
	assert_string_equal(out, "ab\\x1b");
	/* no room at all: nothing written, length still reported */
	out[0] = 'Q';
	assert_int_equal(esc("abc", 3, out, 0), 3);
	assert_int_equal(out[0], 'Q');
	assert_int_equal(esc("abc", 3, out, 1), 3);
	assert_string_equal(out, "");
}

static void test_strlcpy(void **state)
{
	char out[5];

	(void)state;
	assert_int_equal(oc_strlcpy(out, "abc", sizeof(out)), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(oc_strlcpy(out, "abcdefgh", sizeof(out)), 8);
	assert_string_equal(out, "abcd");
}

static void test_hexdump(void **state)
{
	const unsigned char in[18] = "veth0\0\x01\x02" "ABCDEFGH\xff\x80";
	char out[256];

	(void)state;
	oc_hexdump(in, sizeof(in), 0xffff888004a3c000ULL, out, sizeof(out));
	assert_string_equal(out,
		"ffff888004a3c000: 76 65 74 68 30 00 01 02 41 42 43 44 45 46 47 48  |veth0...ABCDEFGH|\n"
		"ffff888004a3c010: ff 80                                            |..|\n");
	/* room for one line only: the second is dropped whole */
	oc_hexdump(in, sizeof(in), 0, out, 90);
	assert_non_null(strchr(out, '\n'));
	assert_null(strstr(out, "0000000000000010"));
}

static void test_appendf(void **state)
{
	char b[25] = "";

	(void)state;
	oc_appendf(b, sizeof(b), "cycle at %x", 0x40);
	assert_string_equal(b, "cycle at 40");
	oc_appendf(b, sizeof(b), "bad %s", "pointer");
	assert_string_equal(b, "cycle at 40; bad pointer");
	oc_appendf(b, sizeof(b), "more");	/* full: nothing added, no overflow */
	assert_string_equal(b, "cycle at 40; bad pointer");
	assert_int_equal(b[24], 0);
}

int oc_test_strutil(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_appendf),
		cmocka_unit_test(test_escape_plain),
		cmocka_unit_test(test_escape_quotes_backslash),
		cmocka_unit_test(test_escape_control_and_high),
		cmocka_unit_test(test_escape_truncation),
		cmocka_unit_test(test_strlcpy),
		cmocka_unit_test(test_hexdump),
	};

	return cmocka_run_group_tests_name("strutil", tests, NULL, NULL);
}
