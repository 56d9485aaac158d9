// SPDX-License-Identifier: GPL-2.0
/* core/elfinfo: build-ids (checked against readelf), module decompression */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "elfinfo.h"

static void test_notes(void **state)
{
	/* two notes: a non-GNU one, then NT_GNU_BUILD_ID "GNU" 4 bytes */
	static const unsigned char notes[] = {
		4, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 'X', 'e', 'n', 0, 1, 2, 3, 4,
		4, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0, 0xde, 0xad, 0xbe, 0xef,
	};
	unsigned char id[OC_BUILD_ID_MAX];
	char hex[16];

	(void)state;
	assert_int_equal(oc_notes_build_id(notes, sizeof(notes), id, sizeof(id)), 4);
	assert_string_equal(oc_hex(id, 4, hex, sizeof(hex)), "deadbeef");
	/* truncated: the descriptor runs past the end */
	assert_int_equal(oc_notes_build_id(notes, sizeof(notes) - 2, id, sizeof(id)), -1);
	/* absurd sizes */
	assert_int_equal(oc_notes_build_id((const unsigned char *)"\xff\xff\xff\xff\0\0\0\0\3\0\0\0",
					   12, id, sizeof(id)), -1);
}

/* the running test binary's build-id, as binutils' readelf sees it */
static void readelf_build_id(const char *path, char *out, size_t n)
{
	char cmd[600], line[512];
	FILE *p;

	out[0] = '\0';
	snprintf(cmd, sizeof(cmd), "readelf -n '%s'", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char *b = strstr(line, "Build ID: ");

		if (b) {
			snprintf(out, n, "%s", b + 10);
			out[strcspn(out, "\n")] = '\0';
		}
	}
	pclose(p);
}

static void test_elf_build_id(void **state)
{
	unsigned char id[OC_BUILD_ID_MAX];
	char hex[2 * OC_BUILD_ID_MAX + 1], want[256], err[256], self[512];
	size_t idlen;
	int dbg;
	ssize_t n;

	(void)state;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	assert_true(n > 0);
	self[n] = '\0';
	readelf_build_id(self, want, sizeof(want));
	assert_true(want[0]);
	assert_int_equal(oc_elf_info(self, id, &idlen, &dbg, err, sizeof(err)), 0);
	assert_string_equal(oc_hex(id, idlen, hex, sizeof(hex)), want);
	assert_true(dbg);	/* built with -g */
	assert_int_equal(oc_elf_info("/nonexistent/x.ko", id, &idlen, &dbg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x.ko"));
	assert_int_equal(oc_elf_info("/etc/hostname", id, &idlen, &dbg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not an ELF file"));
}

static int same_file(const char *a, const char *b)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", a, b);
	return system(cmd) == 0;
}

static void roundtrip(const char *tool, const char *ext)
{
	char src[] = "/tmp/oc-unit-XXXXXX", comp[600], out[600], err[256], cmd[2000];
	int fd = mkstemp(src);
	FILE *f;
	int i;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	for (i = 0; i < 200000; i++)
		fprintf(f, "line %d of a module that is not one\n", i);
	fclose(f);
	snprintf(comp, sizeof(comp), "%s%s", src, ext);
	snprintf(cmd, sizeof(cmd), "%s -q -c '%s' > '%s'", tool, src, comp);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(oc_decompress_to_temp(comp, out, sizeof(out), err, sizeof(err)), 1);
	assert_true(same_file(src, out));
	unlink(out);
	/* corrupt: cut the compressed file in half */
	snprintf(cmd, sizeof(cmd), "truncate -s $(( $(stat -c %%s '%s') / 2 )) '%s'", comp, comp);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(oc_decompress_to_temp(comp, out, sizeof(out), err, sizeof(err)), -1);
	assert_true(err[0]);
	unlink(comp);
	unlink(src);
}

static void test_decompress(void **state)
{
	char out[64], err[64];

	(void)state;
	roundtrip("xz", ".xz");
	roundtrip("zstd", ".zst");
	assert_int_equal(oc_decompress_to_temp("/x/plain.ko", out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "/x/plain.ko");
}

int oc_test_elfinfo(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_elf_build_id),
		cmocka_unit_test(test_decompress),
	};
	return cmocka_run_group_tests_name("elfinfo", tests, NULL, NULL);
}
