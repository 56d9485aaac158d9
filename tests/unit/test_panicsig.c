// SPDX-License-Identifier: GPL-2.0
/*
 * panicsig: panic-class reports in kernel logs.  Real logs come from
 * tests/unit/data; the other kinds are written from the format strings of
 * Linux v6.1, the file of each named where the line is built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "panicsig.h"

static struct oc_panic_list l;

static int teardown(void **state)
{
	(void)state;
	oc_panic_list_free(&l);
	return 0;
}

static void parse_buf(const char *t, size_t len)
{
	memset(&l, 0, sizeof(l));
	assert_int_equal(oc_panic_parse(t, len, &l), 0);
}

/* a heap copy of exactly @len bytes: reading past it trips the sanitizers */
static void __attribute__((unused)) parse_str(const char *s)
{
	size_t n = strlen(s);
	char *t = malloc(n ? n : 1);

	assert_non_null(t);
	memcpy(t, s, n);
	parse_buf(t, n);
	free(t);
}

static void load(const char *name)
{
	size_t len;
	char *t = oc_test_read(name, &len);

	assert_non_null(t);
	parse_buf(t, len);
	free(t);
}

static const struct oc_panic_report *primary(void)
{
	assert_true(l.primary >= 0 && (size_t)l.primary < l.n);
	assert_true(l.v[l.primary].caused_panic);
	return &l.v[l.primary];
}

static void __attribute__((unused)) bucket(const struct oc_panic_report *r, char *out, char *desc,
		   size_t n)
{
	oc_panic_bucket(r, out, desc, n);
	assert_int_equal(strlen(out), 16);
}

/* data/x86_64_61_dmesg.txt: 6.1 x86_64 OVS soft lockup, NMI backtrace of cpu 0 */
static void test_x86_real(void **state)
{
	const struct oc_panic_report *r;

	(void)state;
	load("x86_64_61_dmesg.txt");
	assert_int_equal(l.n, 1);
	assert_string_equal(l.panic_message, "softlockup: hung tasks");
	r = primary();
	assert_int_equal(r->kind, OC_PK_SOFT_LOCKUP);
	assert_int_equal(r->line_no, 2);
	assert_int_equal(r->cpu, 1);
	assert_int_equal(r->pid, 22);
	assert_string_equal(r->comm, "ksoftirqd/1");
	assert_true(r->have_where);
	assert_string_equal(r->where_source, "RIP line");
	assert_string_equal(r->where.sym, "netdev_pick_tx");
	assert_int_equal(r->where.off, 0x26d);
	assert_int_equal(r->where.len, 0x2b0);
	assert_true(r->have_regs);
	assert_int_equal(r->regs.line_no, 6);
	/* the report's trace ends where cpu 0's NMI backtrace starts */
	assert_int_equal(r->nframes, 3);
	assert_string_equal(r->frames[0].sym, "netdev_core_pick_tx");
	assert_string_equal(r->frames[0].stack, "IRQ");
	assert_string_equal(r->frames[2].sym, "do_execute_actions");
	assert_int_equal(r->frames[2].off, 0x5d);
	assert_string_equal(r->frames[2].mod, "openvswitch");
	assert_false(r->frames[2].unreliable);
}

/* data/arm64_510_dmesg.txt: the original report, arm64 5.10 */
static void test_arm64_real(void **state)
{
	const struct oc_panic_report *r;

	(void)state;
	load("arm64_510_dmesg.txt");
	assert_int_equal(l.n, 1);
	r = primary();
	assert_int_equal(r->kind, OC_PK_SOFT_LOCKUP);
	assert_int_equal(r->cpu, 1);
	assert_int_equal(r->pid, 0);
	assert_string_equal(r->comm, "swapper/1");
	assert_string_equal(r->where_source, "pc line");
	assert_string_equal(r->where.sym, "netdev_pick_tx");
	assert_int_equal(r->where.off, 0x27c);
	assert_int_equal(r->nframes, 7);
	assert_string_equal(r->frames[4].sym, "ovs_vport_send");
	assert_string_equal(r->frames[4].mod, "openvswitch");
	assert_string_equal(r->frames[6].sym, "do_execute_actions");
	assert_string_equal(r->frames[6].stack, "");
}

/* Lines joined with '\n'. */
#define L(x) x "\n"

/*
 * kernel/hung_task.c check_hung_task() + kernel/sched/core.c
 * sched_show_task() (6.1: "task:%-15.15s state:%c stack:%-5lu pid:%-5d
 * ppid:%-6d flags:0x%08lx"), then panic("hung_task: blocked tasks") and
 * panic()'s own dump_stack() from khungtaskd.
 */
static const char hung_task[] =
	L("[  245.100001] INFO: task ip:123 blocked for more than 120 seconds.")
	L("[  245.100010]       Not tainted 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2")
	L("[  245.100020] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.")
	L("[  245.100030] task:ip              state:D stack:0     pid:123   ppid:1      flags:0x00004002")
	L("[  245.100040] Call Trace:")
	L("[  245.100041]  <TASK>")
	L("[  245.100042]  __schedule+0x34d/0x9e0")
	L("[  245.100043]  schedule+0x5a/0xd0")
	L("[  245.100044]  schedule_preempt_disabled+0x11/0x20")
	L("[  245.100045]  __mutex_lock.constprop.0+0x399/0x700")
	L("[  245.100046]  ? rtnl_getlink+0x4a/0x3f0")
	L("[  245.100047]  rtnetlink_rcv_msg+0x13c/0x380")
	L("[  245.100048]  netlink_rcv_skb+0x50/0x100")
	L("[  245.100049]  netlink_unicast+0x23a/0x380")
	L("[  245.100050]  </TASK>")
	L("[  245.100060] Kernel panic - not syncing: hung_task: blocked tasks")
	L("[  245.100070] CPU: 0 PID: 30 Comm: khungtaskd Not tainted 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2")
	L("[  245.100080] Call Trace:")
	L("[  245.100081]  <TASK>")
	L("[  245.100082]  dump_stack_lvl+0x44/0x5c")
	L("[  245.100083]  panic+0x118/0x2ed")
	L("[  245.100084]  watchdog.cold+0xb/0xb")
	L("[  245.100085]  </TASK>");

static void test_hung_task(void **state)
{
	const struct oc_panic_report *r;
	char b[17], d[256];

	(void)state;
	parse_str(hung_task);
	assert_int_equal(l.n, 1);
	r = primary();
	assert_int_equal(r->kind, OC_PK_HUNG_TASK);
	assert_string_equal(l.panic_message, "hung_task: blocked tasks");
	assert_int_equal(r->cpu, -1);	/* a blocked task runs on no CPU */
	assert_int_equal(r->pid, 123);
	assert_string_equal(r->comm, "ip");
	/* the task's own trace, not khungtaskd's after the panic line */
	assert_int_equal(r->nframes, 8);
	assert_string_equal(r->frames[0].sym, "__schedule");
	assert_string_equal(r->frames[0].stack, "TASK");
	assert_true(r->frames[4].unreliable);
	assert_string_equal(r->frames[4].sym, "rtnl_getlink");
	/* scheduler and mutex frames skipped, "? " frame skipped */
	assert_true(r->have_where);
	assert_string_equal(r->where_source, "call trace");
	assert_string_equal(r->where.sym, "rtnetlink_rcv_msg");
	assert_int_equal(r->where.off, 0x13c);
	bucket(r, b, d, sizeof(d));
	assert_string_equal(d, "rtnetlink_rcv_msg <- netlink_rcv_skb <- netlink_unicast");
}

/*
 * kernel/watchdog_hld.c watchdog_overflow_callback(): pr_fmt "NMI watchdog: ",
 * "Watchdog detected hard LOCKUP on cpu %d", show_regs(), nmi_panic(regs,
 * "Hard LOCKUP").  The log carries printk caller ids (CONFIG_PRINTK_CALLER).
 */
