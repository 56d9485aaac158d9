// SPDX-License-Identifier: GPL-2.0
/*
 * canary.c - a crash extension that commits one planted fault on request,
 * built like the ASan extension (make asan-canary), so that tests/asan/
 * run.sh can show that a fault inside an extension loaded into crash is
 * caught and reported with the runtime preloaded and its options:
 *   asan_canary heap      reads one byte past a heap block (ASan)
 *   asan_canary overflow  signed int overflow (UBSan)
 */
#include "defs.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void cmd_asan_canary(void);

static char *help_asan_canary[] = {
	"asan_canary",
	"commit a planted memory or undefined-behaviour fault",
	"heap|overflow",
	"  Test-only: tests/asan/run.sh checks that the sanitizers report it.",
	NULL
};

static struct command_table_entry command_table[] = {
	{ "asan_canary", cmd_asan_canary, help_asan_canary, 0 },
	{ NULL },
};

static void cmd_asan_canary(void)
{
	/* sizes and operands come from the command line: nothing to fold */
	volatile int n = argcnt;
	char *p;

	if (argcnt != 2)
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (!strcmp(args[1], "heap")) {
		p = malloc(n);
		if (!p)
			return;
		memset(p, 0, n);
		fprintf(fp, "byte past the block: %d\n", p[n]);
		free(p);
	} else if (!strcmp(args[1], "overflow")) {
		volatile int big = INT_MAX - 1;

		fprintf(fp, "INT_MAX - 1 + %d = %d\n", n, big + n);
	} else {
		cmd_usage(pc->curcmd, SYNOPSIS);
	}
}

void __attribute__((constructor)) asan_canary_init(void)
{
	register_extension(command_table);
}
