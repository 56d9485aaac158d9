// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_regdump - register dumps in kernel-log text (core/regdump.c and
 * the arch back-ends' regdump_start/regdump_line).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "regdump.h"

static const char *const names[] = {
	"rip", "rax", "eax", "r8", "R08", "pc", "lr", "x25", "w2", "sp", "",
};

static int any_name(const char *name)
{
	return name[0] != '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oc_regdump_list l = { 0 };
	struct oc_regdump rd;
	char sym[OC_RD_SYM_MAX], mod[64];
	unsigned long off, len;
	uint64_t v;
	size_t i, k;
	char *line;

	oc_regdump_parse((const char *)data, size, &l);
	for (i = 0; i < l.n; i++)
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			oc_regdump_get(&l.v[i], names[k], &v);
	oc_regdump_list_free(&l);

	/* the line-level helpers take NUL-terminated lines */
	line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	oc_parse_sym_off_len(line, sym, sizeof(sym), &off, &len, mod,
			     sizeof(mod));
	memset(&rd, 0, sizeof(rd));
	oc_regdump_pairs(line, &rd, &oc_arch_x86_64, any_name);
	memset(&rd, 0, sizeof(rd));
	if (oc_arch_x86_64.regdump_start(line, &rd))
		oc_arch_x86_64.regdump_line(line, &rd);
	memset(&rd, 0, sizeof(rd));
	if (oc_arch_arm64.regdump_start(line, &rd))
		oc_arch_arm64.regdump_line(line, &rd);
	free(line);
	return 0;
}