static const char hard_lockup[] =
	L("[   80.000001][    C1] NMI watchdog: Watchdog detected hard LOCKUP on cpu 1")
	L("[   80.000002][    C1] Modules linked in: spinmod(OE) openvswitch")
	L("[   80.000003][    C1] CPU: 1 PID: 412 Comm: insmod Tainted: G           OE      6.1.0-56-cloud-amd64 #1")
	L("[   80.000004][    C1] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)")
	L("[   80.000005][    C1] RIP: 0010:native_queued_spin_lock_slowpath+0x5b/0x1e0")
	L("[   80.000006][    C1] Code: 6d f0 0f ba 2f 08 0f 92 c0 0f b6 c0 c1 e0 08 <8b> 07 84 c0 74 08 f3 90")
	L("[   80.000007][    C1] RSP: 0018:ffffc90000367d70 EFLAGS: 00000002")
	L("[   80.000008][    C1] RAX: 0000000000000101 RBX: ffffffffc0a02000 RCX: 0000000000000000")
	L("[   80.000009][  T300] systemd-journald[300]: Received client request to flush runtime journal.")
	L("[   80.000010][    C1] Call Trace:")
	L("[   80.000011][    C1]  <TASK>")
	L("[   80.000012][    C0] random: crng init done")
	L("[   80.000013][    C1]  _raw_spin_lock+0x25/0x30")
	L("[   80.000014][    C1]  spinmod_init+0x1c/0x40 [spinmod]")
	L("[   80.000015][    C1]  do_one_initcall+0x41/0x200")
	L("[   80.000016][    C1]  </TASK>")
	L("[   80.000017][    C1] Kernel panic - not syncing: Hard LOCKUP");

static void test_hard_lockup_callers(void **state)
{
	const struct oc_panic_report *r;

	(void)state;
	parse_str(hard_lockup);
	assert_int_equal(l.n, 1);
	r = primary();
	assert_int_equal(r->kind, OC_PK_HARD_LOCKUP);
	assert_string_equal(r->caller, "C1");
	assert_int_equal(r->cpu, 1);
	assert_int_equal(r->pid, 412);
	assert_string_equal(r->comm, "insmod");
	assert_string_equal(r->where_source, "RIP line");
	assert_string_equal(r->where.sym, "native_queued_spin_lock_slowpath");
	assert_int_equal(r->where.off, 0x5b);
	assert_true(r->have_regs);
	assert_int_equal(r->regs.line_no, 5);
	assert_int_equal(r->nframes, 3);
	assert_string_equal(r->frames[1].sym, "spinmod_init");
	assert_string_equal(r->frames[1].mod, "spinmod");
}

/*
 * kernel/rcu/tree_stall.h print_other_cpu_stall(): "INFO: %s detected stalls
 * on CPUs/tasks:", print_cpu_stall_info() "\t%d-%c%c%c%c: ...", then
 * rcu_dump_cpu_stacks() -> lib/nmi_backtrace.c "NMI backtrace for cpu %d",
 * and panic("RCU Stall") with panic_on_rcu_stall.  x86_64, 6.1.
 */
static const char rcu_x86[] =
	L("[  300.000001] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:")
	L("[  300.000002] rcu: \t1-...!: (21003 ticks this GP) idle=ddec/0/0x1 softirq=25731/25733 fqs=7")
	L("[  300.000003] rcu: \t(detected by 0, t=21004 jiffies, g=20753, q=159 ncpus=2)")
	L("[  300.000004] Sending NMI from CPU 0 to CPUs 1:")
	L("[  300.000005] NMI backtrace for cpu 1")
	L("[  300.000006] CPU: 1 PID: 22 Comm: ksoftirqd/1 Not tainted 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2")
	L("[  300.000007] RIP: 0010:netdev_pick_tx+0x271/0x2b0")
	L("[  300.000008] RSP: 0018:ffffc90000103b40 EFLAGS: 00000246")
	L("[  300.000009] RAX: 0000000000000000 RBX: ffff888004a3c000 RCX: 0000000000000001")
	L("[  300.000010] Call Trace:")
	L("[  300.000011]  <IRQ>")
	L("[  300.000012]  netdev_core_pick_tx+0x9c/0xb0")
	L("[  300.000013]  __dev_queue_xmit+0x1a1/0xc70")
	L("[  300.000014]  ? ovs_ct_execute+0x10/0x400 [openvswitch]")
	L("[  300.000015]  do_execute_actions+0x5d/0x1780 [openvswitch]")
	L("[  300.000016]  </IRQ>")
	L("[  300.000017] NMI backtrace for cpu 0")
	L("[  300.000018] CPU: 0 PID: 0 Comm: swapper/0 Not tainted 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2")
	L("[  300.000019] RIP: 0010:default_idle+0xb/0x10")
	L("[  300.000020] Call Trace:")
	L("[  300.000021]  default_idle_call+0x2e/0xe0")
	L("[  300.000022] Kernel panic - not syncing: RCU Stall");

/*
 * The same stall on arm64 6.1, self-detected: print_cpu_stall() falls
 * back to dump_stack() (arch/arm64/kernel/stacktrace.c: "Call trace:",
 * " %pSb" frames): no register dump, the stalled code is below the
 * interrupt entry frames.
 */
static const char rcu_arm64[] =
	L("[  301.500001] rcu: INFO: rcu_sched self-detected stall on CPU")
	L("[  301.500002] rcu: \t1-....: (5249 ticks this GP) idle=49a/1/0x4000000000000002 softirq=1711/1711 fqs=2579")
	L("[  301.500003] \t(t=5250 jiffies g=3045 q=1221 ncpus=2)")
	L("[  301.500004] CPU: 1 PID: 0 Comm: swapper/1 Not tainted 6.1.0-56-cloud-arm64 #1 Debian 6.1.192-2")
	L("[  301.500005] Hardware name: linux,dummy-virt (DT)")
	L("[  301.500006] Call trace:")
	L("[  301.500007]  dump_backtrace+0xe4/0x140")
	L("[  301.500008]  show_stack+0x20/0x30")
	L("[  301.500009]  dump_stack_lvl+0x64/0x80")
	L("[  301.500010]  dump_stack+0x18/0x34")
	L("[  301.500011]  rcu_sched_clock_irq+0x9bc/0xd10")
	L("[  301.500012]  update_process_times+0x70/0xb0")
	L("[  301.500013]  tick_sched_handle+0x3c/0x60")
	L("[  301.500014]  tick_sched_timer+0x58/0xb0")
	L("[  301.500015]  __hrtimer_run_queues+0x170/0x2f4")
	L("[  301.500016]  hrtimer_interrupt+0xf4/0x240")
	L("[  301.500017]  arch_timer_handler_virt+0x3c/0x50")
	L("[  301.500018]  handle_percpu_devid_irq+0x8c/0x1f0")
	L("[  301.500019]  generic_handle_domain_irq+0x34/0x50")
	L("[  301.500020]  gic_handle_irq+0x50/0x130")
	L("[  301.500021]  call_on_irq_stack+0x2c/0x5c")
	L("[  301.500022]  do_interrupt_handler+0xdc/0xe0")
	L("[  301.500023]  el1_interrupt+0x34/0x70")
	L("[  301.500024]  el1h_64_irq_handler+0x18/0x2c")
	L("[  301.500025]  el1h_64_irq+0x64/0x68")
	L("[  301.500026]  netdev_pick_tx+0x248/0x2c0")
	L("[  301.500027]  netdev_core_pick_tx+0xa8/0xd0")
	L("[  301.500028]  __dev_queue_xmit+0x1b0/0xb54")
	L("[  301.500029]  do_execute_actions+0x64/0x1560 [openvswitch]")
	L("[  301.500030]  ovs_execute_actions+0x50/0x140 [openvswitch]")
	L("[  301.500031] Kernel panic - not syncing: RCU Stall");

