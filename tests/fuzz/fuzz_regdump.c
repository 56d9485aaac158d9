// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_regdump - register dumps in kernel-log text (core/regdump.c and
 * the arch back-ends' regdump_start/regdump_line), and the log-line
 * helpers of core/strutil.c every log parser uses on each line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "regdump.h"
#include "strutil.h"

static const char *const names[] = {
	"rip", "rax", "eax", "r8", "R08", "pc", "lr", "x25", "w2", "sp", "",
};

static int any_name(const char *name)
{
	return name[0] != '\0';
}

/*
 * The line-level helpers take one NUL-terminated line, as the parser
 * hands them after cutting and stripping: each input line is given to
 * them as a heap copy of exactly its length, so reading past its NUL
 * is caught.
 */
static void one_line(const char *text, size_t len)
{
	char sym[OC_RD_SYM_MAX], mod[64], caller[16], esc[256];
	struct oc_regdump rd;
	unsigned long off, n;
	char *line = malloc(len + 1);

	if (!line)
		return;
	memcpy(line, text, len);
	line[len] = '\0';
	/* every log parser strips the line's prefixes first */
	oc_log_strip(line, caller, sizeof(caller));
	oc_escape_text((const unsigned char *)line, len, esc, sizeof(esc));
	oc_parse_sym_off_len(line, sym, sizeof(sym), &off, &n, mod,
			     sizeof(mod));
	memset(&rd, 0, sizeof(rd));
	oc_regdump_pairs(line, &rd, &oc_arch_x86_64, any_name);
	memset(&rd, 0, sizeof(rd));
	if (oc_arch_x86_64.regdump_start(line, &rd))
		oc_arch_x86_64.regdump_line(line, &rd);
	oc_arch_x86_64.regdump_line(line, &rd);
	memset(&rd, 0, sizeof(rd));
	if (oc_arch_arm64.regdump_start(line, &rd))
		oc_arch_arm64.regdump_line(line, &rd);
	oc_arch_arm64.regdump_line(line, &rd);
	free(line);
}

#define LINES_MAX	64	/* lines of one input given to one_line() */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oc_regdump_list l = { 0 };
	const char *p = (const char *)data, *end = p + size, *nl;
	uint64_t v;
	size_t i, k;

	oc_regdump_parse((const char *)data, size, &l);
	for (i = 0; i < l.n; i++)
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			oc_regdump_get(&l.v[i], names[k], &v);
	oc_regdump_list_free(&l);

	for (i = 0; p < end && i < LINES_MAX; i++, p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		one_line(p, nl - p);
	}
	return 0;
}
