// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "loopfind.h"

static struct oc_disasm d;
static struct oc_loop lp;

static int teardown(void **state)
{
	(void)state;
	oc_disasm_free(&d);
	return 0;
}

static void load(const char *name)
{
	oc_test_load_disasm(name, &d);
}

static int find(const struct oc_arch *a, long pc)
{
	return oc_loop_find(a, d.insns, d.n, pc, &lp);
}

static void check_seed(long pc)
{
	assert_int_equal(find(&oc_arch_arm64, pc), 0);
	assert_true(lp.found);
	assert_int_equal(lp.pc_off, pc);
	assert_string_equal(lp.hash_reg, "x2");
	assert_string_equal(lp.qcount_reg, "x25");
	assert_string_not_equal(lp.qcount_reg, "x20");
	assert_string_equal(lp.qoffset_reg, "x20");
	assert_int_equal(lp.qoffset_off, 0x28c);
	assert_int_equal(lp.ndev_regs, 1);
	assert_string_equal(lp.dev_regs[0], "x22");
	assert_int_equal(lp.nskb_regs, 1);
	assert_string_equal(lp.skb_regs[0], "x21");
	assert_int_equal(lp.loop_start_off, 0x128);
	assert_int_equal(lp.loop_end_off, 0x280);
	assert_int_equal(lp.loop_insns, 4);
	assert_int_equal(lp.scc_insns, 4);
	assert_int_equal(lp.sub_off, 0x27c);
	assert_int_equal(lp.cmp_off, 0x128);
	assert_int_equal(lp.exit_off, 0x12c);
	assert_int_equal(lp.src_line, 3190);
	assert_string_equal(lp.src_file, "/build/linux-5.10.162/net/core/dev.c");
	assert_string_equal(lp.why, "");
}

static void test_arm64_seed(void **state)
{
	(void)state;
	load("arm64_510_dis.txt");
	check_seed(0x27c);	/* the seed's oops PC */
	check_seed(0x128);
	check_seed(0x12c);
	check_seed(0x280);
}

static void test_arm64_seed_outside(void **state)
{
	(void)state;
	load("arm64_510_dis.txt");
	assert_int_equal(find(&oc_arch_arm64, 0x130), 1);
	assert_false(lp.found);
	assert_string_equal(lp.why, "PC +0x130 is not inside a loop");
	assert_string_equal(lp.hash_reg, "");
	/* hash -= qoffset runs once, then joins the loop: not in it */
	assert_int_equal(find(&oc_arch_arm64, 0x28c), 1);
	assert_string_equal(lp.why, "PC +0x28c is not inside a loop");
	assert_int_equal(find(&oc_arch_arm64, 0x126), 1);
	assert_string_equal(lp.why,
		"PC +0x126 is not an instruction in the disassembly");
	assert_int_equal(find(&oc_arch_arm64, 0x1f8), 1);
	assert_string_equal(lp.why, "PC +0x1f8 is not inside a loop");
}

static void check_x86(long pc)
{
	assert_int_equal(find(&oc_arch_x86_64, pc), 0);
	assert_string_equal(lp.hash_reg, "rdx");
	assert_string_equal(lp.qcount_reg, "rax");
	assert_string_equal(lp.qoffset_reg, "");
	assert_int_equal(lp.qoffset_off, -1);
	assert_int_equal(lp.ndev_regs, 2);
	assert_string_equal(lp.dev_regs[0], "r12");
	assert_string_equal(lp.dev_regs[1], "rbx");
	assert_int_equal(lp.nskb_regs, 1);
	assert_string_equal(lp.skb_regs[0], "rbp");
	assert_int_equal(lp.loop_start_off, 0x26d);
	assert_int_equal(lp.loop_end_off, 0x273);
	assert_int_equal(lp.loop_insns, 4);
	assert_int_equal(lp.sub_off, 0x26d);
	assert_int_equal(lp.cmp_off, 0x26f);
	assert_int_equal(lp.exit_off, 0x271);
	assert_int_equal(lp.src_line, 3295);
}