static void test_rcu_stall_arches(void **state)
{
	const struct oc_panic_report *r;
	char bx[17], ba[17], dx[256], da[256];

	(void)state;
	parse_str(rcu_x86);
	assert_int_equal(l.n, 1);
	r = primary();
	assert_int_equal(r->kind, OC_PK_RCU_STALL);
	assert_int_equal(r->cpu, 1);		/* the stalled CPU, not the detector */
	assert_int_equal(r->pid, 22);
	assert_string_equal(r->comm, "ksoftirqd/1");
	assert_string_equal(r->where_source, "RIP line");
	assert_string_equal(r->where.sym, "netdev_pick_tx");
	assert_int_equal(r->nframes, 4);	/* cpu 0's backtrace is not taken */
	assert_string_equal(r->frames[0].stack, "IRQ");
	assert_true(r->frames[2].unreliable);
	bucket(r, bx, dx, sizeof(dx));
	oc_panic_list_free(&l);

	parse_str(rcu_arm64);
	assert_int_equal(l.n, 1);
	r = primary();
	assert_int_equal(r->kind, OC_PK_RCU_STALL);
	assert_int_equal(r->cpu, 1);
	assert_string_equal(r->comm, "swapper/1");
	assert_false(r->have_regs);
	assert_string_equal(r->where_source, "call trace");
	assert_string_equal(r->where.sym, "netdev_pick_tx");
	assert_int_equal(r->where.off, 0x248);
	assert_int_equal(r->nframes, 24);
	bucket(r, ba, da, sizeof(da));

	/* same functions, other offsets, other arch: one bucket */
	assert_string_equal(dx, "netdev_pick_tx <- netdev_core_pick_tx <- __dev_queue_xmit <- do_execute_actions [openvswitch]");
	assert_string_equal(da, dx);
	assert_string_equal(ba, bx);
}

/*
 * arch/x86/mm/fault.c show_fault_oops(): "BUG: kernel NULL pointer
 * dereference, address: %px", "#PF: ..."; arch/x86/kernel/dumpstack.c
 * __die_header() "%s: %04lx [#%d]%s%s%s%s%s"; oops_end() panic("Fatal
 * exception").  The register dump is printed again after "---[ end trace".
 */
static const char null_x86[] =
	L("<1>[   61.234567] BUG: kernel NULL pointer dereference, address: 0000000000000008")
	L("<1>[   61.234600] #PF: supervisor read access in kernel mode")
	L("<1>[   61.234610] #PF: error_code(0x0000) - not-present page")
	L("<6>[   61.234620] PGD 0 P4D 0 ")
	L("<4>[   61.234630] Oops: 0000 [#1] PREEMPT SMP NOPTI")
	L("<4>[   61.234640] CPU: 0 PID: 345 Comm: insmod Tainted: G           OE      6.1.0-56-cloud-amd64 #1  Debian 6.1.192-2")
	L("<4>[   61.234650] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014")
	L("<4>[   61.234660] RIP: 0010:helper_oops+0x1c/0x30 [helper]")
	L("<4>[   61.234670] Code: 00 00 00 00 0f 1f 44 00 00 48 8b 04 25 08 00 00 00 <8b> 00 c3 cc cc cc cc")
	L("<4>[   61.234680] RSP: 0018:ffffc900003b7c78 EFLAGS: 00010246")
	L("<4>[   61.234690] RAX: 0000000000000000 RBX: 0000000000000000 RCX: 0000000000000000")
	L("<4>[   61.234700] Call Trace:")
	L("<4>[   61.234701]  <TASK>")
	L("<4>[   61.234702]  ? __die_body.cold+0x1a/0x1f")
	L("<4>[   61.234703]  do_one_initcall+0x41/0x200")
	L("<4>[   61.234704]  ? kmem_cache_alloc_trace+0x17a/0x2f0")
	L("<4>[   61.234705]  do_init_module+0x4c/0x240")
	L("<4>[   61.234706]  __do_sys_finit_module+0xac/0x120")
	L("<4>[   61.234707]  do_syscall_64+0x55/0xb0")
	L("<4>[   61.234708]  entry_SYSCALL_64_after_hwframe+0x63/0xcd")
	L("<4>[   61.234709]  </TASK>")
	L("<4>[   61.234710] Modules linked in: helper(OE+) openvswitch")
	L("<4>[   61.234720] CR2: 0000000000000008")
	L("<4>[   61.234730] ---[ end trace 0000000000000000 ]---")
	L("<4>[   61.234740] RIP: 0010:helper_oops+0x1c/0x30 [helper]")
	L("<4>[   61.234750] RSP: 0018:ffffc900003b7c78 EFLAGS: 00010246")
	L("<0>[   61.234760] Kernel panic - not syncing: Fatal exception");

/*
 * arch/arm64/mm/fault.c die_kernel_fault(): "Unable to handle kernel %s at
 * virtual address %016lx"; arch/arm64/kernel/traps.c die() "Internal
 * error: %s: %016lx [#%d]" and panic("%s: Fatal exception").  6.1.
 */
static const char null_arm64[] =
	L("[   62.100001] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008")
	L("[   62.100002] Mem abort info:")
	L("[   62.100003]   ESR = 0x0000000096000005")
	L("[   62.100004]   EC = 0x25: DABT (current EL), IL = 32 bits")
	L("[   62.100005] [0000000000000008] user address but active_mm is swapper")
	L("[   62.100006] Internal error: Oops: 0000000096000005 [#1] SMP")
	L("[   62.100007] Modules linked in: helper(OE+) openvswitch")
	L("[   62.100008] CPU: 1 PID: 351 Comm: insmod Tainted: G           OE      6.1.0-56-cloud-arm64 #1  Debian 6.1.192-2")
	L("[   62.100009] Hardware name: linux,dummy-virt (DT)")
	L("[   62.100010] pstate: 60000005 (nZCv daif -PAN -UAO -TCO -DIT -SSBS BTYPE=--)")
	L("[   62.100011] pc : helper_oops+0x14/0x28 [helper]")
	L("[   62.100012] lr : do_one_initcall+0x50/0x1f0")
	L("[   62.100013] sp : ffff80000a4bbb40")
	L("[   62.100014] x29: ffff80000a4bbb40 x28: 0000000000000000 x27: ffff80000a4bbd60")
	L("[   62.100015] x2 : 0000000000000000 x1 : 0000000000000000 x0 : 0000000000000000")
	L("[   62.100016] Call trace:")
	L("[   62.100017]  helper_oops+0x14/0x28 [helper]")
	L("[   62.100018]  do_one_initcall+0x50/0x1f0")
	L("[   62.100019]  do_init_module+0x50/0x200")
	L("[   62.100020]  __do_sys_finit_module+0xbc/0x120")
	L("[   62.100021] Code: d2800100 f9400000 d65f03c0 d503201f (f9400000)")
	L("[   62.100022] ---[ end trace 0000000000000000 ]---")
	L("[   62.100023] Kernel panic - not syncing: Oops: Fatal exception");

static void test_null_deref_arches(void **state)
{
	const struct oc_panic_report *r;
	char bx[17], ba[17], dx[256], da[256];

	(void)state;
	parse_str(null_x86);
	assert_int_equal(l.n, 1);	/* "Oops:" continues the report */
	r = primary();
	assert_int_equal(r->kind, OC_PK_NULL_DEREF);
	assert_int_equal(r->line_no, 1);
	assert_string_equal(r->message,
		"BUG: kernel NULL pointer dereference, address: 0000000000000008");
	assert_int_equal(r->cpu, 0);
	assert_int_equal(r->pid, 345);
	assert_string_equal(r->comm, "insmod");
	assert_string_equal(r->where_source, "RIP line");
	assert_string_equal(r->where.sym, "helper_oops");
	assert_string_equal(r->where.mod, "helper");
	assert_int_equal(r->regs.line_no, 8);	/* the first dump, not the repeat */
	assert_int_equal(r->nframes, 7);
	assert_true(r->frames[0].unreliable);
	assert_string_equal(r->frames[1].sym, "do_one_initcall");
	assert_string_equal(r->frames[1].stack, "TASK");
	bucket(r, bx, dx, sizeof(dx));
	assert_string_equal(dx, "helper_oops [helper] <- do_one_initcall <- do_init_module <- __do_sys_finit_module");
	oc_panic_list_free(&l);

	parse_str(null_arm64);
	assert_int_equal(l.n, 1);
	r = primary();
	assert_int_equal(r->kind, OC_PK_NULL_DEREF);
	assert_string_equal(l.panic_message, "Oops: Fatal exception");
	assert_int_equal(r->cpu, 1);
	assert_int_equal(r->pid, 351);
	assert_string_equal(r->where_source, "pc line");
	assert_string_equal(r->where.sym, "helper_oops");
	assert_int_equal(r->where.off, 0x14);
	assert_string_equal(r->where.mod, "helper");
	bucket(r, ba, da, sizeof(da));
	assert_string_equal(da, dx);
	assert_string_equal(ba, bx);
}

