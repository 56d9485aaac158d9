// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "disasm.h"

static struct oc_disasm d;

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

static const struct oc_insn *at_off(long off)
{
	long i = oc_disasm_find_off(&d, off);

	assert_true(i >= 0);
	return &d.insns[i];
}

static void parse_str(const char *s)
{
	oc_disasm_init(&d);
	assert_int_equal(oc_disasm_parse(&d, s, strlen(s)), 0);
}

static void test_symoff(void **state)
{
	char sym[64];
	long off;

	(void)state;
	assert_int_equal(oc_parse_symoff("netdev_pick_tx+621", 18, sym,
					 sizeof(sym), &off), 0);
	assert_string_equal(sym, "netdev_pick_tx");
	assert_int_equal(off, 621);
	assert_int_equal(oc_parse_symoff("netdev_pick_tx+0x26d", 20, sym,
					 sizeof(sym), &off), 0);
	assert_int_equal(off, 0x26d);
	assert_int_equal(oc_parse_symoff("netdev_pick_tx", 14, sym,
					 sizeof(sym), &off), 0);
	assert_int_equal(off, 0);
	assert_int_equal(oc_parse_symoff("+20", 3, sym, sizeof(sym), &off), 0);
	assert_string_equal(sym, "");
	assert_int_equal(off, 20);
	assert_int_equal(oc_parse_symoff("netdev_pick_tx+", 15, sym,
					 sizeof(sym), &off), -1);
	assert_int_equal(oc_parse_symoff("netdev_pick_tx+0xzz", 19, sym,
					 sizeof(sym), &off), -1);
	assert_int_equal(oc_parse_symoff("", 0, sym, sizeof(sym), &off), -1);
	/* length bound respected: only "netdev" is looked at */
	assert_int_equal(oc_parse_symoff("netdev_pick_tx+621", 6, sym,
					 sizeof(sym), &off), 0);
	assert_string_equal(sym, "netdev");
}

static void test_x86_file(void **state)
{
	const struct oc_insn *in;

	(void)state;
	load("x86_64_61_dis.txt");
	assert_int_equal(d.n, 42);
	assert_int_equal(d.n_bad, 0);
	assert_int_equal(d.n_src, 10);

	in = at_off(621);
	assert_true(in->addr == 0xffffffff81a2b3cdULL);
	assert_string_equal(in->func, "netdev_pick_tx");
	assert_string_equal(in->mnemonic, "sub");
	assert_int_equal(in->nops, 2);
	assert_string_equal(in->ops[0], "%eax");
	assert_string_equal(in->ops[1], "%edx");
	assert_int_equal(in->src_line, 3295);
	assert_string_equal(in->src_file,
			    "/build/linux-6.1.192/net/core/dev.c");

	in = at_off(627);
	assert_string_equal(in->mnemonic, "jmp");
	assert_int_equal(in->nops, 1);
	assert_string_equal(in->ops[0], "0xffffffff81a2b3cd");
	assert_true(in->has_target);
	assert_true(in->branch_target == 0xffffffff81a2b3cdULL);
	assert_string_equal(in->target_func, "netdev_pick_tx");
	assert_int_equal(in->target_off, 621);
	assert_int_equal(in->src_line, 3294);

	in = at_off(0);		/* `<netdev_pick_tx>` form */
	assert_string_equal(in->mnemonic, "call");
	assert_string_equal(in->target_func, "__fentry__");
	assert_int_equal(in->target_off, 0);

	in = at_off(0x250);
	assert_string_equal(in->mnemonic, "movzwl");
	assert_string_equal(in->ops[0], "0x3cc(%rbx)");
	assert_false(in->has_target);

	in = at_off(0x287);	/* "int3   " */
	assert_string_equal(in->mnemonic, "int3");
	assert_int_equal(in->nops, 0);

	assert_int_equal(oc_disasm_find_addr(&d, 0xffffffff81a2b3d3ULL),
			 oc_disasm_find_off(&d, 627));
	assert_int_equal(oc_disasm_find_off(&d, 622), -1);
}