static void test_x86(void **state)
{
	(void)state;
	load("x86_64_61_dis.txt");
	check_x86(621);
	check_x86(627);
	check_x86(0x26f);
	check_x86(0x271);
	/* the check before the loop is not in it */
	assert_int_equal(find(&oc_arch_x86_64, 0x266), 1);
	assert_string_equal(lp.why, "PC +0x266 is not inside a loop");
	assert_int_equal(find(&oc_arch_x86_64, 622), 1);
	assert_string_equal(lp.why,
		"PC +0x26e is not an instruction in the disassembly");

	assert_int_equal(oc_loop_find_addr(&oc_arch_x86_64, d.insns, d.n,
					   0xffffffff81a2b3d3ULL, &lp), 0);
	assert_string_equal(lp.hash_reg, "rdx");
	assert_int_equal(lp.pc_off, 627);
	assert_int_equal(oc_loop_find_addr(&oc_arch_x86_64, d.insns, d.n,
					   0xffffffff81a2b3ceULL, &lp), 1);
	assert_string_equal(lp.why,
		"PC 0xffffffff81a2b3ce is not an instruction in the disassembly");
}

static void check_61(long pc)
{
	assert_int_equal(find(&oc_arch_arm64, pc), 0);
	assert_string_equal(lp.hash_reg, "x0");
	assert_string_equal(lp.qcount_reg, "x26");
	/* nearest hash -= x outside the loop: +0x88, not +0x1d8 (x20) */
	assert_string_equal(lp.qoffset_reg, "x19");
	assert_int_equal(lp.qoffset_off, 0x88);
	assert_string_equal(lp.dev_regs[0], "x22");
	assert_string_equal(lp.skb_regs[0], "x21");
	assert_int_equal(lp.loop_start_off, 0x90);
	assert_int_equal(lp.loop_end_off, 0x250);
	assert_int_equal(lp.sub_off, 0x24c);
	assert_int_equal(lp.cmp_off, 0x90);
	assert_int_equal(lp.exit_off, 0x94);
	assert_int_equal(lp.src_line, 3295);
}

static void test_arm64_61(void **state)
{
	(void)state;
	load("arm64_61_dis.txt");
	check_61(0x90);		/* `pc : netdev_pick_tx+0x90/0x2a0` */
	check_61(0x24c);	/* the other end of the loop (+588) */
	check_61(0x94);
	check_61(0x250);
	/* a second, unrelated loop: its own registers, not the nearest sub */
	assert_int_equal(find(&oc_arch_arm64, 0x1c8), 0);
	assert_string_equal(lp.hash_reg, "x3");
	assert_string_equal(lp.qcount_reg, "x4");
	assert_string_equal(lp.qoffset_reg, "");
	assert_int_equal(lp.loop_start_off, 0x1c0);
	assert_int_equal(lp.loop_end_off, 0x1cc);
	assert_int_equal(lp.exit_off, 0x1c4);
	assert_int_equal(lp.src_line, 3501);
	assert_int_equal(find(&oc_arch_arm64, 0x88), 1);
	assert_string_equal(lp.why, "PC +0x88 is not inside a loop");
}

/*
 * crash 9.0.2's real `dis -lx netdev_pick_tx` on Debian's 6.1.0-56
 * cloud-arm64 kernel (kept as data).  gdb names some branch targets with
 * its DWARF offsets, 8 lower than crash's labels (`b.cs ...bbc
 * <netdev_pick_tx+580>` is +0x24c): edges must follow the addresses, or
 * the 4-instruction loop is mistaken for a 23-instruction one.
 */
static void test_arm64_61_crash_output(void **state)
{
	static const long pcs[] = { 0x90, 0x94, 0x24c, 0x250 };
	size_t i;

	(void)state;
	load("arm64_61_crash_dis.txt");
	for (i = 0; i < sizeof(pcs) / sizeof(pcs[0]); i++) {
		assert_int_equal(find(&oc_arch_arm64, pcs[i]), 0);
		assert_string_equal(lp.hash_reg, "x0");
		assert_string_equal(lp.qcount_reg, "x26");
		assert_int_equal(lp.loop_insns, 4);
		assert_int_equal(lp.loop_start_off, 0x90);
		assert_int_equal(lp.loop_end_off, 0x250);
		assert_int_equal(lp.sub_off, 0x24c);
		assert_int_equal(lp.cmp_off, 0x90);
		assert_int_equal(lp.exit_off, 0x94);
		assert_string_equal(lp.dev_regs[0], "x22");
	}
}