/* arch/x86/mm/fault.c and arch/arm64/mm/fault.c, addresses above PAGE_SIZE */
static void test_page_fault(void **state)
{
	(void)state;
	parse_str(L("BUG: unable to handle page fault for address: ffffffffc0a01000")
		  L("#PF: supervisor write access in kernel mode")
		  L("Oops: 0002 [#1] PREEMPT SMP NOPTI")
		  L("CPU: 1 PID: 77 Comm: kworker/1:2 Not tainted 6.1.0-56-cloud-amd64 #1")
		  L("RIP: 0010:ovs_vport_send+0x3a/0x1a0 [openvswitch]")
		  L("Call Trace:")
		  L(" do_output+0x60/0x120 [openvswitch]")
		  L("Unable to handle kernel paging request at virtual address dead000000000108")
		  L("Internal error: Oops: 0000000096000044 [#2] SMP")
		  L("Kernel panic - not syncing: Oops: Fatal exception"));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].kind, OC_PK_PAGE_FAULT);
	assert_string_equal(l.v[0].comm, "kworker/1:2");
	assert_string_equal(l.v[0].where.sym, "ovs_vport_send");
	assert_string_equal(l.v[0].where.mod, "openvswitch");
	assert_int_equal(l.v[1].kind, OC_PK_PAGE_FAULT);
	assert_false(l.v[1].have_where);
	/* the last oops before the panic line caused it */
	assert_int_equal(l.primary, 1);
	assert_false(l.v[0].caused_panic);
}

/*
 * arch/x86/kernel/traps.c: "general protection fault, probably for
 * non-canonical address 0x%lx" + __die_header(); user-space GPFs are the
 * "traps: %s[%d] general protection fault ip:..." line and are no report.
 */
static void test_gpf(void **state)
{
	(void)state;
	parse_str(L("traps: a.out[1234] general protection fault ip:401136 sp:7ffd7fd3c2f0 error:0 in a.out[401000+1000]")
		  L("general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] PREEMPT SMP NOPTI")
		  L("CPU: 0 PID: 9 Comm: kworker/0:1 Not tainted 6.1.0-56-cloud-amd64 #1")
		  L("RIP: 0010:ovs_dp_process_packet+0x5c/0x1f0 [openvswitch]")
		  L("Call Trace:")
		  L(" <IRQ>")
		  L(" ovs_vport_receive+0x7b/0xd0 [openvswitch]")
		  L("Kernel panic - not syncing: Fatal exception in interrupt"));
	assert_int_equal(l.n, 1);
	assert_int_equal(primary()->kind, OC_PK_GPF);
	assert_int_equal(primary()->pid, 9);
	assert_string_equal(primary()->where.sym, "ovs_dp_process_packet");
}

/*
 * lib/bug.c report_bug(): "kernel BUG at %s:%u!"; x86 die("invalid
 * opcode"), arm64 die("Oops - BUG") -> "Internal error: Oops - BUG: ...".
 */
static void test_bug(void **state)
{
	const struct oc_panic_report *r;

	(void)state;
	parse_str(L("------------[ cut here ]------------")
		  L("kernel BUG at net/core/dev.c:10012!")
		  L("invalid opcode: 0000 [#1] PREEMPT SMP NOPTI")
		  L("CPU: 1 PID: 60 Comm: kworker/u4:3 Not tainted 6.1.0-56-cloud-amd64 #1")
		  L("RIP: 0010:unregister_netdevice_many+0x7a0/0x7b0")
		  L("Call Trace:")
		  L(" <TASK>")
		  L(" ? die+0x36/0x90")
		  L(" default_device_exit_batch+0x1a7/0x1f0")
		  L(" ops_exit_list+0x5d/0x70")
		  L(" </TASK>")
		  L("---[ end trace 0000000000000000 ]---")
		  L("kernel BUG at net/core/dev.c:10012!")
		  L("Internal error: Oops - BUG: 00000000f2000800 [#2] SMP")
		  L("pc : unregister_netdevice_many+0x744/0x750")
		  L("---[ end trace 0000000000000000 ]---")
		  L("Internal error: Oops - BUG: 0 [#3] SMP")
		  L("Kernel panic - not syncing: Oops - BUG: Fatal exception"));
	assert_int_equal(l.n, 3);
	r = &l.v[0];
	assert_int_equal(r->kind, OC_PK_BUG);
	assert_string_equal(r->message, "kernel BUG at net/core/dev.c:10012!");
	assert_string_equal(r->where.sym, "unregister_netdevice_many");
	assert_int_equal(r->nframes, 3);
	assert_int_equal(l.v[1].kind, OC_PK_BUG);
	assert_string_equal(l.v[1].where_source, "pc line");
	assert_int_equal(l.v[1].where.off, 0x744);
	/* an "Oops - BUG" with no "kernel BUG at" line is a report of its own */
	assert_int_equal(l.v[2].kind, OC_PK_BUG);
	assert_int_equal(l.primary, 2);
}

/*
 * kernel/panic.c __warn(): "WARNING: CPU: %d PID: %d at %s:%d %pS", then
 * check_panic_on_warn() panic("%s: panic_on_warn set ...").
 */
static void test_warn_panic_on_warn(void **state)
{
	const struct oc_panic_report *r;

	(void)state;
	parse_str(L("------------[ cut here ]------------")
		  L("WARNING: CPU: 1 PID: 2 at net/core/dev.c:3297 skb_warn_bad_offload+0x8f/0xe0 [openvswitch 1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d]")
		  L("Modules linked in: openvswitch")
		  L("Kernel panic - not syncing: kernel: panic_on_warn set ..."));
	assert_int_equal(l.n, 1);
	r = primary();
	assert_int_equal(r->kind, OC_PK_WARN);
	assert_int_equal(r->cpu, 1);
	assert_int_equal(r->pid, 2);
	/* no register dump: the WARNING line's func+off */
	assert_string_equal(r->where_source, "WARNING line");
	assert_string_equal(r->where.sym, "skb_warn_bad_offload");
	assert_int_equal(r->where.off, 0x8f);
	assert_int_equal(r->where.len, 0xe0);
	assert_string_equal(r->where.mod, "openvswitch");	/* build id dropped */
	oc_panic_list_free(&l);

	/* with regs the RIP line wins; a WARN without panic is no cause */
	parse_str(L("WARNING: CPU: 0 PID: 1 at kernel/foo.c:1 early_warn+0x1/0x2")
		  L("---[ end trace 0000000000000000 ]---")
		  L("WARNING: CPU: 1 PID: 2 at net/core/dev.c:3297 skb_warn_bad_offload+0x8f/0xe0")
		  L("CPU: 1 PID: 2 Comm: kthreadd Not tainted 6.1.0 #1")
		  L("RIP: 0010:skb_warn_bad_offload+0x8f/0xe0")
		  L("Call Trace:")
		  L(" <TASK>")
		  L(" __skb_gso_segment+0x11a/0x150")
		  L("Kernel panic - not syncing: panic_on_warn set ..."));
	assert_int_equal(l.n, 2);
	r = primary();
	assert_int_equal(l.primary, 1);
	assert_string_equal(r->comm, "kthreadd");
	assert_string_equal(r->where_source, "RIP line");
	assert_false(l.v[0].caused_panic);
}

/*
 * mm/oom_kill.c check_panic_on_oom() panic("Out of memory: %s panic_on_oom
 * is enabled"), out_of_memory() panic("System is deadlocked on memory");
 * panic()'s dump_stack() follows the line.
 */
