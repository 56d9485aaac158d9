// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "test_util.h"
#include "arch.h"

static const struct oc_arch *x86, *arm;

static void canon_is(const struct oc_arch *a, const char *in, const char *want)
{
	char out[OC_REGNAME_MAX];

	assert_int_equal(a->reg_canon(in, out, sizeof(out)), 0);
	assert_string_equal(out, want);
}

static void not_reg(const struct oc_arch *a, const char *in)
{
	char out[OC_REGNAME_MAX];

	assert_int_equal(a->reg_canon(in, out, sizeof(out)), -1);
}

static struct oc_insn mk(const char *m, int nops, const char *o0,
			 const char *o1, const char *o2)
{
	struct oc_insn in;

	memset(&in, 0, sizeof(in));
	strcpy(in.mnemonic, m);
	in.nops = nops;
	if (o0)
		strcpy(in.ops[0], o0);
	if (o1)
		strcpy(in.ops[1], o1);
	if (o2)
		strcpy(in.ops[2], o2);
	return in;
}

static void test_by_name(void **state)
{
	(void)state;
	assert_ptr_equal(oc_arch_by_name("x86_64"), x86);
	assert_ptr_equal(oc_arch_by_name("X86_64"), x86);
	assert_ptr_equal(oc_arch_by_name("amd64"), x86);
	assert_ptr_equal(oc_arch_by_name("arm64"), arm);
	assert_ptr_equal(oc_arch_by_name("AARCH64"), arm);
	assert_null(oc_arch_by_name("ppc64le"));
	assert_null(oc_arch_by_name(NULL));
	assert_string_equal(x86->name, "x86_64");
	assert_string_equal(arm->name, "arm64");
	assert_string_equal(x86->arg_reg[0], "rdi");
	assert_string_equal(x86->arg_reg[1], "rsi");
	assert_string_equal(arm->arg_reg[0], "x0");
	assert_string_equal(arm->arg_reg[1], "x1");
	assert_string_equal(x86->pc_reg, "rip");
	assert_string_equal(arm->pc_reg, "pc");
}

static void test_x86_canon(void **state)
{
	(void)state;
	canon_is(x86, "%eax", "rax");
	canon_is(x86, "ax", "rax");
	canon_is(x86, "%al", "rax");
	canon_is(x86, "RAX", "rax");
	canon_is(x86, "%edx", "rdx");
	canon_is(x86, "%sil", "rsi");
	canon_is(x86, "%r12d", "r12");
	canon_is(x86, "%r8w", "r8");
	canon_is(x86, "r15b", "r15");
	canon_is(x86, "R08", "r8");
	canon_is(x86, "%rsp", "rsp");
	canon_is(x86, "EFLAGS", "eflags");
	not_reg(x86, "$0x8");
	not_reg(x86, "0x3cc(%rbx)");
	not_reg(x86, "%r16");
	not_reg(x86, "%r7");
	not_reg(x86, "%r12x");
	not_reg(x86, "%xmm0");
	not_reg(x86, "");
}

static void test_arm64_canon(void **state)
{
	(void)state;
	canon_is(arm, "w2", "x2");
	canon_is(arm, "x2", "x2");
	canon_is(arm, "W25", "x25");
	canon_is(arm, "x30", "x30");
	canon_is(arm, "lr", "x30");
	canon_is(arm, "wsp", "sp");
	canon_is(arm, "wzr", "xzr");
	not_reg(arm, "x31");
	not_reg(arm, "w02");
	not_reg(arm, "#972");
	not_reg(arm, "[x22, #972]");
	not_reg(arm, "v0");
	not_reg(arm, "x");
}