static void test_arm64_510_file(void **state)
{
	const struct oc_insn *in;

	(void)state;
	load("arm64_510_dis.txt");
	assert_int_equal(d.n, 72);
	assert_int_equal(d.n_bad, 0);
	assert_int_equal(d.n_src, 18);

	in = at_off(0x27c);
	assert_true(in->addr == 0xffff800008a1b2c4ULL);
	assert_string_equal(in->mnemonic, "sub");
	assert_int_equal(in->nops, 3);
	assert_string_equal(in->ops[0], "w2");
	assert_string_equal(in->ops[1], "w2");
	assert_string_equal(in->ops[2], "w25");
	assert_int_equal(in->src_line, 3190);

	in = at_off(0x28c);
	assert_string_equal(in->ops[2], "w20");
	assert_int_equal(in->src_line, 3188);

	in = at_off(0x124);	/* gdb's `// b.hs, b.nlast` comment */
	assert_string_equal(in->mnemonic, "b.cs");
	assert_int_equal(in->nops, 1);
	assert_true(in->branch_target == 0xffff800008a1b2d4ULL);
	assert_int_equal(in->target_off, 0x28c);

	in = at_off(0x280);
	assert_string_equal(in->mnemonic, "b");
	assert_true(in->branch_target == 0xffff800008a1b170ULL);
	assert_int_equal(in->target_off, 0x128);

	in = at_off(0xec);
	assert_string_equal(in->mnemonic, "ldrh");
	assert_string_equal(in->ops[1], "[x22, #972]");

	in = at_off(0xf0);	/* `mov w20, #0x0  // #0` */
	assert_int_equal(in->nops, 2);
	assert_string_equal(in->ops[1], "#0x0");

	in = at_off(0xd4);
	assert_int_equal(in->nops, 4);
	assert_string_equal(in->ops[3], "eq");

	in = at_off(0x230);
	assert_int_equal(in->nops, 4);
	assert_string_equal(in->ops[3], "sxtw #2");

	in = at_off(0x1f4);
	assert_string_equal(in->ops[2], "[sp]");
	assert_string_equal(in->ops[3], "#80");

	in = at_off(0x30);
	assert_string_equal(in->mnemonic, "tbnz");
	assert_int_equal(in->nops, 3);
	assert_int_equal(in->target_off, 0xd0);

	in = at_off(0xe4);
	assert_string_equal(in->target_func, "get_xps_queue");
}

static void test_arm64_61_indented(void **state)
{
	const struct oc_insn *in;

	(void)state;
	load("arm64_61_dis.txt");
	assert_int_equal(d.n, 47);
	assert_int_equal(d.n_bad, 0);
	in = at_off(0x8);
	assert_string_equal(in->mnemonic, "paciasp");
	assert_int_equal(in->nops, 0);
	in = at_off(0x254);
	assert_string_equal(in->mnemonic, "brk");
	assert_string_equal(in->ops[0], "#0x800");
	in = at_off(0x24c);
	assert_int_equal(in->src_line, 3295);
}

static void test_garbage(void **state)
{
	const struct oc_insn *in;

	(void)state;
	load("garbage_dis.txt");
	assert_int_equal(d.n, 6);
	assert_int_equal(d.n_bad, 6);
	assert_int_equal(d.n_src, 1);
	assert_int_equal(d.insns[0].off, 0);
	assert_int_equal(d.insns[1].off, 8);
	assert_int_equal(d.insns[2].off, 0xc);	/* gdb `=>` marker */
	assert_null(d.insns[2].src_file);
	assert_int_equal(d.insns[3].off, 0x10);
	assert_int_equal(d.insns[3].src_line, 4040);
	in = &d.insns[4];			/* `<+20>` gdb form */
	assert_int_equal(in->off, 20);
	assert_null(in->func);
	assert_string_equal(in->ops[1], "[x22, #972]");
	assert_int_equal(in->src_line, 4040);
	in = &d.insns[5];			/* no <sym+off> at all */
	assert_int_equal(in->off, 0x18);
	assert_true(in->has_target);
	assert_string_equal(in->target_func, "netdev_pick_tx");
	assert_int_equal(in->target_off, 0);
}

static void test_truncated(void **state)
{
	/* the line start, not the same address as a branch target */
	const char *cut = "\n0xffff800008a1b2c4 <netdev_pi";
	size_t len, at;
	char *t, *p, *exact;

	(void)state;
	t = oc_test_read("arm64_510_dis.txt", &len);
	assert_non_null(t);
	p = memmem(t, len, cut, strlen(cut));
	assert_non_null(p);
	at = (size_t)(p - t) + strlen(cut);
	exact = malloc(at);
	memcpy(exact, t, at);
	oc_disasm_init(&d);
	assert_int_equal(oc_disasm_parse(&d, exact, at), 0);
	assert_int_equal(d.n, 66);
	assert_int_equal(d.n_bad, 1);
	assert_int_equal(d.n_src, 16);
	assert_int_equal(d.insns[d.n - 1].off, 0x278);
	oc_disasm_free(&d);

	/* cut inside the mnemonic: kept as what it reads */
	cut = "<netdev_pick_tx+0x27c>:\tsu";
	p = memmem(t, len, cut, strlen(cut));
	assert_non_null(p);
	at = (size_t)(p - t) + strlen(cut);
	free(exact);
	exact = malloc(at);
	memcpy(exact, t, at);
	oc_disasm_init(&d);
	assert_int_equal(oc_disasm_parse(&d, exact, at), 0);
	assert_int_equal(d.n, 67);
	assert_string_equal(d.insns[66].mnemonic, "su");
	assert_int_equal(d.insns[66].nops, 0);
	free(exact);
	free(t);
}