static void test_oom(void **state)
{
	const struct oc_panic_report *r;
	char b[17], d[256];

	(void)state;
	parse_str(L("stress invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0")
		  L("CPU: 0 PID: 77 Comm: stress Not tainted 6.1.0-56-cloud-amd64 #1")
		  L("Call Trace:")
		  L(" dump_header+0x4a/0x211")
		  L("Kernel panic - not syncing: Out of memory: compulsory panic_on_oom is enabled")
		  L("CPU: 0 PID: 77 Comm: stress Not tainted 6.1.0-56-cloud-amd64 #1")
		  L("Call Trace:")
		  L(" <TASK>")
		  L(" dump_stack_lvl+0x44/0x5c")
		  L(" panic+0x118/0x2ed")
		  L(" out_of_memory.cold+0x67/0x7e")
		  L(" __alloc_pages_slowpath.constprop.0+0xc6d/0xd80")
		  L(" __alloc_pages+0x303/0x320")
		  L(" </TASK>"));
	assert_int_equal(l.n, 1);
	r = primary();
	assert_int_equal(r->kind, OC_PK_OOM);
	assert_int_equal(r->line_no, 5);
	assert_int_equal(r->cpu, 0);
	assert_int_equal(r->pid, 77);
	assert_string_equal(r->comm, "stress");
	assert_string_equal(r->where.sym, "out_of_memory.cold");
	bucket(r, b, d, sizeof(d));
	/* compiler suffixes do not reach the bucket */
	assert_string_equal(d, "out_of_memory <- __alloc_pages_slowpath <- __alloc_pages");
	oc_panic_list_free(&l);

	parse_str(L("Kernel panic - not syncing: System is deadlocked on memory"));
	assert_int_equal(l.n, 1);
	assert_int_equal(primary()->kind, OC_PK_OOM);
	assert_false(primary()->have_where);
}

/*
 * drivers/tty/sysrq.c: pr_fmt "sysrq: ", __handle_sysrq() prints the
 * action_msg "Trigger a crash", sysrq_handle_crash() panic("sysrq
 * triggered crash").  The task is known only from panic()'s dump_stack().
 */
static void test_sysrq(void **state)
{
	const struct oc_panic_report *r;

	(void)state;
	parse_str(L("[   30.000001] sysrq: Trigger a crash")
		  L("[   30.000002] Kernel panic - not syncing: sysrq triggered crash")
		  L("[   30.000003] CPU: 0 PID: 1 Comm: sh Not tainted 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2")
		  L("[   30.000004] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)")
		  L("[   30.000005] Call Trace:")
		  L("[   30.000006]  <TASK>")
		  L("[   30.000007]  dump_stack_lvl+0x44/0x5c")
		  L("[   30.000008]  panic+0x118/0x2ed")
		  L("[   30.000009]  sysrq_handle_crash+0x16/0x20")
		  L("[   30.000010]  __handle_sysrq.cold+0x43/0x11b")
		  L("[   30.000011]  write_sysrq_trigger+0x24/0x40")
		  L("[   30.000012]  </TASK>")
		  L("[   30.000013] Kernel Offset: disabled")
		  L("[   30.000014] ---[ end Kernel panic - not syncing: sysrq triggered crash ]---"));
	assert_int_equal(l.n, 1);
	r = primary();
	assert_int_equal(r->kind, OC_PK_SYSRQ);
	assert_int_equal(r->line_no, 1);
	assert_int_equal(r->cpu, 0);
	assert_int_equal(r->pid, 1);
	assert_string_equal(r->comm, "sh");
	assert_string_equal(r->where_source, "call trace");
	assert_string_equal(r->where.sym, "sysrq_handle_crash");
	assert_int_equal(r->nframes, 5);
	assert_string_equal(l.panic_message, "sysrq triggered crash");
}

/*
 * The arm64 healthy fixture's sysrq panic, as its vmcore-dmesg has it: the
 * return address of sysrq_handle_crash's call to panic() is the first
 * instruction of the next function (sysrq_reset_seq_param_set+0x0).  That
 * frame never names a caller, and a sysrq crash is one bucket on both
 * arches (the x86 trace above shows sysrq_handle_crash itself).
 */
static void test_sysrq_arm64_same_bucket(void **state)
{
	char b86[17], b64[17], d[256];

	(void)state;
	parse_str(L("[   30.000001] sysrq: Trigger a crash")
		  L("[   30.000002] Kernel panic - not syncing: sysrq triggered crash")
		  L("[   30.000003] CPU: 0 PID: 1 Comm: sh Not tainted 6.1.0-56-cloud-amd64 #1")
		  L("[   30.000005] Call Trace:")
		  L("[   30.000006]  <TASK>")
		  L("[   30.000007]  dump_stack_lvl+0x44/0x5c")
		  L("[   30.000008]  panic+0x118/0x2ed")
		  L("[   30.000009]  sysrq_handle_crash+0x16/0x20")
		  L("[   30.000010]  __handle_sysrq.cold+0x43/0x11b")
		  L("[   30.000011]  write_sysrq_trigger+0x24/0x40")
		  L("[   30.000013]  </TASK>"));
	oc_panic_bucket(primary(), b86, d, sizeof(d));
	oc_panic_list_free(&l);
	parse_str(L("[    9.186999] sysrq: Trigger a crash")
		  L("[    9.187485] Kernel panic - not syncing: sysrq triggered crash")
		  L("[    9.188050] CPU: 1 PID: 1 Comm: init Kdump: loaded Not tainted 6.1.0-56-cloud-arm64 #1  Debian 6.1.192-2")
		  L("[    9.188375] Hardware name: linux,dummy-virt (DT)")
		  L("[    9.188664] Call trace:")
		  L("[    9.188856]  dump_backtrace+0xe4/0x140")
		  L("[    9.189085]  show_stack+0x20/0x30")
		  L("[    9.189305]  dump_stack_lvl+0x64/0x80")
		  L("[    9.189373]  dump_stack+0x18/0x34")
		  L("[    9.189440]  panic+0x184/0x364")
		  L("[    9.189578]  sysrq_reset_seq_param_set+0x0/0xa0")
		  L("[    9.189709]  __handle_sysrq+0x90/0x19c")
		  L("[    9.189868]  write_sysrq_trigger+0x7c/0xc0"));
	assert_int_equal(primary()->kind, OC_PK_SYSRQ);
	oc_panic_bucket(primary(), b64, d, sizeof(d));
	assert_string_equal(b86, b64);
	assert_string_equal(d, "");
	oc_panic_list_free(&l);
}

/* A +0x0 trace frame is skipped in any kind's bucket (here a WARN that
 * panics through a helper ending in a noreturn call). */
static void test_bucket_skips_plus0(void **state)
{
	char b1[17], b2[17], d[256];

	(void)state;
	parse_str(L("Kernel panic - not syncing: VFS: Unable to mount root fs")
		  L("CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0 #1")
		  L("Call trace:")
		  L(" panic+0x184/0x364")
		  L(" next_function+0x0/0x40")
		  L(" mount_block_root+0x2a4/0x2c3")
		  L(" prepare_namespace+0x136/0x165"));
	oc_panic_bucket(primary(), b1, d, sizeof(d));
	assert_null(strstr(d, "next_function"));
	oc_panic_list_free(&l);
	parse_str(L("Kernel panic - not syncing: VFS: Unable to mount root fs")
		  L("CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0 #1")
		  L("Call trace:")
		  L(" panic+0x184/0x364")
		  L(" mount_block_root+0x2a4/0x2c3")
		  L(" prepare_namespace+0x136/0x165"));
	oc_panic_bucket(primary(), b2, d, sizeof(d));
	assert_string_equal(b1, b2);
	oc_panic_list_free(&l);
}

/* kernel/panic.c panic() called directly: init/do_mounts.c's message */
static void test_explicit_panic(void **state)
{
	const struct oc_panic_report *r;

	(void)state;
	parse_str(L("WARNING: CPU: 0 PID: 1 at kernel/foo.c:1 early_warn+0x1/0x2")
		  L("---[ end trace 0000000000000000 ]---")
		  L("VFS: Cannot open root device \"vda1\" or unknown-block(0,0): error -6")
		  L("Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)")
		  L("CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0-56-cloud-amd64 #1")
		  L("Call Trace:")
		  L(" <TASK>")
		  L(" dump_stack_lvl+0x44/0x5c")
		  L(" panic+0x118/0x2ed")
		  L(" mount_block_root+0x2a4/0x2c3")
		  L(" prepare_namespace+0x136/0x165")
		  L(" </TASK>"));
	assert_int_equal(l.n, 2);
	r = primary();
	assert_int_equal(l.primary, 1);		/* not the unrelated WARN */
	assert_int_equal(r->kind, OC_PK_PANIC);
	assert_string_equal(r->message,
		"Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)");
	assert_string_equal(r->where.sym, "mount_block_root");
	assert_string_equal(r->comm, "swapper/0");
}

