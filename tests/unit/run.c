// SPDX-License-Identifier: GPL-2.0
/* Unit test runner: every module's cmocka group, in one executable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "disasm.h"

#ifndef OC_TEST_DATA
#define OC_TEST_DATA "data"
#endif

char *oc_test_read(const char *name, size_t *len)
{
	const char *dir = getenv("OC_TEST_DATA");
	char path[1024];
	FILE *f;
	char *buf;
	long sz;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : OC_TEST_DATA, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(sz > 0 ? (size_t)sz : 1);
	if (buf && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)sz;
	return buf;
}

void oc_test_load_disasm(const char *name, struct oc_disasm *d)
{
	size_t len;
	char *t = oc_test_read(name, &len);

	assert_non_null(t);
	oc_disasm_init(d);
	assert_int_equal(oc_disasm_parse(d, t, len), 0);
	free(t);
}

int main(void)
{
	int failed = 0;

	failed += oc_test_strutil();
	failed += oc_test_disasm();
	failed += oc_test_arch();
	failed += oc_test_regdump();
	failed += oc_test_loopfind();
	failed += oc_test_verdict();
	failed += oc_test_walk();
	failed += oc_test_addrmap();
	failed += oc_test_pagecache();
	failed += oc_test_exframe();
	failed += oc_test_elfinfo();
	failed += oc_test_dwcheck();
	failed += oc_test_panicsig();
	failed += oc_test_debugpath();
	failed += oc_test_fuzzfound();
	failed += oc_test_plausible();
	failed += oc_test_cgname();
	failed += oc_test_nsname();
	failed += oc_test_crashver();
	printf("oc unit tests: %d failed\n", failed);
	return failed ? 1 : 0;
}