static void test_no_sub_cmp(void **state)
{
	(void)state;
	load("loop_nosub_dis.txt");
	assert_int_equal(find(&oc_arch_x86_64, 3), 1);
	assert_false(lp.found);
	assert_string_equal(lp.why, "loop at +0x3..+0x11 has no sub/cmp pair");
	assert_int_equal(lp.loop_start_off, 3);
	assert_int_equal(lp.loop_end_off, 0x11);
	assert_int_equal(lp.scc_insns, 5);
	assert_int_equal(find(&oc_arch_x86_64, 0x13), 1);
	assert_string_equal(lp.why, "PC +0x13 is not inside a loop");
	oc_disasm_free(&d);

	load("loop_noexit_dis.txt");
	assert_int_equal(find(&oc_arch_arm64, 4), 1);
	assert_string_equal(lp.why,
		"loop at +0x0..+0x8 has no conditional exit");
	assert_string_equal(lp.hash_reg, "");
}

static void test_truncated(void **state)
{
	/* the line start, not the same address as a branch target */
	const char *cut = "\n0xffff800008a1b2c4 <netdev_pi";
	size_t len;
	char *t, *p;

	(void)state;
	t = oc_test_read("arm64_510_dis.txt", &len);
	assert_non_null(t);
	p = memmem(t, len, cut, strlen(cut));
	assert_non_null(p);
	oc_disasm_init(&d);
	assert_int_equal(oc_disasm_parse(&d, t, (size_t)(p - t) +
					 strlen(cut)), 0);
	free(t);
	/* the loop's back half is gone: b.cs to +0x27c leads nowhere */
	assert_int_equal(find(&oc_arch_arm64, 0x128), 1);
	assert_string_equal(lp.why, "PC +0x128 is not inside a loop");
	assert_int_equal(find(&oc_arch_arm64, 0x27c), 1);
	assert_string_equal(lp.why,
		"PC +0x27c is not an instruction in the disassembly");
}

/* Synthetic arm64 function of @n 4-byte instructions, all `nop`. */
static struct oc_insn *synth(size_t n)
{
	struct oc_insn *v = calloc(n, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++) {
		v[i].addr = 0xffff800008000000ULL + 4 * i;
		v[i].off = (long)(4 * i);
		v[i].func = "f";
		strcpy(v[i].mnemonic, "nop");
	}
	return v;
}

static void set(struct oc_insn *v, size_t i, const char *m, const char *a,
		const char *b, const char *c)
{
	const char *ops[3] = { a, b, c };
	int k;

	strcpy(v[i].mnemonic, m);
	v[i].nops = 0;
	for (k = 0; k < 3 && ops[k]; k++)
		strcpy(v[i].ops[v[i].nops++], ops[k]);
}

static void branch(struct oc_insn *v, size_t i, const char *m, size_t to)
{
	set(v, i, m, "0x0", NULL, NULL);
	snprintf(v[i].ops[0], OC_OP_MAX, "0x%llx",
		 (unsigned long long)(0xffff800008000000ULL + 4 * to));
	v[i].has_target = 1;
	v[i].branch_target = 0xffff800008000000ULL + 4 * to;
	v[i].target_func = "f";
	v[i].target_off = (long)(4 * to);
}