/*
 * Real fixture logs (fixtures/mkfixture.sh, Debian 6.1.192 amd64 under QEMU,
 * dumped by kdump).  Expectations from each fixture's manifest.json.
 */

/* oops-null: manifest expected.panic_kind "null-deref", expected.function
 * "ovscrash_helper_null_deref", module "ovscrash_helper", panic_site.pid
 * 156, task "ovscrash_null"; sysctl panic_on_oops=1 and kdump: the dump
 * is taken in oops_end(), the log has no panic line. */
static void check_oops_null(void)
{
	const struct oc_panic_report *r;

	assert_int_equal(l.n, 1);
	assert_string_equal(l.panic_message, "");
	r = primary();
	assert_int_equal(r->kind, OC_PK_NULL_DEREF);
	assert_string_equal(oc_panic_kind_name(r->kind), "null-deref");
	assert_string_equal(r->where.sym, "ovscrash_helper_null_deref");
	assert_string_equal(r->where.mod, "ovscrash_helper");
	assert_string_equal(r->where_source, "RIP line");
	assert_int_equal(r->pid, 156);
	/* "Comm: ovscrash_null Kdump: loaded Tainted: ..." */
	assert_string_equal(r->comm, "ovscrash_null");
	assert_int_equal(r->nframes, 4);
	assert_string_equal(r->frames[0].sym, "ovscrash_null_thread");
	assert_true(r->frames[2].unreliable);
}

static void test_fixture_oops_null(void **state)
{
	char b1[17], b2[17], d1[256], d2[256];

	(void)state;
	load("x86_64_61_oops_null_vmcore-dmesg.txt");
	check_oops_null();
	bucket(&l.v[0], b1, d1, sizeof(d1));
	oc_panic_list_free(&l);
	/* the guest's serial console of the same run: CRLF, the guest
	 * init's own lines, then the kdump kernel booting */
	load("x86_64_61_oops_null_console.log");
	check_oops_null();
	bucket(&l.v[0], b2, d2, sizeof(d2));
	assert_string_equal(b1, b2);
	assert_string_equal(d1, "ovscrash_helper_null_deref [ovscrash_helper] <- ovscrash_null_thread [ovscrash_helper] <- kthread <- ret_from_fork");
}

/* race: manifest expected.panic_kind "soft-lockup", pc_symbol
 * "netdev_pick_tx", panic_message "softlockup: hung tasks" */
static void test_fixture_race(void **state)
{
	const struct oc_panic_report *r;
	int i, tasks = 0;

	(void)state;
	load("x86_64_61_race_vmcore-dmesg.txt");
	assert_int_equal(l.n, 1);
	assert_string_equal(l.panic_message, "softlockup: hung tasks");
	r = primary();
	assert_int_equal(r->kind, OC_PK_SOFT_LOCKUP);
	assert_string_equal(r->where.sym, "netdev_pick_tx");
	assert_int_equal(r->cpu, 1);
	assert_int_equal(r->pid, 148);
	assert_string_equal(r->comm, "flood");
	/* 42 frame lines between "Call Trace:" and " </TASK>" (grep -c) and
	 * the user-mode "RIP: 0033:" dump inside the trace is skipped */
	assert_int_equal(r->nframes, 42);
	assert_string_equal(r->frames[41].sym, "entry_SYSCALL_64_after_hwframe");
	for (i = 0; i < r->nframes; i++)
		tasks += !strcmp(r->frames[i].stack, "TASK");
	assert_int_equal(tasks, 24);
	assert_string_equal(r->frames[17].sym, "do_softirq.part.0");
	assert_string_equal(r->frames[17].stack, "IRQ");
	/* not panic()'s own dump that follows the panic line */
	assert_int_equal(r->regs.line_no, 386);
}

/* What the clean x86 log gives; checked again on mangled copies. */
static void check_x86_real(void)
{
	const struct oc_panic_report *r;

	assert_int_equal(l.n, 1);
	r = primary();
	assert_int_equal(r->kind, OC_PK_SOFT_LOCKUP);
	assert_int_equal(r->cpu, 1);
	assert_int_equal(r->pid, 22);
	assert_string_equal(r->comm, "ksoftirqd/1");
	assert_string_equal(r->where.sym, "netdev_pick_tx");
	assert_int_equal(r->where.off, 0x26d);
	assert_int_equal(r->nframes, 3);
	assert_string_equal(r->frames[2].sym, "do_execute_actions");
	assert_string_equal(r->frames[2].mod, "openvswitch");
	assert_string_equal(l.panic_message, "softlockup: hung tasks");
}

/*
 * Rewrite every line of the real log: @mode 0 syslog prefix + CRLF, 1
 * caller ids + dmesg -T stamps, 2 NUL bytes and ANSI colour in the
 * middle of the prefix + a binary garbage line after every 4th line.
 */
static char *mangle(const char *t, size_t len, int mode, size_t *outlen)
{
	char *o = malloc(len * 4 + 4096), *q = o;
	const char *p = t, *end = t + len;
	int n = 0;

	assert_non_null(o);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *body = memchr(p, ']', ll);

		if (mode == 0) {
			q += sprintf(q, "Nov  5 10:11:12 host kernel: ");
			memcpy(q, p, ll);
			q += ll;
			*q++ = '\r';
		} else if (mode == 1) {
			body = body ? body + 1 : p;
			q += sprintf(q, "[Tue Nov  5 10:11:%02d 2024][    C1]", n % 60);
			memcpy(q, body, (size_t)(p + ll - body));
			q += p + ll - body;
		} else {
			memcpy(q, "\x1b[0;32m", 7);
			q += 7;
			*q++ = '\0';
			memcpy(q, p, ll);
			q += ll;
			if (n % 4 == 3) {
				static const char junk[] = "\n\xff\xfe\x00\x01garbage\x80\x1b[";

				memcpy(q, junk, sizeof(junk) - 1);
				q += sizeof(junk) - 1;
			}
		}
		*q++ = '\n';
		n++;
		p = nl ? nl + 1 : end;
	}
	*outlen = (size_t)(q - o);
	return o;
}

static void test_noise_formats(void **state)
{
	size_t len, ml;
	char *t = oc_test_read("x86_64_61_dmesg.txt", &len);
	int mode;

	(void)state;
	assert_non_null(t);
	for (mode = 0; mode < 3; mode++) {
		char *m = mangle(t, len, mode, &ml);

		parse_buf(m, ml);
		check_x86_real();
		if (mode == 1)
			assert_string_equal(l.v[0].caller, "C1");
		oc_panic_list_free(&l);
		free(m);
	}
	free(t);
}

/* Two soft lockups printed at once, lines interleaved: the caller ids
 * keep them apart (kernel/printk/printk.c CONFIG_PRINTK_CALLER). */
static void test_interleaved(void **state)
{
	(void)state;
	parse_str(L("[ 5.1][    C0] watchdog: BUG: soft lockup - CPU#0 stuck for 23s! [a:10]")
		  L("[ 5.1][    C1] watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [b:11]")
		  L("[ 5.1][    C0] CPU: 0 PID: 10 Comm: a Not tainted 6.1.0 #1")
		  L("[ 5.1][    C1] CPU: 1 PID: 11 Comm: b Not tainted 6.1.0 #1")
		  L("[ 5.1][    C1] RIP: 0010:func_b+0x1/0x10")
		  L("[ 5.1][    C0] RIP: 0010:func_a+0x2/0x10")
		  L("[ 5.1][    C0] Call Trace:")
		  L("[ 5.1][    C1] Call Trace:")
		  L("[ 5.1][    C1]  caller_b+0x1/0x10")
		  L("[ 5.1][    C0]  caller_a+0x1/0x10")
		  L("[ 5.1][    C0]  ? junk_a+0x1/0x10")
		  L("[ 5.1][    C1]  caller2_b+0x1/0x10")
		  L("[ 5.1][    C1] Kernel panic - not syncing: softlockup: hung tasks"));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].cpu, 0);
	assert_string_equal(l.v[0].comm, "a");
	assert_string_equal(l.v[0].where.sym, "func_a");
	assert_int_equal(l.v[0].nframes, 2);
	assert_string_equal(l.v[0].frames[0].sym, "caller_a");
	assert_int_equal(l.v[1].cpu, 1);
	assert_string_equal(l.v[1].comm, "b");
	assert_string_equal(l.v[1].where.sym, "func_b");
	assert_int_equal(l.v[1].nframes, 2);
	assert_string_equal(l.v[1].frames[1].sym, "caller2_b");
	assert_int_equal(l.primary, 1);

	/* no caller ids: a foreign line inside the trace does not end it */
	oc_panic_list_free(&l);
	parse_str(L("watchdog: BUG: soft lockup - CPU#0 stuck for 23s! [a:10]")
		  L("Call Trace:")
		  L(" caller_a+0x1/0x10")
		  L("device vethb0 left promiscuous mode")
		  L(" caller2_a+0x1/0x10"));
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].nframes, 2);
	assert_int_equal(l.primary, -1);	/* no panic line, not an oops */
}

