// SPDX-License-Identifier: GPL-2.0
/*
 * arch_arm64.c - arm64 specifics: gdb's A64 syntax (`sub w2, w2, w25` is
 * w2 = w2 - w25, destination first) and the register dump format
 * (`pc : sym+0x27c/0x294`, `x29: ... x28: ...`, `x9 : ...`).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "regdump.h"
#include "strutil.h"

static int arm64_reg_canon(const char *in, char *out, size_t n)
{
	char buf[OC_REGNAME_MAX];
	const char *canon = NULL;
	size_t i, len = strlen(in);

	if (!len || len >= sizeof(buf))
		return -1;
	for (i = 0; i <= len; i++)
		buf[i] = (char)tolower((unsigned char)in[i]);
	if (!strcmp(buf, "sp") || !strcmp(buf, "wsp"))
		canon = "sp";
	else if (!strcmp(buf, "xzr") || !strcmp(buf, "wzr"))
		canon = "xzr";
	else if (!strcmp(buf, "lr"))
		canon = "x30";
	else if (!strcmp(buf, "fp"))
		canon = "x29";
	else if (!strcmp(buf, "pc"))
		canon = "pc";
	if (canon)
		return oc_strlcpy(out, canon, n) < n ? 0 : -1;
	if ((buf[0] == 'x' || buf[0] == 'w') && isdigit((unsigned char)buf[1])) {
		char *end;
		long num = strtol(buf + 1, &end, 10);

		if (*end || num > 30 || (buf[1] == '0' && buf[2]))
			return -1;
		if ((size_t)snprintf(out, n, "x%ld", num) >= n)
			return -1;
		return 0;
	}
	return -1;
}

static const char *const cbranches[] = { "cbz", "cbnz", "tbz", "tbnz",
					 NULL };
static const char *const branches[] = { "b", "br", "braa", "brab", "braaz",
					"brabz", NULL };
static const char *const rets[] = { "ret", "retaa", "retab", "eret",
				    "eretaa", "eretab", NULL };
static const char *const calls[] = { "bl", "blr", "blraa", "blrab",
				     "blraaz", "blrabz", NULL };

static enum oc_insn_kind arm64_classify(const struct oc_insn *in)
{
	const char *m = in->mnemonic;

	if (!strncmp(m, "b.", 2) || !strncmp(m, "bc.", 3) ||
	    oc_str_in_list(m, cbranches))
		return OC_K_CBRANCH;
	if (oc_str_in_list(m, branches))
		return OC_K_BRANCH;
	if (oc_str_in_list(m, rets))
		return OC_K_RET;
	if (oc_str_in_list(m, calls))
		return OC_K_CALL;
	if (!strcmp(m, "sub") || !strcmp(m, "subs"))
		return OC_K_SUB;
	if (!strcmp(m, "cmp"))
		return OC_K_CMP;
	if (!strcmp(m, "mov"))
		return OC_K_MOV;
	return OC_K_OTHER;
}

static int reg(const struct oc_insn *in, int i, char *out)
{
	return arm64_reg_canon(in->ops[i], out, OC_REGNAME_MAX);
}

static int arm64_sub_regs(const struct oc_insn *in, char *dst, char *minuend,
			  char *subtrahend)
{
	if (arm64_classify(in) != OC_K_SUB || in->nops != 3)
		return -1;
	if (reg(in, 0, dst) < 0 || reg(in, 1, minuend) < 0 ||
	    reg(in, 2, subtrahend) < 0)
		return -1;
	return 0;
}

static int arm64_cmp_regs(const struct oc_insn *in, char *a, char *b)
{
	if (arm64_classify(in) != OC_K_CMP || in->nops != 2)
		return -1;
	if (reg(in, 0, a) < 0 || reg(in, 1, b) < 0)
		return -1;
	return 0;
}

static int arm64_mov_regs(const struct oc_insn *in, char *dst, char *src)
{
	if (arm64_classify(in) != OC_K_MOV || in->nops != 2)
		return -1;
	if (reg(in, 0, dst) < 0 || reg(in, 1, src) < 0)
		return -1;
	return 0;
}

static int arm64_dst_reg(const struct oc_insn *in, char *dst)
{
	static const char *const no_dst_prefix[] = {
		"st", "tst", "cmn", "ccmp", "ccmn", "prfm", "nop", "hint",
		"bti", "dmb", "dsb", "isb", "msr", "pac", "aut", "yield",
		"brk", "hvc", "svc", "smc", "sev", "wf", NULL
	};
	const char *const *p;

	switch (arm64_classify(in)) {
	case OC_K_CMP:
	case OC_K_BRANCH:
	case OC_K_CBRANCH:
	case OC_K_RET:
	case OC_K_CALL:
		return -1;
	default:
		break;
	}
	for (p = no_dst_prefix; *p; p++)
		if (!strncmp(in->mnemonic, *p, strlen(*p)))
			return -1;
	if (!in->nops)
		return -1;
	return reg(in, 0, dst);
}

static int arm64_is_callee_saved(const char *r)
{
	long num;
	char *end;

	if (r[0] != 'x' || !isdigit((unsigned char)r[1]))
		return 0;
	num = strtol(r + 1, &end, 10);
	return !*end && num >= 19 && num <= 28;
}

static int arm64_name_ok(const char *name)
{
	static const char *const extra[] = {
		"pc", "lr", "sp", "pstate", "pmr_save", "pmr", NULL
	};
	char canon[OC_REGNAME_MAX];

	if (oc_str_in_list(name, extra))
		return 1;
	return name[0] == 'x' && arm64_reg_canon(name, canon,
						 sizeof(canon)) == 0;
}

/* `pc : ` / `lr : ` (any blanks before the colon); returns the value. */
static const char *named(const char *line, const char *name)
{
	size_t l = strlen(name);

	if (strncmp(line, name, l))
		return NULL;
	line += l;
	while (*line == ' ')
		line++;
	if (*line != ':')
		return NULL;
	line++;
	while (*line == ' ')
		line++;
	return line;
}

