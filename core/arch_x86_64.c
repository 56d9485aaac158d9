// SPDX-License-Identifier: GPL-2.0
/*
 * arch_x86_64.c - x86_64 specifics: AT&T syntax as gdb prints it
 * (`sub %eax,%edx` is edx -= eax, source first) and the oops register
 * dump format (`RIP: 0010:sym+0x26d/0x2b0`, `RAX: ... RBX: ... RCX: ...`).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "regdump.h"
#include "strutil.h"

struct reg_alias {
	const char *canon;
	const char *names[5];
};

static const struct reg_alias legacy_regs[] = {
	{ "rax", { "rax", "eax", "ax", "al", "ah" } },
	{ "rbx", { "rbx", "ebx", "bx", "bl", "bh" } },
	{ "rcx", { "rcx", "ecx", "cx", "cl", "ch" } },
	{ "rdx", { "rdx", "edx", "dx", "dl", "dh" } },
	{ "rsi", { "rsi", "esi", "si", "sil", NULL } },
	{ "rdi", { "rdi", "edi", "di", "dil", NULL } },
	{ "rbp", { "rbp", "ebp", "bp", "bpl", NULL } },
	{ "rsp", { "rsp", "esp", "sp", "spl", NULL } },
	{ "rip", { "rip", "eip", NULL, NULL, NULL } },
	{ "eflags", { "eflags", "rflags", NULL, NULL, NULL } },
};

static int x86_reg_canon(const char *in, char *out, size_t n)
{
	char buf[OC_REGNAME_MAX];
	size_t i, len;

	if (*in == '%')
		in++;
	len = strlen(in);
	if (!len || len >= sizeof(buf))
		return -1;
	for (i = 0; i <= len; i++)
		buf[i] = (char)tolower((unsigned char)in[i]);
	for (i = 0; i < sizeof(legacy_regs) / sizeof(legacy_regs[0]); i++) {
		size_t j;

		for (j = 0; j < 5 && legacy_regs[i].names[j]; j++)
			if (!strcmp(buf, legacy_regs[i].names[j]))
				return oc_strlcpy(out, legacy_regs[i].canon,
						  n) < n ? 0 : -1;
	}
	/* r8..r15 with optional d/w/b/l suffix; the oops prints R08, R09 */
	if (buf[0] == 'r' && isdigit((unsigned char)buf[1])) {
		char *end;
		long num = strtol(buf + 1, &end, 10);

		if (num < 8 || num > 15)
			return -1;
		if (*end && (end[1] || !strchr("dwbl", *end)))
			return -1;
		if ((size_t)snprintf(out, n, "r%ld", num) >= n)
			return -1;
		return 0;
	}
	return -1;
}

static const char *const cc_jumps[] = {
	"ja", "jae", "jb", "jbe", "jc", "je", "jg", "jge", "jl", "jle",
	"jna", "jnae", "jnb", "jnbe", "jnc", "jne", "jng", "jnge", "jnl",
	"jnle", "jno", "jnp", "jns", "jnz", "jo", "jp", "jpe", "jpo", "js",
	"jz", "jcxz", "jecxz", "jrcxz", "loop", "loope", "loopne", "loopz",
	"loopnz", NULL
};
static const char *const jumps[] = { "jmp", "jmpq", "ljmp", "ljmpq", NULL };
static const char *const rets[] = {
	"ret", "retq", "retl", "retw", "lret", "lretq", "iret", "iretq",
	"iretl", "sysret", "sysretq", "sysretl", "sysexit", NULL
};
static const char *const calls[] = { "call", "callq", "lcall", NULL };
static const char *const subs[] = { "sub", "subb", "subw", "subl", "subq",
				    NULL };
static const char *const cmps[] = { "cmp", "cmpb", "cmpw", "cmpl", "cmpq",
				    NULL };
static const char *const movs[] = { "mov", "movb", "movw", "movl", "movq",
				    NULL };

static enum oc_insn_kind x86_classify(const struct oc_insn *in)
{
	const char *m = in->mnemonic;

	if (oc_str_in_list(m, cc_jumps))
		return OC_K_CBRANCH;
	if (oc_str_in_list(m, jumps))
		return OC_K_BRANCH;
	if (oc_str_in_list(m, rets))
		return OC_K_RET;
	if (oc_str_in_list(m, calls))
		return OC_K_CALL;
	if (oc_str_in_list(m, subs))
		return OC_K_SUB;
	if (oc_str_in_list(m, cmps))
		return OC_K_CMP;
	if (oc_str_in_list(m, movs))
		return OC_K_MOV;
	return OC_K_OTHER;
}

/* Two register operands (AT&T: source, destination). */
static int two_regs(const struct oc_insn *in, char *src, char *dst)
{
	if (in->nops != 2)
		return -1;
	if (x86_reg_canon(in->ops[0], src, OC_REGNAME_MAX) < 0 ||
	    x86_reg_canon(in->ops[1], dst, OC_REGNAME_MAX) < 0)
		return -1;
	return 0;
}