/* Every truncation of a real log parses, within bounds. */
static void test_truncated(void **state)
{
	size_t len, i;
	char *t = oc_test_read("x86_64_61_dmesg.txt", &len);

	(void)state;
	assert_non_null(t);
	for (i = 0; i <= len; i++) {
		char *c = malloc(i ? i : 1);

		assert_non_null(c);
		memcpy(c, t, i);
		parse_buf(c, i);
		/* a panic message cut short ("softlock") is a panic() of its own */
		assert_true(l.n <= 2);
		if (l.n) {
			assert_int_equal(l.v[0].kind, OC_PK_SOFT_LOCKUP);
			assert_true(l.v[0].nframes <= 3);
		}
		if (l.n == 2)
			assert_int_equal(l.v[1].kind, OC_PK_PANIC);
		oc_panic_list_free(&l);
		free(c);
	}
	free(t);
}

static void test_oversized(void **state)
{
	static const char trig[] = "watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [x:1]";
	size_t n = 200000, k;
	char *t = malloc(n);

	(void)state;
	assert_non_null(t);
	/* one 100 KB line starting with the trigger (no newline before it) */
	memset(t, 'A', n);
	memcpy(t, trig, sizeof(trig) - 1);
	t[100000] = '\n';
	k = 100001;
	k += (size_t)sprintf(t + k, "Call Trace:\n func+0x1/0x2\n ");
	/* a frame line longer than a line may be: cut, so not a frame */
	memset(t + k, 'f', n - k);
	memcpy(t + n - 12, "+0x1/0x2\n", 9);
	parse_buf(t, n);
	assert_int_equal(l.n, 1);
	assert_int_equal(strlen(l.v[0].message), sizeof(l.v[0].message) - 1);
	assert_int_equal(l.v[0].cpu, 1);
	assert_int_equal(l.v[0].nframes, 1);
	free(t);
}

static void test_bounds(void **state)
{
	size_t cap = 6000 * 64 + 4096, k = 0;
	char *t = malloc(cap);
	int i;

	(void)state;
	assert_non_null(t);
	for (i = 0; i < 6000; i++)
		k += (size_t)sprintf(t + k, "BUG: soft lockup - CPU#%d stuck for 22s! [x:%d]\n",
				     i % 4, i);
	k += (size_t)sprintf(t + k, "Kernel panic - not syncing: softlockup: hung tasks\n");
	parse_buf(t, k);
	assert_int_equal(l.n, OC_PS_MAX_REPORTS - 1);
	assert_int_equal(l.primary, OC_PS_MAX_REPORTS - 2);
	oc_panic_list_free(&l);

	k = (size_t)sprintf(t, "kernel BUG at mm/slub.c:1!\nCall Trace:\n");
	for (i = 0; i < 100; i++)
		k += (size_t)sprintf(t + k, " f%d+0x1/0x2\n", i);
	parse_buf(t, k);
	assert_int_equal(l.v[0].nframes, OC_PS_MAX_FRAMES);
	assert_int_equal(l.v[0].frames_cut, 100 - OC_PS_MAX_FRAMES);
	assert_string_equal(l.v[0].frames[OC_PS_MAX_FRAMES - 1].sym, "f47");
	free(t);
}

/* Random bytes, and random bytes around trigger lines: no crash, bounded
 * strings (the sanitizer run catches reads past the buffer). */
static void test_garbage(void **state)
{
	size_t n = 1 << 18, i;
	unsigned int x = 12345;
	char *t = malloc(n);
	int round;

	(void)state;
	assert_non_null(t);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			t[i] = (char)(x >> 16);
		}
		if (round) {
			static const char *const ins[] = {
				"\nBUG: soft lockup - CPU#", "\nCall Trace:\n",
				"\n ? f+0x1/0x", "\nCPU: 1 PID: ", " Comm: ",
				"\nRIP: 0010:", "\nKernel panic - not syncing: ",
				"\n <IRQ>\n", "\nINFO: task ", "\nWARNING: CPU: ",
			};

			for (i = 0; i + 64 < n; i += 97)
				memcpy(t + i, ins[(i / 97) % 10],
				       strlen(ins[(i / 97) % 10]));
		}
		parse_buf(t, n);
		for (i = 0; i < l.n; i++) {
			const struct oc_panic_report *r = &l.v[i];
			int j;

			assert_true(strlen(r->message) < sizeof(r->message));
			assert_true(strlen(r->comm) < sizeof(r->comm));
			assert_true(r->nframes <= OC_PS_MAX_FRAMES);
			for (j = 0; j < r->nframes; j++)
				assert_true(strlen(r->frames[j].sym) <
					    sizeof(r->frames[j].sym));
		}
		if (round)
			assert_true(l.n > 0);
		oc_panic_list_free(&l);
	}
	free(t);
}

/* Bucket: offsets, addresses, machinery frames and arch do not matter;
 * the functions, their modules and the kind do. */