static void test_huge(void **state)
{
	struct oc_insn *v;

	(void)state;
	v = synth(5000);
	assert_int_equal(oc_loop_find(&oc_arch_arm64, v, 5000, 0, &lp), 1);
	assert_string_equal(lp.why,
			    "function has 5000 instructions (limit 4096)");
	free(v);

	/* one 4096-instruction cycle, no sub/cmp: bounded, no recursion */
	v = synth(OC_LOOP_MAX_INSNS);
	branch(v, OC_LOOP_MAX_INSNS - 1, "b", 0);
	assert_int_equal(oc_loop_find(&oc_arch_arm64, v, OC_LOOP_MAX_INSNS,
				      4 * 1234, &lp), 1);
	assert_string_equal(lp.why,
			    "loop at +0x0..+0x3ffc has no sub/cmp pair");
	assert_int_equal(lp.scc_insns, OC_LOOP_MAX_INSNS);

	/*
	 * The hash loop at 2000..2003 nested in that cycle, and a decoy
	 * sub/cmp pair at 100..102 in the outer cycle only.
	 */
	set(v, 100, "sub", "w7", "w7", "w8");
	set(v, 101, "cmp", "w7", "w8", NULL);
	branch(v, 102, "b.cs", 0);
	set(v, 2000, "cmp", "w5", "w6", NULL);
	branch(v, 2001, "b.cc", 2004);
	set(v, 2002, "sub", "w5", "w5", "w6");
	branch(v, 2003, "b", 2000);
	assert_int_equal(oc_loop_find(&oc_arch_arm64, v, OC_LOOP_MAX_INSNS,
				      4 * 2002, &lp), 0);
	assert_string_equal(lp.hash_reg, "x5");
	assert_string_equal(lp.qcount_reg, "x6");
	assert_int_equal(lp.loop_start_off, 4 * 2000);
	assert_int_equal(lp.loop_end_off, 4 * 2003);
	assert_int_equal(lp.loop_insns, 4);
	assert_int_equal(lp.scc_insns, OC_LOOP_MAX_INSNS);
	assert_int_equal(lp.exit_off, 4 * 2001);
	/*
	 * PC in the outer cycle only: refuse.  The decoy pair is on the
	 * shortest cycle through +0x2ee0 (8188 edges against 8192).
	 */
	assert_int_equal(oc_loop_find(&oc_arch_arm64, v, OC_LOOP_MAX_INSNS,
				      4 * 3000, &lp), 1);
	assert_string_equal(lp.why,
		"PC +0x2ee0 is in a loop around the sub/cmp loop at +0x190, not in it");
	free(v);

	/* a straight line of 4096: not a loop */
	v = synth(OC_LOOP_MAX_INSNS);
	assert_int_equal(oc_loop_find(&oc_arch_arm64, v, OC_LOOP_MAX_INSNS,
				      4 * 4000, &lp), 1);
	assert_string_equal(lp.why, "PC +0x3e80 is not inside a loop");
	free(v);
}

static void test_unsorted_and_empty(void **state)
{
	struct oc_insn *v, tmp;

	(void)state;
	assert_int_equal(oc_loop_find(&oc_arch_arm64, NULL, 0, 0, &lp), 1);
	assert_string_equal(lp.why, "no instructions");
	/* x86 loop written backwards: order must not matter */
	v = synth(4);
	set(v, 0, "sub", "%eax", "%edx", NULL);
	set(v, 1, "cmp", "%eax", "%edx", NULL);
	branch(v, 2, "jb", 4);
	branch(v, 3, "jmp", 0);
	tmp = v[0];
	v[0] = v[3];
	v[3] = tmp;
	tmp = v[1];
	v[1] = v[2];
	v[2] = tmp;
	assert_int_equal(oc_loop_find(&oc_arch_x86_64, v, 4, 8, &lp), 0);
	assert_string_equal(lp.hash_reg, "rdx");
	assert_string_equal(lp.qcount_reg, "rax");
	assert_int_equal(lp.exit_off, 8);
	free(v);
}

static void test_prologue_copies(void **state)
{
	char regs[4][OC_REGNAME_MAX];

	(void)state;
	load("x86_64_61_dis.txt");
	assert_int_equal(oc_prologue_arg_copies(&oc_arch_x86_64, d.insns, d.n,
						0, regs, 4), 2);
	assert_string_equal(regs[0], "r12");
	assert_string_equal(regs[1], "rbx");
	assert_int_equal(oc_prologue_arg_copies(&oc_arch_x86_64, d.insns, d.n,
						0, regs, 1), 1);
	assert_int_equal(oc_prologue_arg_copies(&oc_arch_x86_64, d.insns, d.n,
						2, regs, 4), 0);
	oc_disasm_free(&d);
	/* a call clobbers x0 before the copy: no dev register */
	oc_disasm_init(&d);
	{
		const char *s =
			"0x1000 <f>:\tbl\t0x2000 <foo>\n"
			"0x1004 <f+0x4>:\tmov\tx22, x0\n"
			"0x1008 <f+0x8>:\tmov\tx23, x1\n"
			"0x100c <f+0xc>:\tret\n";
		assert_int_equal(oc_disasm_parse(&d, s, strlen(s)), 0);
	}
	assert_int_equal(oc_prologue_arg_copies(&oc_arch_arm64, d.insns, d.n,
						0, regs, 4), 0);
	assert_int_equal(oc_prologue_arg_copies(&oc_arch_arm64, d.insns, d.n,
						1, regs, 4), 0);
}