static int x86_sub_regs(const struct oc_insn *in, char *dst, char *minuend,
			char *subtrahend)
{
	if (x86_classify(in) != OC_K_SUB ||
	    two_regs(in, subtrahend, dst) < 0)
		return -1;
	oc_strlcpy(minuend, dst, OC_REGNAME_MAX);
	return 0;
}

/* `cmp %eax,%edx` sets flags from edx - eax: a = edx, b = eax. */
static int x86_cmp_regs(const struct oc_insn *in, char *a, char *b)
{
	if (x86_classify(in) != OC_K_CMP)
		return -1;
	return two_regs(in, b, a);
}

static int x86_mov_regs(const struct oc_insn *in, char *dst, char *src)
{
	if (x86_classify(in) != OC_K_MOV)
		return -1;
	return two_regs(in, src, dst);
}

static int x86_dst_reg(const struct oc_insn *in, char *dst)
{
	static const char *const no_dst[] = {
		"test", "testb", "testw", "testl", "testq", "push", "pushq",
		"bt", "btl", "btq", "nop", "nopl", "nopw", "ud2", "int3",
		NULL
	};

	switch (x86_classify(in)) {
	case OC_K_CMP:
	case OC_K_BRANCH:
	case OC_K_CBRANCH:
	case OC_K_RET:
	case OC_K_CALL:
		return -1;
	default:
		break;
	}
	if (oc_str_in_list(in->mnemonic, no_dst) || !in->nops)
		return -1;
	return x86_reg_canon(in->ops[in->nops - 1], dst, OC_REGNAME_MAX);
}

static int x86_is_callee_saved(const char *r)
{
	static const char *const saved[] = {
		"rbx", "rbp", "r12", "r13", "r14", "r15", NULL
	};

	return oc_str_in_list(r, saved);
}

static int x86_name_ok(const char *name)
{
	static const char *const extra[] = {
		"orig_rax", "fs", "gs", "knlgs", "cs", "ds", "es", "ss",
		"cr0", "cr2", "cr3", "cr4", "dr0", "dr1", "dr2", "dr3", "dr6",
		"dr7", "pkru", NULL
	};
	char canon[OC_REGNAME_MAX];
	char low[OC_REGNAME_MAX];
	size_t i;

	if (x86_reg_canon(name, canon, sizeof(canon)) == 0)
		return 1;
	for (i = 0; name[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = '\0';
	return oc_str_in_list(low, extra);
}

/*
 * RIP: 0010:netdev_pick_tx+0x26d/0x2b0
 * RIP: 0010:[<ffffffff8155f1b3>]  [<ffffffff8155f1b3>] sym+0x63/0x130
 * RIP: 0033:0x7f3a1c2b3c4d
 */
static int x86_regdump_start(const char *line, struct oc_regdump *rd)
{
	const char *p;
	uint64_t v;
	char *end;

	if (strncmp(line, "RIP: ", 5))
		return 0;
	p = line + 5;
	while (*p == ' ')
		p++;
	/* segment selector: four hex digits and ':' (each tested in turn,
	 * so a line ending early stops at its NUL) */
	if (isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1]) &&
	    isxdigit((unsigned char)p[2]) && isxdigit((unsigned char)p[3]) &&
	    p[4] == ':')
		p += 5;
	while (*p == ' ' || *p == '[') {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (p[1] != '<')
			return 0;
		v = strtoull(p + 2, &end, 16);
		if (end == p + 2 || strncmp(end, ">]", 2))
			return 0;
		oc_regdump_set(rd, &oc_arch_x86_64, "rip", v);
		p = end + 2;
	}
	if (!strncmp(p, "0x", 2)) {
		v = strtoull(p, &end, 16);
		if (end == p + 2)
			return 0;
		oc_regdump_set(rd, &oc_arch_x86_64, "rip", v);
		return 1;
	}
	if (oc_parse_sym_off_len(p, rd->pc_sym, sizeof(rd->pc_sym),
				 &rd->pc_off, &rd->pc_len, rd->pc_mod,
				 sizeof(rd->pc_mod)) < 0)
		return 0;
	rd->have_pc_sym = 1;
	return 1;
}

static int x86_regdump_line(const char *line, struct oc_regdump *rd)
{
	if (!strncmp(line, "Code: ", 6))
		return 1;
	if (!strncmp(line, "RIP: ", 5))	/* the next dump */
		return 0;
	return oc_regdump_pairs(line, rd, &oc_arch_x86_64, x86_name_ok) > 0;
}

const struct oc_arch oc_arch_x86_64 = {
	.name = "x86_64",
	.reg_canon = x86_reg_canon,
	.classify = x86_classify,
	.sub_regs = x86_sub_regs,
	.cmp_regs = x86_cmp_regs,
	.mov_regs = x86_mov_regs,
	.dst_reg = x86_dst_reg,
	.is_callee_saved = x86_is_callee_saved,
	.arg_reg = { "rdi", "rsi" },
	.pc_reg = "rip",
	.regdump_start = x86_regdump_start,
	.regdump_line = x86_regdump_line,
};
