// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_util.h"
#include "panicsig.h"
#include "regdump.h"

static struct oc_regdump_list l;

static int teardown(void **state)
{
	(void)state;
	oc_regdump_list_free(&l);
	return 0;
}

static void load(const char *name)
{
	size_t len;
	char *t = oc_test_read(name, &len);

	assert_non_null(t);
	memset(&l, 0, sizeof(l));
	assert_int_equal(oc_regdump_parse(t, len, &l), 0);
	free(t);
}

static void parse_str(const char *s)
{
	memset(&l, 0, sizeof(l));
	assert_int_equal(oc_regdump_parse(s, strlen(s), &l), 0);
}

static uint64_t reg(const struct oc_regdump *rd, const char *name)
{
	uint64_t v = 0xdeadbeefULL;

	assert_int_equal(oc_regdump_get(rd, name, &v), 0);
	return v;
}

static void no_reg(const struct oc_regdump *rd, const char *name)
{
	uint64_t v;

	assert_int_equal(oc_regdump_get(rd, name, &v), -1);
}

static void test_arm64_seed(void **state)
{
	const struct oc_regdump *rd;

	(void)state;
	load("arm64_510_dmesg.txt");
	assert_int_equal(l.n, 1);
	rd = &l.v[0];
	assert_string_equal(rd->arch, "arm64");
	assert_int_equal(rd->line_no, 7);
	assert_true(rd->have_pc_sym);
	assert_string_equal(rd->pc_sym, "netdev_pick_tx");
	assert_int_equal(rd->pc_off, 0x27c);
	assert_int_equal(rd->pc_len, 0x294);
	assert_string_equal(rd->pc_mod, "");
	assert_true(rd->have_lr_sym);
	assert_string_equal(rd->lr_sym, "netdev_pick_tx");
	assert_int_equal(rd->lr_off, 0xe8);
	assert_int_equal(rd->lr_len, 0x294);
	assert_int_equal(rd->nregs, 31);	/* sp + x29..x0 */
	assert_true(reg(rd, "x2") == 0);
	assert_true(reg(rd, "x20") == 0);
	assert_true(reg(rd, "x25") == 0);
	assert_true(reg(rd, "x26") == 0);
	assert_true(reg(rd, "x22") == 0xffff0020c7f1d000ULL);
	assert_true(reg(rd, "w22") == 0xffff0020c7f1d000ULL);
	assert_true(reg(rd, "x9") == 0xffff800010ac1d2cULL);
	assert_true(reg(rd, "x8") == 0xffff0020c8a07a80ULL);
	assert_true(reg(rd, "x1") == 0xffff0020c8d1e200ULL);
	assert_true(reg(rd, "x0") == 0xffff0020c7f1d000ULL);
	assert_true(reg(rd, "x24") == 1);
	assert_true(reg(rd, "x10") == 0xa20);
	assert_true(reg(rd, "sp") == 0xffff80001000bb90ULL);
	assert_true(reg(rd, "x29") == 0xffff80001000bb90ULL);
	no_reg(rd, "x30");	/* lr was printed as a symbol */
	no_reg(rd, "x31");
	no_reg(rd, "rax");
	assert_int_equal(rd->cpu_nr, 1);
	assert_string_equal(rd->cpu,
		"CPU: 1 PID: 0 Comm: swapper/1 Not tainted 5.10.0-21-arm64 #1 Debian 5.10.162-1");
	assert_string_equal(rd->trigger,
		"watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [swapper/1:0]");
}