/*
 * A partial excerpt as pasted into a ticket (prologue + `dis -l | grep
 * 0x27c -C5`): the loop's compare is missing, oc_loop_find() cannot
 * close the loop and oc_loop_find_sub() decodes from the subtraction.
 * Expected registers: the original report's (hash x2, qcount x25,
 * qoffset x20, dev x22 from `mov x22, x0`), read off the full listing.
 */
static void check_excerpt_sub(long pc)
{
	assert_int_equal(oc_loop_find_sub(&oc_arch_arm64, d.insns, d.n, pc,
					  &lp), 0);
	assert_true(lp.found);
	assert_string_equal(lp.hash_reg, "x2");
	assert_string_equal(lp.qcount_reg, "x25");
	assert_string_equal(lp.qoffset_reg, "x20");
	assert_int_equal(lp.qoffset_off, 0x28c);
	assert_int_equal(lp.sub_off, 0x27c);
	assert_int_equal(lp.src_line, 3190);
	assert_int_equal(lp.cmp_off, -1);
	assert_int_equal(lp.exit_off, -1);
	assert_int_equal(lp.ndev_regs, 1);
	assert_string_equal(lp.dev_regs[0], "x22");
	assert_string_equal(lp.skb_regs[0], "x21");
	assert_non_null(strstr(lp.why, "not verified"));
}

static void test_arm64_seed_excerpt(void **state)
{
	(void)state;
	load("arm64_510_dis_excerpt.txt");
	/* the full decoder refuses: the branch back leaves the excerpt */
	assert_int_equal(find(&oc_arch_arm64, 0x27c), 1);
	assert_false(lp.found);
	check_excerpt_sub(0x27c);
	check_excerpt_sub(0x280);	/* the branch after the sub */
	/* nothing to decode from next to a plain move */
	assert_int_equal(oc_loop_find_sub(&oc_arch_arm64, d.insns, d.n,
					  0x274, &lp), 1);
	assert_false(lp.found);
	/* PC not in the excerpt */
	assert_int_equal(oc_loop_find_sub(&oc_arch_arm64, d.insns, d.n,
					  0x128, &lp), 1);
	assert_non_null(strstr(lp.why, "not an instruction"));
	teardown(NULL);
	/* on the full listing the fallback agrees with the loop decoder */
	load("arm64_510_dis.txt");
	check_excerpt_sub(0x27c);
}

static void test_x86_excerpt_cmp(void **state)
{
	/* PC at the compare; its sub is two lines away, no prologue */
	static const char s[] =
		"0xffffffff81a2b3cd <netdev_pick_tx+621>:\tsub    %eax,%edx\n"
		"0xffffffff81a2b3cf <netdev_pick_tx+623>:\tcmp    %eax,%edx\n"
		"0xffffffff81a2b3d1 <netdev_pick_tx+625>:\tjb     "
		"0xffffffff81a2b339 <netdev_pick_tx+473>\n";

	(void)state;
	assert_int_equal(oc_disasm_parse(&d, s, strlen(s)), 0);
	assert_int_equal(oc_loop_find_sub(&oc_arch_x86_64, d.insns, d.n, 625,
					  &lp), 1);
	assert_int_equal(oc_loop_find_sub(&oc_arch_x86_64, d.insns, d.n, 623,
					  &lp), 0);
	assert_string_equal(lp.hash_reg, "rdx");
	assert_string_equal(lp.qcount_reg, "rax");
	assert_int_equal(lp.sub_off, 621);
	assert_int_equal(lp.ndev_regs, 0);	/* no prologue in it */
	assert_int_equal(oc_loop_find_sub(&oc_arch_x86_64, NULL, 0, 0, &lp), 1);
}

int oc_test_loopfind(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_arm64_seed, teardown),
		cmocka_unit_test_teardown(test_arm64_seed_outside, teardown),
		cmocka_unit_test_teardown(test_x86, teardown),
		cmocka_unit_test_teardown(test_arm64_61_crash_output, teardown),
		cmocka_unit_test_teardown(test_arm64_61, teardown),
		cmocka_unit_test_teardown(test_no_sub_cmp, teardown),
		cmocka_unit_test_teardown(test_truncated, teardown),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_unsorted_and_empty),
		cmocka_unit_test_teardown(test_prologue_copies, teardown),
		cmocka_unit_test_teardown(test_arm64_seed_excerpt, teardown),
		cmocka_unit_test_teardown(test_x86_excerpt_cmp, teardown),
	};

	return cmocka_run_group_tests_name("loopfind", tests, NULL, NULL);
}