static void test_prefixes_comments_raw(void **state)
{
	(void)state;
	parse_str("0xffffffff81000000 <f>:\tlock cmpxchg %ecx,(%rdx)\n"
		  "0xffffffff81000004 <f+4>:\tcs nopw 0x0(%rax,%rax,1)\n"
		  "0xffffffff8100000e <f+14>:\tmov    0x1234(%rip),%rax        # 0xffffffff82a0b000 <jiffies>\n"
		  "0xffffffff81000015 <f+21>:\t29 c2\tsub    %eax,%edx\n"
		  "0xffff800008000000 <g>:\td503201f\tnop\n"
		  "0xffff800008000004 <g+0x4>:\tdmb\tish\n"
		  "0xffff800008000008 <g+0x8>:\tdc\tcivac, x0\n"
		  "0xffff80000800000c <g+0xc>:\tfoo\ta, b, c, d, e\n"
		  "0xffff800008000010 <g+0x10>:\tldr\tx0, [x22, #972, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n"
		  "0xffffffff81000017 <f+23>:\tc3\tret\n"
		  "0xffff800008000014 <g+0x14>:\tfadd\td0, d1, d2\n");
	assert_int_equal(d.n, 11);
	assert_int_equal(d.n_bad, 0);
	assert_string_equal(d.insns[0].mnemonic, "cmpxchg");
	assert_string_equal(d.insns[0].ops[1], "(%rdx)");
	assert_string_equal(d.insns[1].mnemonic, "nopw");
	assert_int_equal(d.insns[1].nops, 1);
	assert_string_equal(d.insns[1].ops[0], "0x0(%rax,%rax,1)");
	assert_string_equal(d.insns[2].mnemonic, "mov");
	assert_int_equal(d.insns[2].nops, 2);
	assert_string_equal(d.insns[2].ops[1], "%rax");
	assert_false(d.insns[2].has_target);
	assert_string_equal(d.insns[3].mnemonic, "sub");
	assert_string_equal(d.insns[3].ops[1], "%edx");
	assert_string_equal(d.insns[4].mnemonic, "nop");
	assert_string_equal(d.insns[5].mnemonic, "dmb");
	assert_string_equal(d.insns[5].ops[0], "ish");
	assert_string_equal(d.insns[6].mnemonic, "dc");
	assert_string_equal(d.insns[6].ops[0], "civac");
	assert_int_equal(d.insns[7].nops, 4);
	assert_string_equal(d.insns[7].ops[3], "d, e");
	assert_false(d.insns[7].truncated);
	assert_true(d.insns[8].truncated);
	assert_int_equal(strlen(d.insns[8].ops[1]), OC_OP_MAX - 1);
	assert_string_equal(d.insns[9].mnemonic, "ret");
	assert_int_equal(d.insns[9].nops, 0);
	assert_string_equal(d.insns[10].mnemonic, "fadd");
	assert_int_equal(d.insns[10].nops, 3);
}

static void test_empty(void **state)
{
	(void)state;
	parse_str("");
	assert_int_equal(d.n, 0);
	assert_int_equal(d.n_bad, 0);
	oc_disasm_free(&d);
	parse_str("\n\n   \n");
	assert_int_equal(d.n, 0);
	assert_int_equal(d.n_bad, 0);
}

int oc_test_disasm(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symoff),
		cmocka_unit_test_teardown(test_x86_file, teardown),
		cmocka_unit_test_teardown(test_arm64_510_file, teardown),
		cmocka_unit_test_teardown(test_arm64_61_indented, teardown),
		cmocka_unit_test_teardown(test_garbage, teardown),
		cmocka_unit_test_teardown(test_truncated, teardown),
		cmocka_unit_test_teardown(test_prefixes_comments_raw, teardown),
		cmocka_unit_test_teardown(test_empty, teardown),
	};

	return cmocka_run_group_tests_name("disasm", tests, NULL, NULL);
}