static void test_x86_classify(void **state)
{
	struct oc_insn in;

	(void)state;
	in = mk("sub", 2, "%eax", "%edx", NULL);
	assert_int_equal(x86->classify(&in), OC_K_SUB);
	in = mk("cmp", 2, "%eax", "%edx", NULL);
	assert_int_equal(x86->classify(&in), OC_K_CMP);
	in = mk("jb", 1, "0xffffffff81a2b3d5", NULL, NULL);
	assert_int_equal(x86->classify(&in), OC_K_CBRANCH);
	in = mk("jne", 1, "0x1", NULL, NULL);
	assert_int_equal(x86->classify(&in), OC_K_CBRANCH);
	in = mk("jmp", 1, "0xffffffff81a2b3cd", NULL, NULL);
	assert_int_equal(x86->classify(&in), OC_K_BRANCH);
	in = mk("jmp", 1, "*%rax", NULL, NULL);
	assert_int_equal(x86->classify(&in), OC_K_BRANCH);
	in = mk("ret", 0, NULL, NULL, NULL);
	assert_int_equal(x86->classify(&in), OC_K_RET);
	in = mk("call", 1, "0x1", NULL, NULL);
	assert_int_equal(x86->classify(&in), OC_K_CALL);
	in = mk("mov", 2, "%rdi", "%r12", NULL);
	assert_int_equal(x86->classify(&in), OC_K_MOV);
	in = mk("subsd", 2, "%xmm0", "%xmm1", NULL);
	assert_int_equal(x86->classify(&in), OC_K_OTHER);
	in = mk("cmpxchg", 2, "%ecx", "(%rdx)", NULL);
	assert_int_equal(x86->classify(&in), OC_K_OTHER);
	in = mk("ud2", 0, NULL, NULL, NULL);
	assert_int_equal(x86->classify(&in), OC_K_OTHER);
}

static void test_x86_operands(void **state)
{
	char d[OC_REGNAME_MAX], m[OC_REGNAME_MAX], s[OC_REGNAME_MAX];
	struct oc_insn in;

	(void)state;
	/* AT&T: sub %eax,%edx is edx = edx - eax */
	in = mk("sub", 2, "%eax", "%edx", NULL);
	assert_int_equal(x86->sub_regs(&in, d, m, s), 0);
	assert_string_equal(d, "rdx");
	assert_string_equal(m, "rdx");
	assert_string_equal(s, "rax");
	in = mk("sub", 2, "$0x8", "%rsp", NULL);
	assert_int_equal(x86->sub_regs(&in, d, m, s), -1);
	/* cmp %eax,%edx: flags of edx - eax */
	in = mk("cmp", 2, "%eax", "%edx", NULL);
	assert_int_equal(x86->cmp_regs(&in, d, s), 0);
	assert_string_equal(d, "rdx");
	assert_string_equal(s, "rax");
	in = mk("cmpl", 2, "$0x0", "0x10(%rax)", NULL);
	assert_int_equal(x86->cmp_regs(&in, d, s), -1);
	in = mk("mov", 2, "%rdi", "%r12", NULL);
	assert_int_equal(x86->mov_regs(&in, d, s), 0);
	assert_string_equal(d, "r12");
	assert_string_equal(s, "rdi");
	in = mk("mov", 2, "0x18(%rsi)", "%r14", NULL);
	assert_int_equal(x86->mov_regs(&in, d, s), -1);
	assert_int_equal(x86->dst_reg(&in, d), 0);
	assert_string_equal(d, "r14");
	in = mk("xor", 2, "%edi", "%edi", NULL);
	assert_int_equal(x86->dst_reg(&in, d), 0);
	assert_string_equal(d, "rdi");
	in = mk("test", 2, "%rdi", "%rdi", NULL);
	assert_int_equal(x86->dst_reg(&in, d), -1);
	in = mk("push", 1, "%rdi", NULL, NULL);
	assert_int_equal(x86->dst_reg(&in, d), -1);
	assert_true(x86->is_callee_saved("rbx"));
	assert_true(x86->is_callee_saved("r12"));
	assert_false(x86->is_callee_saved("rdi"));
	assert_false(x86->is_callee_saved("rax"));
}

