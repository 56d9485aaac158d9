// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_cgname - cgroup names from dump bytes (core/cgname.c): the input,
 * split at NUL bytes, is a kernfs parent chain (oc_cg_path), a hierarchy
 * name with a controller mask (oc_cg_label), and a path to find a pod or
 * container in (oc_cg_tenant); output buffers of every small size.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgname.h"

#define MAX_NAMES	16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ss[] = { "cpuset", "cpu", "", NULL, "memory" };
	const char *names[MAX_NAMES];
	char *s, *p, out[600], small[8];
	unsigned long mask = 0;
	int n = 0;
	size_t i;

	/* a NUL-terminated copy: the code under test takes C strings */
	if (!(s = malloc(size + 1)))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (p = s; n < MAX_NAMES && p <= s + size; p += strlen(p) + 1)
		names[n++] = p;
	oc_cg_path(names, n, out, sizeof(out));
	oc_cg_tenant(out, small, sizeof(small));
	oc_cg_tenant(s, out, sizeof(out));
	for (i = 0; i < 8 && i < size; i++)
		mask = mask << 8 | data[i];
	oc_cg_label(mask, ss, 5, s, out, sizeof(out));
	for (i = 1; i <= sizeof(small); i++) {
		oc_cg_path(names, n, small, i);
		oc_cg_label(mask, ss, 5, s, small, i);
		oc_cg_tenant(s, small, i);
	}
	free(s);
	return 0;
}