static void test_x86_two_dumps(void **state)
{
	const struct oc_regdump *rd;

	(void)state;
	load("x86_64_61_dmesg.txt");
	assert_int_equal(l.n, 2);
	rd = &l.v[0];
	assert_string_equal(rd->arch, "x86_64");
	assert_int_equal(rd->line_no, 6);
	assert_string_equal(rd->pc_sym, "netdev_pick_tx");
	assert_int_equal(rd->pc_off, 0x26d);
	assert_int_equal(rd->pc_len, 0x2b0);
	assert_false(rd->have_lr_sym);
	assert_int_equal(rd->cpu_nr, 1);
	assert_string_equal(rd->trigger,
		"watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [ksoftirqd/1:22]");
	assert_int_equal(rd->nregs, 27);
	assert_true(reg(rd, "rax") == 0);
	assert_true(reg(rd, "eax") == 0);
	assert_true(reg(rd, "rdx") == 0);
	assert_true(reg(rd, "%edx") == 0);
	assert_true(reg(rd, "r12") == 0xffff888004a3c000ULL);
	assert_true(reg(rd, "rbx") == 0xffff888004a3c000ULL);
	assert_true(reg(rd, "rdi") == 0xffff888004a3c000ULL);
	assert_true(reg(rd, "rbp") == 0xffff888005d1e200ULL);
	assert_true(reg(rd, "rcx") == 1);
	assert_true(reg(rd, "r8") == 2);
	assert_true(reg(rd, "R08") == 2);
	assert_true(reg(rd, "r8d") == 2);
	assert_true(reg(rd, "r9") == 0xffffc90000003c10ULL);
	assert_true(reg(rd, "r14") == 0xffff888003e81c00ULL);
	assert_true(reg(rd, "rsp") == 0xffffc90000003b48ULL);
	assert_true(reg(rd, "eflags") == 0x246);
	assert_true(reg(rd, "gs") == 0xffff88801f500000ULL);
	assert_true(reg(rd, "knlgs") == 0);
	assert_true(reg(rd, "cs") == 0x10);
	assert_true(reg(rd, "cr2") == 0x7f3a1c2b3000ULL);
	assert_true(reg(rd, "cr4") == 0x350ee0);
	no_reg(rd, "rip");
	no_reg(rd, "x0");

	rd = &l.v[1];
	assert_string_equal(rd->pc_sym, "default_idle");
	assert_int_equal(rd->pc_off, 0xb);
	assert_int_equal(rd->pc_len, 0x10);
	assert_int_equal(rd->cpu_nr, 0);
	assert_string_equal(rd->trigger, "NMI backtrace for cpu 0");
	assert_int_equal(rd->nregs, 20);
	assert_true(reg(rd, "rdx") == 0x4000000000000000ULL);
	assert_true(reg(rd, "r8") == 1);
	no_reg(rd, "cr2");
}

static void test_truncated(void **state)
{
	const char *cut = "x3 : 0000000000000000 x2";
	const struct oc_regdump *rd;
	size_t len, at;
	char *t, *p, *exact;

	(void)state;
	t = oc_test_read("arm64_510_dmesg.txt", &len);
	assert_non_null(t);
	p = memmem(t, len, cut, strlen(cut));
	assert_non_null(p);
	at = (size_t)(p - t) + strlen(cut);
	exact = malloc(at);
	memcpy(exact, t, at);
	memset(&l, 0, sizeof(l));
	assert_int_equal(oc_regdump_parse(exact, at, &l), 0);
	assert_int_equal(l.n, 1);
	rd = &l.v[0];
	assert_true(reg(rd, "x4") == 0);
	assert_true(reg(rd, "x25") == 0);
	no_reg(rd, "x3");	/* its line is incomplete: dropped whole */
	no_reg(rd, "x2");
	no_reg(rd, "x0");
	assert_int_equal(rd->nregs, 27);
	free(exact);
	free(t);
}

static void test_no_dump(void **state)
{
	(void)state;
	parse_str("[    0.000000] Booting Linux on physical CPU 0x0\n"
		  "random text: 1234\n"
		  "x29 is not a register line\n"
		  "RAX: 0000000000000000 RBX: 0000000000000000\n"
		  "pc : \n"
		  "\n");
	assert_int_equal(l.n, 0);
	oc_regdump_list_free(&l);
	parse_str("");
	assert_int_equal(l.n, 0);
}