static void test_arm64_classify(void **state)
{
	struct oc_insn in;
	static const char *const cond[] = { "b.cs", "b.hs", "b.cc", "b.lo",
		"b.ne", "cbz", "cbnz", "tbz", "tbnz", NULL };
	const char *const *c;

	(void)state;
	for (c = cond; *c; c++) {
		in = mk(*c, 1, "0x1", NULL, NULL);
		assert_int_equal(arm->classify(&in), OC_K_CBRANCH);
	}
	in = mk("b", 1, "0xffff800008a1b170", NULL, NULL);
	assert_int_equal(arm->classify(&in), OC_K_BRANCH);
	in = mk("br", 1, "x16", NULL, NULL);
	assert_int_equal(arm->classify(&in), OC_K_BRANCH);
	in = mk("bl", 1, "0x1", NULL, NULL);
	assert_int_equal(arm->classify(&in), OC_K_CALL);
	in = mk("blr", 1, "x2", NULL, NULL);
	assert_int_equal(arm->classify(&in), OC_K_CALL);
	in = mk("ret", 0, NULL, NULL, NULL);
	assert_int_equal(arm->classify(&in), OC_K_RET);
	in = mk("retaa", 0, NULL, NULL, NULL);
	assert_int_equal(arm->classify(&in), OC_K_RET);
	in = mk("sub", 3, "w2", "w2", "w25");
	assert_int_equal(arm->classify(&in), OC_K_SUB);
	in = mk("cmp", 2, "w2", "w25", NULL);
	assert_int_equal(arm->classify(&in), OC_K_CMP);
	in = mk("mov", 2, "x22", "x0", NULL);
	assert_int_equal(arm->classify(&in), OC_K_MOV);
	in = mk("bic", 3, "x0", "x0", "x1");
	assert_int_equal(arm->classify(&in), OC_K_OTHER);
	in = mk("brk", 1, "#0x800", NULL, NULL);
	assert_int_equal(arm->classify(&in), OC_K_OTHER);
}

static void test_arm64_operands(void **state)
{
	char d[OC_REGNAME_MAX], m[OC_REGNAME_MAX], s[OC_REGNAME_MAX];
	struct oc_insn in;

	(void)state;
	in = mk("sub", 3, "w2", "w2", "w25");
	assert_int_equal(arm->sub_regs(&in, d, m, s), 0);
	assert_string_equal(d, "x2");
	assert_string_equal(m, "x2");
	assert_string_equal(s, "x25");
	in = mk("sub", 3, "w0", "w1", "w26");
	assert_int_equal(arm->sub_regs(&in, d, m, s), 0);
	assert_string_equal(d, "x0");
	assert_string_equal(m, "x1");
	in = mk("sub", 3, "sp", "sp", "#0x40");
	assert_int_equal(arm->sub_regs(&in, d, m, s), -1);
	in = mk("sub", 2, "w2", "w25", NULL);
	assert_int_equal(arm->sub_regs(&in, d, m, s), -1);
	in = mk("cmp", 2, "w2", "w25", NULL);
	assert_int_equal(arm->cmp_regs(&in, d, s), 0);
	assert_string_equal(d, "x2");
	assert_string_equal(s, "x25");
	in = mk("cmp", 2, "x19", "#0x0", NULL);
	assert_int_equal(arm->cmp_regs(&in, d, s), -1);
	in = mk("mov", 2, "x22", "x0", NULL);
	assert_int_equal(arm->mov_regs(&in, d, s), 0);
	assert_string_equal(d, "x22");
	assert_string_equal(s, "x0");
	in = mk("mov", 2, "w20", "#0x0", NULL);
	assert_int_equal(arm->mov_regs(&in, d, s), -1);
	assert_int_equal(arm->dst_reg(&in, d), 0);
	assert_string_equal(d, "x20");
	in = mk("stp", 3, "x19", "x20", "[sp, #16]");
	assert_int_equal(arm->dst_reg(&in, d), -1);
	in = mk("ldrh", 2, "w25", "[x22, #972]", NULL);
	assert_int_equal(arm->dst_reg(&in, d), 0);
	assert_string_equal(d, "x25");
	assert_true(arm->is_callee_saved("x19"));
	assert_true(arm->is_callee_saved("x28"));
	assert_false(arm->is_callee_saved("x18"));
	assert_false(arm->is_callee_saved("x29"));
	assert_false(arm->is_callee_saved("x0"));
}

static int setup(void **state)
{
	(void)state;
	x86 = &oc_arch_x86_64;
	arm = &oc_arch_arm64;
	return 0;
}

int oc_test_arch(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_name),
		cmocka_unit_test(test_x86_canon),
		cmocka_unit_test(test_arm64_canon),
		cmocka_unit_test(test_x86_classify),
		cmocka_unit_test(test_x86_operands),
		cmocka_unit_test(test_arm64_classify),
		cmocka_unit_test(test_arm64_operands),
	};

	return cmocka_run_group_tests_name("arch", tests, setup, NULL);
}