static int symbolic(const char *v)
{
	return isalpha((unsigned char)*v) || *v == '_' || *v == '.';
}

/*
 * pc : netdev_pick_tx+0x27c/0x294
 * pc : [<ffff000008a1b2c4>] lr : [<ffff000008a1b130>] pstate: 80000145
 * PC is at netdev_pick_tx+0x27c/0x294
 */
static int arm64_regdump_start(const char *line, struct oc_regdump *rd)
{
	const char *v = named(line, "pc");

	if (!v && !strncmp(line, "PC is at ", 9))
		v = line + 9;
	if (!v)
		return 0;
	if (symbolic(v)) {
		if (oc_parse_sym_off_len(v, rd->pc_sym, sizeof(rd->pc_sym),
					 &rd->pc_off, &rd->pc_len, rd->pc_mod,
					 sizeof(rd->pc_mod)) < 0)
			return 0;
		rd->have_pc_sym = 1;
		return 1;
	}
	return oc_regdump_pairs(line, rd, &oc_arch_arm64, arm64_name_ok) > 0;
}

static int arm64_regdump_line(const char *line, struct oc_regdump *rd)
{
	const char *v = named(line, "pc");
	uint64_t pc;

	/*
	 * A `pc :` line starts the next dump, except the `pc : [<...>]` line
	 * that follows `PC is at` in old kernels.
	 */
	if (v && (strncmp(v, "[<", 2) || !oc_regdump_get(rd, "pc", &pc)))
		return 0;
	v = named(line, "lr");

	if (!v && !strncmp(line, "LR is at ", 9))
		v = line + 9;
	if (v && symbolic(v)) {
		if (oc_parse_sym_off_len(v, rd->lr_sym, sizeof(rd->lr_sym),
					 &rd->lr_off, &rd->lr_len, NULL, 0) < 0)
			return 0;
		rd->have_lr_sym = 1;
		return 1;
	}
	/* old kernels: `pc : [<...>] lr : [<...>]` after `PC is at` */
	return oc_regdump_pairs(line, rd, &oc_arch_arm64, arm64_name_ok) > 0;
}

const struct oc_arch oc_arch_arm64 = {
	.name = "arm64",
	.reg_canon = arm64_reg_canon,
	.classify = arm64_classify,
	.sub_regs = arm64_sub_regs,
	.cmp_regs = arm64_cmp_regs,
	.mov_regs = arm64_mov_regs,
	.dst_reg = arm64_dst_reg,
	.is_callee_saved = arm64_is_callee_saved,
	.arg_reg = { "x0", "x1" },
	.pc_reg = "pc",
	.regdump_start = arm64_regdump_start,
	.regdump_line = arm64_regdump_line,
};