static void test_old_formats(void **state)
{
	const struct oc_regdump *rd;

	(void)state;
	parse_str("<1>[  100.000001] Internal error: Oops: 96000005 [#1] SMP\n"
		  "<4>[  100.000002] PC is at netdev_pick_tx+0x27c/0x294\n"
		  "<4>[  100.000003] LR is at netdev_pick_tx+0xe8/0x294\n"
		  "<4>[  100.000004] pc : [<ffff000008a1b2c4>] lr : [<ffff000008a1b130>] pstate: 80000145\n"
		  "<4>[  100.000005] sp : ffff80001000bb90\n"
		  "<4>[  100.000006] x29: ffff80001000bb90 x28: ffff0020c7de0000 \n"
		  "<4>[  100.000007] Process swapper/1 (pid: 0, stack limit = 0x0)\n"
		  "Nov 25 15:16:00 host kernel: [   52.001170][    C1] RIP: 0010:[<ffffffff8155f1b3>]  [<ffffffff8155f1b3>] netdev_pick_tx+0x63/0x130\n"
		  "Nov 25 15:16:00 host kernel: [   52.001171][  T1234] RSP: 0018:ffff88003fc03b48  EFLAGS: 00000246\n"
		  "[  60.1] RIP: 0033:0x7f3a1c2b3c4d\n"
		  "[  61.2] pc : do_output+0x60/0x120 [openvswitch]\n");
	assert_int_equal(l.n, 4);
	rd = &l.v[0];
	assert_string_equal(rd->arch, "arm64");
	assert_string_equal(rd->pc_sym, "netdev_pick_tx");
	assert_int_equal(rd->pc_off, 0x27c);
	assert_string_equal(rd->lr_sym, "netdev_pick_tx");
	assert_int_equal(rd->lr_off, 0xe8);
	assert_true(reg(rd, "pc") == 0xffff000008a1b2c4ULL);
	assert_true(reg(rd, "lr") == 0xffff000008a1b130ULL);
	assert_true(reg(rd, "x30") == 0xffff000008a1b130ULL);
	assert_true(reg(rd, "pstate") == 0x80000145);
	assert_true(reg(rd, "x28") == 0xffff0020c7de0000ULL);
	assert_string_equal(rd->trigger, "Internal error: Oops: 96000005 [#1] SMP");
	assert_int_equal(rd->cpu_nr, -1);

	rd = &l.v[1];
	assert_string_equal(rd->arch, "x86_64");
	assert_string_equal(rd->pc_sym, "netdev_pick_tx");
	assert_int_equal(rd->pc_off, 0x63);
	assert_int_equal(rd->pc_len, 0x130);
	assert_true(reg(rd, "rip") == 0xffffffff8155f1b3ULL);
	assert_true(reg(rd, "rsp") == 0xffff88003fc03b48ULL);
	assert_true(reg(rd, "eflags") == 0x246);

	rd = &l.v[2];
	assert_false(rd->have_pc_sym);
	assert_true(reg(rd, "rip") == 0x7f3a1c2b3c4dULL);

	rd = &l.v[3];
	assert_string_equal(rd->pc_sym, "do_output");
	assert_string_equal(rd->pc_mod, "openvswitch");
}

/*
 * A line that ends right after "RIP: a" (issue 11, item 9): the segment
 * selector test looked at p[4] without checking p[1..3], 3 bytes past
 * the NUL.  The line sits at the very end of a page whose successor is
 * PROT_NONE, so the over-read faults in a plain build too, not only
 * under ASan or valgrind.
 */
static void test_rip_line_at_buffer_end(void **state)
{
	static const char *const lines[] = { "RIP: a", "RIP: ab", "RIP: abc",
					     "RIP: 0010", "RIP: [", "RIP: 0x" };
	long pg = sysconf(_SC_PAGESIZE);
	struct oc_regdump rd;
	char *map, *at;
	size_t i;

	(void)state;
	map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + pg, pg, PROT_NONE), 0);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		at = map + pg - strlen(lines[i]) - 1;
		memcpy(at, lines[i], strlen(lines[i]) + 1);
		memset(&rd, 0, sizeof(rd));
		assert_int_equal(oc_arch_x86_64.regdump_start(at, &rd), 0);
	}
	munmap(map, 2 * pg);
}

/* The same through the parsers: a 1023-character log line (the line
 * buffers hold 1024) ending in "RIP: a", in a heap buffer of exactly
 * its size (ASan / valgrind see the stack and heap over-reads). */
static void test_rip_line_1023(void **state)
{
	struct oc_panic_list pl = { 0 };
	size_t len = 1023;
	char *t = malloc(len);

	(void)state;
	assert_non_null(t);
	memset(t, ' ', len);
	memcpy(t + len - strlen("RIP: a"), "RIP: a", strlen("RIP: a"));
	memset(&l, 0, sizeof(l));
	assert_int_equal(oc_regdump_parse(t, len, &l), 0);
	assert_int_equal(l.n, 0);
	oc_panic_parse(t, len, &pl);
	assert_int_equal(pl.n, 0);
	oc_panic_list_free(&pl);
	free(t);
}

int oc_test_regdump(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_arm64_seed, teardown),
		cmocka_unit_test_teardown(test_x86_two_dumps, teardown),
		cmocka_unit_test_teardown(test_truncated, teardown),
		cmocka_unit_test_teardown(test_no_dump, teardown),
		cmocka_unit_test_teardown(test_old_formats, teardown),
		cmocka_unit_test(test_rip_line_at_buffer_end),
		cmocka_unit_test_teardown(test_rip_line_1023, teardown),
	};

	return cmocka_run_group_tests_name("regdump", tests, NULL, NULL);
}
