// SPDX-License-Identifier: GPL-2.0
/* core/elfinfo: build-ids (checked against readelf), module decompression */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
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

/* a file of n lines of text at a fresh path in /tmp */
static void text_file(char *path, int lines)
{
	int fd = mkstemp(path);
	FILE *f;
	int i;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (i = 0; i < lines; i++)
		fprintf(f, "line %d of a module that is not one\n", i);
	assert_int_equal(fclose(f), 0);
}

static void compress(const char *tool, const char *src, const char *dst)
{
	char cmd[2000];

	snprintf(cmd, sizeof(cmd), "%s -q -c '%s' > '%s'", tool, src, dst);
	assert_int_equal(system(cmd), 0);
}

/* entries of a directory (a leaked temporary shows here) */
static int entries_of(const char *dir)
{
	char cmd[600], line[64];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	pclose(p);
	return atoi(line);
}

static void roundtrip(const char *tool, const char *ext)
{
	char src[] = "/tmp/oc-unit-XXXXXX", comp[600], view[64], err[256], cmd[2000];
	char tmpdir[] = "/tmp/oc-unit-tmpdir-XXXXXX";
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	int fd;

	text_file(src, 200000);
	snprintf(comp, sizeof(comp), "%s%s", src, ext);
	compress(tool, src, comp);
	/* the copy has no name in TMPDIR, and is read through /proc */
	assert_non_null(mkdtemp(tmpdir));
	setenv("TMPDIR", tmpdir, 1);
	fd = oc_module_open(comp, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(entries_of(tmpdir), 0);
	snprintf(view, sizeof(view), "/proc/self/fd/%d", fd);
	assert_true(same_file(src, view));
	close(fd);
	/* corrupt: cut the compressed file in half */
	snprintf(cmd, sizeof(cmd), "truncate -s $(( $(stat -c %%s '%s') / 2 )) '%s'", comp, comp);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(oc_module_open(comp, err, sizeof(err)), -1);
	assert_true(err[0]);
	assert_int_equal(entries_of(tmpdir), 0);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	rmdir(tmpdir);
	unlink(comp);
	unlink(src);
}

static void test_decompress(void **state)
{
	char err[64];
	int fd;

	(void)state;
	roundtrip("xz", ".xz");
	roundtrip("zstd", ".zst");
	/* a plain file is opened as it is */
	fd = oc_module_open("/etc/hostname", err, sizeof(err));
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(oc_module_open("/nonexistent/x.ko", err, sizeof(err)), -1);
	assert_string_equal(err, "No such file or directory");
	/* a FIFO (or a device) under a module's name: refused, not read */
	{
		char fifo[] = "/tmp/oc-unit-fifo-XXXXXX", xz[64];

		assert_non_null(mkdtemp(fifo));
		snprintf(xz, sizeof(xz), "%s/openvswitch.ko.xz", fifo);
		assert_int_equal(mkfifo(xz, 0600), 0);
		assert_int_equal(oc_module_open(xz, err, sizeof(err)), -1);
		assert_string_equal(err, "not a regular file");
		xz[strlen(xz) - 3] = '\0';
		assert_int_equal(mkfifo(xz, 0600), 0);
		assert_int_equal(oc_module_open(xz, err, sizeof(err)), -1);
		assert_string_equal(err, "not a regular file");
		unlink(xz);
		strcat(xz, ".xz");
		unlink(xz);
		rmdir(fifo);
	}
	assert_int_equal(oc_module_open("/dev/zero", err, sizeof(err)), -1);
}

/* output past the limit is refused (a bomb), the limit itself is not;
 * a write error (ENOSPC from /dev/full) fails with its reason */
static void test_decompress_limits(void **state)
{
	char src[] = "/tmp/oc-unit-XXXXXX", comp[600], err[256];
	const char *const tools[][2] = { { "xz", ".xz" }, { "zstd", ".zst" } };
	unsigned long long size;
	struct stat st;
	int i, fd;

	(void)state;
	text_file(src, 1000);
	assert_int_equal(stat(src, &st), 0);
	size = st.st_size;
	for (i = 0; i < 2; i++) {
		snprintf(comp, sizeof(comp), "%s%s", src, tools[i][1]);
		compress(tools[i][0], src, comp);
		fd = open("/dev/null", O_WRONLY);
		assert_int_equal(oc_decompress_fd(comp, fd, size, err, sizeof(err)), 0);
		assert_int_equal(oc_decompress_fd(comp, fd, size - 1, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "decompression bomb"));
		close(fd);
		fd = open("/dev/full", O_WRONLY);
		assert_true(fd >= 0);
		assert_int_equal(oc_decompress_fd(comp, fd, size, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "No space left on device"));
		close(fd);
		unlink(comp);
	}
	unlink(src);
	assert_true(OC_DECOMPRESS_MAX >= (64ULL << 20));
}

int oc_test_elfinfo(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_elf_build_id),
		cmocka_unit_test(test_decompress),
		cmocka_unit_test(test_decompress_limits),
	};
	return cmocka_run_group_tests_name("elfinfo", tests, NULL, NULL);
}