static void test_bucket(void **state)
{
	char ref[17], b[17], d[256];
	const char *base =
		L("watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [x:1]")
		L("RIP: 0010:netdev_pick_tx+0x26d/0x2b0")
		L("Call Trace:")
		L(" <IRQ>")
		L(" netdev_core_pick_tx+0x9c/0xb0")
		L(" __dev_queue_xmit+0x1a1/0xc70")
		L(" do_execute_actions+0x5d/0x1780 [openvswitch]");

	(void)state;
	parse_str(base);
	bucket(&l.v[0], ref, d, sizeof(d));
	oc_panic_list_free(&l);

	/* other offsets and lengths, other stamps, "? " frames, build ids */
	parse_str(L("[ 9.9] watchdog: BUG: soft lockup - CPU#0 stuck for 99s! [y:2]")
		  L("[ 9.9] RIP: 0010:netdev_pick_tx+0x271/0x2c0")
		  L("[ 9.9] Call Trace:")
		  L("[ 9.9]  netdev_core_pick_tx+0xa0/0xb4")
		  L("[ 9.9]  ? skb_clone+0x1/0x2")
		  L("[ 9.9]  __dev_queue_xmit+0x1b1/0xc90")
		  L("[ 9.9]  do_execute_actions+0x61/0x1790 [openvswitch 0123456789abcdef]"));
	bucket(&l.v[0], b, NULL, 0);
	assert_string_equal(b, ref);
	oc_panic_list_free(&l);

	/* no register dump: dump_stack() from the watchdog, then the
	 * interrupted code; the machinery frames are skipped */
	parse_str(L("watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [x:1]")
		  L("Call Trace:")
		  L(" <IRQ>")
		  L(" dump_stack_lvl+0x44/0x5c")
		  L(" watchdog_timer_fn.cold+0xc/0x16")
		  L(" __hrtimer_run_queues+0x10d/0x250")
		  L(" hrtimer_interrupt+0xf4/0x210")
		  L(" __sysvec_apic_timer_interrupt+0x5d/0x110")
		  L(" sysvec_apic_timer_interrupt+0x35/0x90")
		  L(" </IRQ>")
		  L(" <TASK>")
		  L(" asm_sysvec_apic_timer_interrupt+0x16/0x20")
		  L(" netdev_pick_tx+0x26d/0x2b0")
		  L(" netdev_core_pick_tx+0x9c/0xb0")
		  L(" __dev_queue_xmit+0x1a1/0xc70")
		  L(" do_execute_actions+0x5d/0x1780 [openvswitch]"));
	assert_string_equal(l.v[0].where_source, "call trace");
	assert_string_equal(l.v[0].where.sym, "netdev_pick_tx");
	bucket(&l.v[0], b, NULL, 0);
	assert_string_equal(b, ref);
	oc_panic_list_free(&l);

	/* another function at the top: another bucket */
	parse_str(L("watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [x:1]")
		  L("RIP: 0010:skb_tx_hash+0x26d/0x2b0")
		  L("Call Trace:")
		  L(" netdev_core_pick_tx+0x9c/0xb0")
		  L(" __dev_queue_xmit+0x1a1/0xc70")
		  L(" do_execute_actions+0x5d/0x1780 [openvswitch]"));
	bucket(&l.v[0], b, NULL, 0);
	assert_string_not_equal(b, ref);
	oc_panic_list_free(&l);

	/* the same function from another module: another bucket */
	parse_str(L("watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [x:1]")
		  L("RIP: 0010:netdev_pick_tx+0x26d/0x2b0")
		  L("Call Trace:")
		  L(" netdev_core_pick_tx+0x9c/0xb0")
		  L(" __dev_queue_xmit+0x1a1/0xc70")
		  L(" do_execute_actions+0x5d/0x1780 [openvswitch_old]"));
	bucket(&l.v[0], b, NULL, 0);
	assert_string_not_equal(b, ref);
	oc_panic_list_free(&l);

	/* the same functions, another kind: another bucket */
	parse_str(L("NMI watchdog: Watchdog detected hard LOCKUP on cpu 1")
		  L("RIP: 0010:netdev_pick_tx+0x26d/0x2b0")
		  L("Call Trace:")
		  L(" <IRQ>")
		  L(" netdev_core_pick_tx+0x9c/0xb0")
		  L(" __dev_queue_xmit+0x1a1/0xc70")
		  L(" do_execute_actions+0x5d/0x1780 [openvswitch]"));
	bucket(&l.v[0], b, d, sizeof(d));
	assert_string_not_equal(b, ref);
	assert_string_equal(d, "netdev_pick_tx <- netdev_core_pick_tx <- __dev_queue_xmit <- do_execute_actions [openvswitch]");

	/* FNV-1a 64 of "hard-lockup|netdev_pick_tx|...", computed here */
	{
		const char *in = "hard-lockup|netdev_pick_tx|netdev_core_pick_tx|__dev_queue_xmit|do_execute_actions [openvswitch]";
		uint64_t h = 0xcbf29ce484222325ULL;
		char want[17];

		for (; *in; in++) {
			h ^= (unsigned char)*in;
			h *= 0x100000001b3ULL;
		}
		snprintf(want, sizeof(want), "%016llx", (unsigned long long)h);
		assert_string_equal(b, want);
	}
	assert_string_equal(oc_panic_kind_text(OC_PK_HARD_LOCKUP), "hard lockup");
}

/* "Linux version" starts a boot: the panic of the last boot that has one
 * counts; a panic while panicking and the closing "---[ end Kernel
 * panic" line do not. */
static void test_boots(void **state)
{
	(void)state;
	parse_str(L("[    0.000000] Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org)")
		  L("[    5.000000] kernel BUG at mm/slub.c:1!")
		  L("[    5.000001] Kernel panic - not syncing: Fatal exception")
		  L("[    5.000002] Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b")
		  L("[    5.000003] ---[ end Kernel panic - not syncing: Fatal exception ]---")
		  L("[    0.000000] Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org)")
		  L("[    9.000000] sysrq: Trigger a crash")
		  L("[    9.000001] Kernel panic - not syncing: sysrq triggered crash")
		  L("[    0.000000] Linux version 6.1.0-56-cloud-amd64 (kdump kernel)"));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.panic_message, "sysrq triggered crash");
	assert_int_equal(l.primary, 1);
	assert_false(l.v[0].caused_panic);
	assert_int_equal(primary()->kind, OC_PK_SYSRQ);
}

/* Pre-4.19 x86 ("BUG: unable to handle kernel NULL pointer dereference
 * at %p", "IP:", " [<addr>] ? sym" frames) and pre-5.x arm64 frames. */
static void test_old_formats(void **state)
{
	(void)state;
	parse_str(L("<1>[  100.1] BUG: unable to handle kernel NULL pointer dereference at 0000000000000008")
		  L("<1>[  100.1] IP: [<ffffffffa0123456>] old_func+0x16/0x40 [oldmod]")
		  L("<4>[  100.1] Oops: 0000 [#1] SMP")
		  L("<4>[  100.1] CPU: 3 PID: 42 Comm: old Not tainted 3.10.0 #1")
		  L("<4>[  100.1] RIP: 0010:[<ffffffffa0123456>]  [<ffffffffa0123456>] old_func+0x16/0x40 [oldmod]")
		  L("<4>[  100.1] Call Trace:")
		  L("<4>[  100.1]  [<ffffffff81234567>] ? printk+0x4d/0x4f")
		  L("<4>[  100.1]  [<ffffffff81234999>] old_caller+0x22/0x80")
		  L("<0>[  100.1] Kernel panic - not syncing: Fatal exception")
		  L("[  200.1] Unable to handle kernel paging request at virtual address ffff000012345678")
		  L("[  200.1] Internal error: Oops: 96000045 [#2] SMP")
		  L("[  200.1] PC is at arm_func+0x10/0x40")
		  L("[  200.1] LR is at arm_caller+0x20/0x60")
		  L("[  200.1] Call trace:")
		  L("[  200.1] [<ffff000008085e18>] arm_func+0x10/0x40")
		  L("[  200.1] [<ffff000008086000>] arm_caller+0x20/0x60"));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].kind, OC_PK_NULL_DEREF);
	assert_int_equal(l.v[0].pid, 42);
	assert_string_equal(l.v[0].where.sym, "old_func");
	assert_string_equal(l.v[0].where.mod, "oldmod");
	assert_int_equal(l.v[0].nframes, 2);
	assert_true(l.v[0].frames[0].unreliable);
	assert_string_equal(l.v[0].frames[1].sym, "old_caller");
	assert_int_equal(l.primary, 0);
	assert_int_equal(l.v[1].kind, OC_PK_PAGE_FAULT);
	assert_string_equal(l.v[1].where_source, "pc line");
	assert_string_equal(l.v[1].where.sym, "arm_func");
	assert_int_equal(l.v[1].nframes, 2);
}

int oc_test_panicsig(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_x86_real, teardown),
		cmocka_unit_test_teardown(test_arm64_real, teardown),
		cmocka_unit_test_teardown(test_hung_task, teardown),
		cmocka_unit_test_teardown(test_hard_lockup_callers, teardown),
		cmocka_unit_test_teardown(test_rcu_stall_arches, teardown),
		cmocka_unit_test_teardown(test_null_deref_arches, teardown),
		cmocka_unit_test_teardown(test_page_fault, teardown),
		cmocka_unit_test_teardown(test_gpf, teardown),
		cmocka_unit_test_teardown(test_bug, teardown),
		cmocka_unit_test_teardown(test_warn_panic_on_warn, teardown),
		cmocka_unit_test_teardown(test_oom, teardown),
		cmocka_unit_test_teardown(test_sysrq, teardown),
		cmocka_unit_test_teardown(test_sysrq_arm64_same_bucket, teardown),
		cmocka_unit_test_teardown(test_bucket_skips_plus0, teardown),
		cmocka_unit_test_teardown(test_explicit_panic, teardown),
		cmocka_unit_test_teardown(test_fixture_oops_null, teardown),
		cmocka_unit_test_teardown(test_fixture_race, teardown),
		cmocka_unit_test_teardown(test_noise_formats, teardown),
		cmocka_unit_test_teardown(test_interleaved, teardown),
		cmocka_unit_test_teardown(test_truncated, teardown),
		cmocka_unit_test_teardown(test_oversized, teardown),
		cmocka_unit_test_teardown(test_bounds, teardown),
		cmocka_unit_test_teardown(test_garbage, teardown),
		cmocka_unit_test_teardown(test_bucket, teardown),
		cmocka_unit_test_teardown(test_boots, teardown),
		cmocka_unit_test_teardown(test_old_formats, teardown),
	};

	return cmocka_run_group_tests_name("panicsig", tests, NULL, NULL);
}
