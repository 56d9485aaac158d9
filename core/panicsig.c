// SPDX-License-Identifier: GPL-2.0
/*
 * panicsig.c - panic-class reports in kernel log text and their buckets.
 *
 * One pass over the lines (oc_line_next + oc_log_strip).  A trigger line
 * (the first line a report prints, see trigger_kind()) opens a report in a
 * "slot"; the lines that follow are fed to that slot until something ends
 * it (the next trigger, "---[ end trace", the panic line, a dump of
 * another CPU, too many lines).  With printk caller ids (`[    C1]`) every
 * caller has its own slot, so lines interleaved from other CPUs do not mix.
 * A slot keeps its report's lines; when it closes they go through
 * oc_regdump_parse() (the arch back-ends' register-dump readers).  The
 * panic line picks the report that caused it (pick_primary()).  The format
 * strings are those of Linux v6.1 (file named at each pattern) plus the
 * older spellings noted there.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panicsig.h"
#include "strutil.h"

#define PS_SLOTS	8	/* reports collected at once (one per caller) */
#define PS_TRACE_NOISE	16	/* foreign lines tolerated inside a trace */

static const char *const kind_names[OC_PK_NKINDS] = {
	[OC_PK_UNKNOWN] = "unknown",
	[OC_PK_SOFT_LOCKUP] = "soft-lockup",
	[OC_PK_HARD_LOCKUP] = "hard-lockup",
	[OC_PK_RCU_STALL] = "rcu-stall",
	[OC_PK_HUNG_TASK] = "hung-task",
	[OC_PK_NULL_DEREF] = "null-deref",
	[OC_PK_PAGE_FAULT] = "page-fault",
	[OC_PK_GPF] = "gpf",
	[OC_PK_BUG] = "bug",
	[OC_PK_WARN] = "warn",
	[OC_PK_OOM] = "oom",
	[OC_PK_SYSRQ] = "sysrq",
	[OC_PK_PANIC] = "panic",
};

static const char *const kind_texts[OC_PK_NKINDS] = {
	[OC_PK_UNKNOWN] = "oops",
	[OC_PK_SOFT_LOCKUP] = "soft lockup",
	[OC_PK_HARD_LOCKUP] = "hard lockup",
	[OC_PK_RCU_STALL] = "RCU stall",
	[OC_PK_HUNG_TASK] = "hung task",
	[OC_PK_NULL_DEREF] = "NULL pointer dereference",
	[OC_PK_PAGE_FAULT] = "page fault",
	[OC_PK_GPF] = "general protection fault",
	[OC_PK_BUG] = "BUG()",
	[OC_PK_WARN] = "WARN()",
	[OC_PK_OOM] = "out-of-memory panic",
	[OC_PK_SYSRQ] = "sysrq crash",
	[OC_PK_PANIC] = "panic()",
};

const char *oc_panic_kind_name(enum oc_panic_kind k)
{
	return (unsigned int)k < OC_PK_NKINDS ? kind_names[k] : "unknown";
}

const char *oc_panic_kind_text(enum oc_panic_kind k)
{
	return (unsigned int)k < OC_PK_NKINDS ? kind_texts[k] : "oops";
}

/*
 * Frames that are the reporting machinery, not the bug: watchdog, timer
 * and interrupt entry, NMI, exception entry, printing and panic.  Matched
 * on the name without its compiler suffix (".cold", ".isra.0", ...).
 * Listed in docs/design.md ("Panic signatures and buckets").
 */
static const char *const machinery[] = {
	/* printing and panic (lib/dump_stack.c, kernel/panic.c) */
	"dump_stack", "dump_stack_lvl", "show_stack", "show_regs",
	"show_trace_log_lvl", "dump_backtrace", "panic", "nmi_panic",
	"vpanic", "__warn", "warn_slowpath_fmt", "report_bug",
	"check_panic_on_warn",
	/* soft/hard lockup watchdogs (kernel/watchdog*.c) */
	"watchdog_timer_fn", "watchdog_overflow_callback",
	"watchdog_hardlockup_check", "watchdog_buddy_check_hardlockup",
	"__perf_event_overflow", "perf_event_overflow", "handle_pmi_common",
	"intel_pmu_handle_irq", "amd_pmu_handle_irq", "x86_pmu_handle_irq",
	"perf_event_nmi_handler", "armv8pmu_handle_irq",
	/* RCU stall and NMI backtraces (kernel/rcu/tree_stall.h, lib/nmi_backtrace.c) */
	"rcu_sched_clock_irq", "rcu_pending", "check_cpu_stall",
	"print_cpu_stall", "print_other_cpu_stall", "rcu_dump_cpu_stacks",
	"dump_cpu_task", "nmi_cpu_backtrace", "nmi_trigger_cpumask_backtrace",
	"arch_trigger_cpumask_backtrace", "nmi_cpu_backtrace_handler",
	"trigger_single_cpu_backtrace", "sched_show_task",
	/* timer interrupt */
	"__hrtimer_run_queues", "hrtimer_interrupt", "hrtimer_run_queues",
	"tick_sched_timer", "tick_sched_handle", "tick_nohz_handler",
	"update_process_times", "local_apic_timer_interrupt",
	"arch_timer_handler_phys", "arch_timer_handler_virt",
	"handle_percpu_devid_irq",
	/* x86 interrupt, NMI and exception entry */
	"__sysvec_apic_timer_interrupt", "sysvec_apic_timer_interrupt",
	"asm_sysvec_apic_timer_interrupt", "apic_timer_interrupt",
	"smp_apic_timer_interrupt", "common_interrupt",
	"asm_common_interrupt", "ret_from_intr", "irq_exit", "irq_exit_rcu",
	"__irq_exit_rcu", "nmi_handle", "default_do_nmi", "do_nmi",
	"exc_nmi", "asm_exc_nmi", "end_repeat_nmi", "repeat_nmi",
	"handle_bug", "exc_invalid_op", "asm_exc_invalid_op", "do_invalid_op",
	"invalid_op", "do_error_trap", "do_trap", "die", "__die",
	"__die_body", "oops_end", "page_fault_oops", "no_context",
	"kernelmode_fixup_or_oops", "__bad_area_nosemaphore",
	"bad_area_nosemaphore", "do_user_addr_fault", "do_kern_addr_fault",
	"__do_page_fault", "exc_page_fault", "asm_exc_page_fault",
	"page_fault", "exc_general_protection",
	"asm_exc_general_protection", "general_protection",
	/* arm64 interrupt and exception entry (arch/arm64/kernel/entry*) */
	"el1_interrupt", "el1h_64_irq_handler", "el1h_64_irq",
	"el0_interrupt", "el0t_64_irq_handler", "el0t_64_irq", "el1_irq",
	"el0_irq", "gic_handle_irq", "handle_domain_irq",
	"__handle_domain_irq", "generic_handle_domain_irq",
	"generic_handle_irq", "call_on_irq_stack", "do_interrupt_handler",
	"el1_sync", "el1_sync_handler", "el1h_64_sync",
	"el1h_64_sync_handler", "el1_abort", "el1_dbg", "do_mem_abort",
	"do_translation_fault", "do_page_fault", "do_bad_area",
	"__do_kernel_fault", "die_kernel_fault", "arm64_notify_die",
	"bug_handler", "bug_brk_handler", "brk_handler", "call_break_hook",
	"do_debug_exception", "call_el1_break_hook", "el1_brk64",
	/* sysrq-triggered NMI on arm64 */
	"ipi_handler", "do_handle_IPI",
	NULL
};

/* A blocked task's own frames: the scheduler and the sleeping primitives. */
static const char *const scheduler[] = {
	"__schedule", "schedule", "schedule_timeout", "schedule_hrtimeout",
	"schedule_hrtimeout_range", "schedule_hrtimeout_range_clock",
	"schedule_preempt_disabled", "io_schedule", "io_schedule_timeout",
	"preempt_schedule", "preempt_schedule_common", "__cond_resched",
	"context_switch", "__switch_to", "__switch_to_asm", "cpu_switch_to",
	"__wait_for_common", "wait_for_common", "wait_for_common_io",
	"do_wait_for_common", "wait_for_completion",
	"wait_for_completion_timeout", "wait_for_completion_killable",
	"wait_for_completion_interruptible", "wait_for_completion_io",
	"wait_for_completion_io_timeout", "__mutex_lock",
	"__mutex_lock_slowpath", "mutex_lock", "mutex_lock_killable",
	"mutex_lock_interruptible", "__mutex_lock_killable_slowpath",
	"__mutex_lock_interruptible_slowpath", "rwsem_down_read_slowpath",
	"rwsem_down_write_slowpath", "down_read", "down_write",
	"down_read_killable", "down_write_killable", "__down", "__down_common",
	"__down_killable", "__down_interruptible", "down", "down_killable",
	"down_interruptible", "__rt_mutex_slowlock", "rt_mutex_slowlock",
	"bit_wait", "bit_wait_io", "__wait_on_bit", "__wait_on_bit_lock",
	"out_of_line_wait_on_bit", "out_of_line_wait_on_bit_lock",
	"folio_wait_bit_common", "wait_on_page_bit_common",
	"synchronize_rcu_expedited", "__synchronize_srcu",
	NULL
};

/* struct slot - a report being collected. */
struct slot {
	long idx;			/* report index, -1 free */
	char caller[16];
	unsigned long stamp;		/* last use, for LRU */
	int trace;			/* 0 not yet, 1 collecting, 2 ended */
	int noise;
	int cpu_line;
	int absorbed;			/* RCU stall: one CPU dump taken */
	char stack[8];
	size_t nlines;
	char *buf;			/* the report's lines, for regdump */
	size_t blen, bcap;
	size_t lmap[OC_PS_REPORT_LINES];	/* their line numbers */
};

struct ps_state {
	struct oc_panic_list *out;
	struct slot slots[PS_SLOTS];
	unsigned long clock;
	int boot;			/* "Linux version" lines seen */
	size_t boot_first;		/* first report of this boot */
	int panic_boot;			/* boot of the recorded panic, -1 */
	int failed;
};

static int starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* Length of @s without its compiler suffix: "f.cold" / "f.isra.0" -> "f". */
static size_t base_len(const char *s)
{
	const char *d = strchr(s, '.');

	return d && d != s ? (size_t)(d - s) : strlen(s);
}

static int in_list(const char *sym, const char *const *list)
{
	size_t n = base_len(sym);

	for (; *list; list++)
		if (strlen(*list) == n && !strncmp(*list, sym, n))
			return 1;
	return 0;
}

static int is_machinery(const char *sym, enum oc_panic_kind k)
{
	if (in_list(sym, machinery))
		return 1;
	/* asm_sysvec_* / sysvec_* / __sysvec_* interrupt entries */
	if (starts(sym, "asm_sysvec_") || starts(sym, "sysvec_") ||
	    starts(sym, "__sysvec_") || starts(sym, "asm_exc_"))
		return 1;
	if ((k == OC_PK_HUNG_TASK || k == OC_PK_RCU_STALL) &&
	    in_list(sym, scheduler))
		return 1;
	return 0;
}

/* Symbol names as the kernel prints them: [A-Za-z0-9_.$]. */
static int sym_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' &&
		    *s != '$')
			return 0;
	return 1;
}

/* Module names: [A-Za-z0-9_-]; a build id after a space is dropped. */
static void mod_clean(char *m)
{
	size_t i;

	for (i = 0; m[i]; i++) {
		if (m[i] == ' ') {
			m[i] = '\0';
			break;
		}
		if (!isalnum((unsigned char)m[i]) && m[i] != '_' &&
		    m[i] != '-') {
			m[0] = '\0';
			break;
		}
	}
}

static int raw_addr(const char *s)
{
	const char *p = s + 2;

	if (s[0] != '0' || s[1] != 'x' || !isxdigit((unsigned char)*p))
		return 0;
	while (isxdigit((unsigned char)*p))
		p++;
	return *p == '\0';
}

/*
 * `func+0x1c/0x30 [mod]`, `? func+...` (x86 unreliable), old
 * `[<ffffffff81234567>] ? func+...`, or a bare `0xffffffffc0123456`.
 * Returns 1 and fills @f, or 0 if @s is not a frame.
 */
static int parse_frame(const char *s, struct oc_frame *f)
{
	const char *p = s, *e;

	memset(f, 0, sizeof(*f));
	if (p[0] == '[' && p[1] == '<') {
		e = strstr(p, ">]");
		if (!e || e - p > 20)
			return 0;
		p = e + 2;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	if (p[0] == '?' && p[1] == ' ') {
		f->unreliable = 1;
		p += 2;
		while (*p == ' ')
			p++;
	}
	if (raw_addr(p)) {
		oc_strlcpy(f->sym, p, sizeof(f->sym));
		return 1;
	}
	if (oc_parse_sym_off_len(p, f->sym, sizeof(f->sym), &f->off, &f->len,
				 f->mod, sizeof(f->mod)) < 0 || !sym_ok(f->sym))
		return 0;
	/* nothing but an optional `[mod]` may follow */
	e = p;
	while (*e && *e != ' ')
		e++;
	while (*e == ' ')
		e++;
	if (*e && (*e != '[' || !strchr(e, ']')))
		return 0;
	mod_clean(f->mod);
	return 1;
}

/* ` <IRQ>` ` </IRQ>` ` <TASK>` ` <NMI>` ` <EOI>`: 1 and the new stack name */
static int parse_marker(const char *s, char *stack, size_t n)
{
	const char *p = s + 1;
	int close = 0;
	size_t l = 0;

	if (s[0] != '<')
		return 0;
	if (*p == '/') {
		close = 1;
		p++;
	}
	while (isalnum((unsigned char)p[l]) || p[l] == '#' || p[l] == '_')
		l++;
	if (!l || p[l] != '>' || p[l + 1] || l >= n)
		return 0;
	if (close || (l == 3 && !strncmp(p, "EOI", 3))) {
		stack[0] = '\0';
	} else {
		memcpy(stack, p, l);
		stack[l] = '\0';
	}
	return 1;
}

/* "comm:pid" ending at @end (exclusive); comm may contain ':' */
static void comm_pid(const char *s, const char *end, struct oc_panic_report *r)
{
	const char *c = end;

	while (c > s && c[-1] != ':')
		c--;
	if (c <= s || !isdigit((unsigned char)*c))
		return;
	r->pid = atoi(c);
	if ((size_t)(c - 1 - s) < sizeof(r->comm)) {
		memcpy(r->comm, s, (size_t)(c - 1 - s));
		r->comm[c - 1 - s] = '\0';
	} else {
		memcpy(r->comm, s, sizeof(r->comm) - 1);
		r->comm[sizeof(r->comm) - 1] = '\0';
	}
}

static int num_after(const char *s, const char *key, int *v)
{
	const char *p = strstr(s, key);

	if (!p)
		return 0;
	p += strlen(key);
	if (!isdigit((unsigned char)*p))
		return 0;
	*v = atoi(p);
	return 1;
}

/*
 * Which report @s opens.  Returns the kind, or -1.  *weak is set for the
 * lines that continue an oops already open ("Oops: ...", "Internal error:
 * ...", "invalid opcode: ...") and only open a report on their own.
 */
static int trigger_kind(const char *s, int *weak)
{
	const char *t;

	*weak = 0;
	/* kernel/watchdog.c: "BUG: soft lockup - CPU#%d stuck for %us! [%s:%d]" */
	if (strstr(s, "BUG: soft lockup - CPU#"))
		return OC_PK_SOFT_LOCKUP;
	/* kernel/watchdog_hld.c: "Watchdog detected hard LOCKUP on cpu %d" */
	if (strstr(s, "Watchdog detected hard LOCKUP on cpu"))
		return OC_PK_HARD_LOCKUP;
	/* kernel/rcu/tree_stall.h, tree_exp.h */
	if (strstr(s, "self-detected stall on CPU") ||
	    strstr(s, "detected stalls on CPUs/tasks") ||
	    strstr(s, "detected expedited stalls on CPUs/tasks"))
		return OC_PK_RCU_STALL;
	/* kernel/hung_task.c: "INFO: task %s:%d blocked for more than %ld seconds." */
	t = strstr(s, "INFO: task ");
	if (t && strstr(t, " blocked for more than "))
		return OC_PK_HUNG_TASK;
	/*
	 * arch/x86/mm/fault.c: "BUG: kernel NULL pointer dereference, address: %px",
	 * before 4.19 "BUG: unable to handle kernel NULL pointer dereference at %p";
	 * arch/arm64/mm/fault.c: "Unable to handle kernel %s at virtual address %016lx"
	 */
	if (strstr(s, "kernel NULL pointer dereference"))
		return OC_PK_NULL_DEREF;
	if (strstr(s, "unable to handle page fault for address") ||
	    strstr(s, "nable to handle kernel ") ||
	    strstr(s, "BUG: stack guard page was hit at"))
		return OC_PK_PAGE_FAULT;
	/* arch/x86/kernel/traps.c; not the user-space "traps: ..." line */
	t = strstr(s, "general protection fault");
	if (t && (t == s || (starts(s, "Oops: ") && t == s + 6)))
		return OC_PK_GPF;
	/* lib/bug.c: "kernel BUG at %s:%u!", "Kernel BUG at %pB [verbose ...]" */
	if (strstr(s, "kernel BUG at ") || strstr(s, "Kernel BUG at "))
		return OC_PK_BUG;
	/* kernel/panic.c __warn(): "WARNING: CPU: %d PID: %d at %s:%d %pS" */
	if (strstr(s, "WARNING: CPU: "))
		return OC_PK_WARN;
	/* drivers/tty/sysrq.c: "sysrq: Trigger a crash" (old: "SysRq : ...") */
	if (strstr(s, "sysrq: Trigger a crash") ||
	    strstr(s, "SysRq : Trigger a crash"))
		return OC_PK_SYSRQ;
	*weak = 1;
	/* arch/arm64/kernel/traps.c die(): "Internal error: %s: %016lx [#%d]" */
	if (starts(s, "Internal error: Oops - BUG"))
		return OC_PK_BUG;
	if (starts(s, "Internal error: "))
		return OC_PK_UNKNOWN;
	/* x86 die(): "invalid opcode: 0000 [#1]" (6.3+: "Oops: invalid opcode:") */
	if (starts(s, "invalid opcode: ") || starts(s, "Oops: invalid opcode: "))
		return OC_PK_BUG;
	if (starts(s, "Oops: ") && strstr(s, " [#"))
		return OC_PK_UNKNOWN;
	*weak = 0;
	return -1;
}

static int oops_class(enum oc_panic_kind k)
{
	return k == OC_PK_NULL_DEREF || k == OC_PK_PAGE_FAULT ||
	       k == OC_PK_GPF || k == OC_PK_BUG || k == OC_PK_UNKNOWN;
}

/* What the trigger line itself says: cpu, pid, comm, WARNING location. */
static void trigger_fields(const char *s, struct oc_panic_report *r)
{
	const char *t, *e;

	switch (r->kind) {
	case OC_PK_SOFT_LOCKUP:
		num_after(s, "CPU#", &r->cpu);
		t = strstr(s, "s! [");
		e = s + strlen(s);
		if (t && e > t + 4 && e[-1] == ']')
			comm_pid(t + 4, e - 1, r);
		break;
	case OC_PK_HARD_LOCKUP:
		num_after(s, "LOCKUP on cpu ", &r->cpu);
		break;
	case OC_PK_HUNG_TASK:
		t = strstr(s, "INFO: task ") + 11;
		e = strstr(t, " blocked for more than ");
		comm_pid(t, e, r);
		break;
	case OC_PK_WARN:
		t = strstr(s, "WARNING: CPU: ");
		num_after(t, "CPU: ", &r->cpu);
		num_after(t, "PID: ", &r->pid);
		t = strstr(t, " at ");
		if (!t)
			break;
		t += 4;
		/* "file:line func+off/len [mod]" or just "func+off/len" */
		e = strchr(t, ' ');
		if (e && memchr(t, ':', (size_t)(e - t)))
			t = e + 1;
		if (parse_frame(t, &r->where) && !raw_addr(r->where.sym) &&
		    !r->where.unreliable) {
			r->have_where = 1;
			oc_strlcpy(r->where_source, "WARNING line",
				   sizeof(r->where_source));
		} else {
			memset(&r->where, 0, sizeof(r->where));
		}
		break;
	default:
		break;
	}
}

/* "CPU: 1 PID: 0 Comm: swapper/1 Not tainted ..." (6.10+: "CPU: 1 UID: 0 PID: ...") */
static int cpu_line(const char *s, struct oc_panic_report *r)
{
	const char *c, *e;
	int cpu, pid;

	if (!starts(s, "CPU: ") || !isdigit((unsigned char)s[5]) ||
	    !strstr(s, " PID: "))
		return 0;
	cpu = atoi(s + 5);
	if (r->cpu < 0)
		r->cpu = cpu;
	if (r->pid < 0 && num_after(s, " PID: ", &pid))
		r->pid = pid;
	c = strstr(s, " Comm: ");
	if (c && !r->comm[0]) {
		static const char *const ends[] = {
			" Kdump: loaded", " Not tainted", " Tainted: ", NULL
		};
		const char *const *m;

		/* lib/dump_stack.c: "Comm: %.20s %s%s %s", the kdump mark,
		 * then the taint; a comm may contain spaces */
		c += 7;
		e = NULL;
		for (m = ends; *m; m++) {
			const char *x = strstr(c, *m);

			if (x && (!e || x < e))
				e = x;
		}
		if (!e)
			e = strchr(c, ' ');
		if (!e)
			e = c + strlen(c);
		if ((size_t)(e - c) >= sizeof(r->comm))
			e = c + sizeof(r->comm) - 1;
		memcpy(r->comm, c, (size_t)(e - c));
		r->comm[e - c] = '\0';
	}
	return 1;
}

static struct oc_panic_report *rep(struct ps_state *st, struct slot *sl)
{
	return &st->out->v[sl->idx];
}

static void slot_reset(struct slot *sl)
{
	sl->idx = -1;
	sl->caller[0] = '\0';
	sl->trace = sl->noise = sl->cpu_line = sl->absorbed = 0;
	sl->stack[0] = '\0';
	sl->nlines = 0;
	sl->blen = 0;
}

/*
 * The register dump of the report: the first one whose pc is not in the
 * machinery (a stall's self-NMI shows the IRQ handler first), else the
 * first one.
 */
static void slot_regs(struct ps_state *st, struct slot *sl)
{
	struct oc_panic_report *r = rep(st, sl);
	struct oc_regdump_list l;
	size_t i, pick;

	if (r->have_regs || !sl->blen)
		return;
	memset(&l, 0, sizeof(l));
	if (oc_regdump_parse(sl->buf, sl->blen, &l) < 0)
		st->failed = 1;
	if (l.n) {
		pick = 0;
		for (i = 0; i < l.n; i++) {
			if (l.v[i].have_pc_sym && sym_ok(l.v[i].pc_sym) &&
			    !is_machinery(l.v[i].pc_sym, r->kind)) {
				pick = i;
				break;
			}
		}
		r->regs = l.v[pick];
		if (r->regs.line_no >= 1 && r->regs.line_no <= sl->nlines)
			r->regs.line_no = sl->lmap[r->regs.line_no - 1];
		r->have_regs = 1;
	}
	oc_regdump_list_free(&l);
}

static void slot_close(struct ps_state *st, struct slot *sl)
{
	if (sl->idx >= 0)
		slot_regs(st, sl);
	slot_reset(sl);
}

static void close_all(struct ps_state *st)
{
	int i;

	for (i = 0; i < PS_SLOTS; i++)
		slot_close(st, &st->slots[i]);
}

/* The open slot for lines of @caller ("" = the most recently used one). */
static struct slot *slot_find(struct ps_state *st, const char *caller)
{
	struct slot *best = NULL;
	int i;

	for (i = 0; i < PS_SLOTS; i++) {
		struct slot *sl = &st->slots[i];

		if (sl->idx < 0)
			continue;
		if (caller[0] && sl->caller[0]) {
			if (!strcmp(sl->caller, caller))
				return sl;
			continue;
		}
		if (!best || sl->stamp > best->stamp)
			best = sl;
	}
	return best;
}

/* A slot for a new report of @caller: its own, a free one, or the oldest. */
static struct slot *slot_new(struct ps_state *st, const char *caller)
{
	struct slot *sl = NULL, *old = NULL;
	int i;

	for (i = 0; i < PS_SLOTS; i++) {
		struct slot *s = &st->slots[i];

		if (s->idx >= 0 && !strcmp(s->caller, caller)) {
			sl = s;
			break;
		}
		if (s->idx < 0 && !sl)
			sl = s;
		if (s->idx >= 0 && (!old || s->stamp < old->stamp))
			old = s;
	}
	if (!sl)
		sl = old;
	slot_close(st, sl);
	oc_strlcpy(sl->caller, caller, sizeof(sl->caller));
	return sl;
}

static int slot_keep(struct ps_state *st, struct slot *sl, const char *s,
		     size_t line_no)
{
	size_t n = strlen(s);

	if (sl->nlines >= OC_PS_REPORT_LINES)
		return -1;
	if (sl->blen + n + 1 > sl->bcap) {
		size_t ncap = sl->bcap ? sl->bcap : 8192;
		char *nb;

		while (ncap < sl->blen + n + 1)
			ncap *= 2;
		nb = realloc(sl->buf, ncap);
		if (!nb) {
			st->failed = 1;
			return -1;
		}
		sl->buf = nb;
		sl->bcap = ncap;
	}
	memcpy(sl->buf + sl->blen, s, n);
	sl->buf[sl->blen + n] = '\n';
	sl->blen += n + 1;
	sl->lmap[sl->nlines++] = line_no;
	return 0;
}

static long new_report(struct ps_state *st, enum oc_panic_kind k,
		       const char *s, size_t line_no, const char *caller)
{
	struct oc_panic_list *l = st->out;
	struct oc_panic_report *r;

	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		struct oc_panic_report *nv;

		if (ncap > OC_PS_MAX_REPORTS)
			ncap = OC_PS_MAX_REPORTS;
		nv = realloc(l->v, ncap * sizeof(*nv));
		if (!nv) {
			st->failed = 1;
			return -1;
		}
		l->v = nv;
		l->cap = ncap;
	}
	r = &l->v[l->n];
	memset(r, 0, sizeof(*r));
	r->kind = k;
	r->line_no = line_no;
	r->cpu = r->pid = -1;
	oc_strlcpy(r->message, s, sizeof(r->message));
	oc_strlcpy(r->caller, caller, sizeof(r->caller));
	return (long)l->n++;
}

/* Open @idx in a slot of @caller and keep its first line. */
static void open_report(struct ps_state *st, long idx, const char *caller,
			const char *s, size_t line_no)
{
	struct slot *sl = slot_new(st, caller);

	sl->idx = idx;
	sl->stamp = ++st->clock;
	slot_keep(st, sl, s, line_no);
}

static void add_frame(struct oc_panic_report *r, const struct oc_frame *f)
{
	if (r->nframes >= OC_PS_MAX_FRAMES) {
		r->frames_cut++;
		return;
	}
	r->frames[r->nframes++] = *f;
}

/* One line of an open report. */
static void feed(struct ps_state *st, struct slot *sl, const char *s,
		 size_t line_no)
{
	struct oc_panic_report *r = rep(st, sl);
	struct oc_frame f;
	int n;

	sl->stamp = ++st->clock;
	if (slot_keep(st, sl, s, line_no) < 0) {
		slot_close(st, sl);
		return;
	}
	if (starts(s, "---[ end trace")) {
		slot_close(st, sl);
		return;
	}
	/* lib/nmi_backtrace.c, kernel/sched/core.c dump_cpu_task() */
	if (starts(s, "NMI backtrace for cpu ") ||
	    starts(s, "Task dump for CPU ") || starts(s, "Sending NMI from CPU ")) {
		if (r->kind == OC_PK_RCU_STALL && !r->nframes && !sl->absorbed) {
			if (starts(s, "Sending NMI"))
				return;
			sl->absorbed = 1;
			n = atoi(s + (s[0] == 'N' ? 22 : 18));
			if (r->cpu < 0 && isdigit((unsigned char)s[s[0] == 'N' ? 22 : 18]))
				r->cpu = n;
			sl->cpu_line = 0;
			sl->trace = 0;
			return;
		}
		slot_close(st, sl);
		return;
	}
	if (starts(s, "CPU: ") && strstr(s, " PID: ")) {
		if (sl->cpu_line || sl->trace) {
			slot_close(st, sl);
			return;
		}
		sl->cpu_line = cpu_line(s, r);
		return;
	}
	if (!strcmp(s, "Call Trace:") || !strcmp(s, "Call trace:")) {
		if (sl->trace) {
			slot_close(st, sl);
			return;
		}
		sl->trace = 1;
		sl->noise = 0;
		sl->stack[0] = '\0';
		return;
	}
	if (sl->trace == 1) {
		if (parse_marker(s, sl->stack, sizeof(sl->stack))) {
			sl->noise = 0;
			return;
		}
		if (parse_frame(s, &f)) {
			oc_strlcpy(f.stack, sl->stack, sizeof(f.stack));
			add_frame(r, &f);
			sl->noise = 0;
			return;
		}
		if (starts(s, "Modules linked in") ||
		    starts(s, "Hardware name") || starts(s, "---[") ||
		    ++sl->noise > PS_TRACE_NOISE)
			sl->trace = 2;
		return;
	}
	/* sched_show_task(): "task:%-15.15s state:%c stack:%-5lu pid:%-5d ..." */
	if (starts(s, "task:") && r->pid < 0)
		num_after(s, " pid:", &r->pid);
	/* print_cpu_stall_info(): "\t%d-%c%c%c%c: ..." after "rcu: " */
	if (r->kind == OC_PK_RCU_STALL && r->cpu < 0 && starts(s, "rcu:")) {
		const char *p = s + 4;

		while (*p == ' ' || *p == '\t')
			p++;
		if (isdigit((unsigned char)*p)) {
			const char *q = p;

			while (isdigit((unsigned char)*q))
				q++;
			if (*q == '-')
				r->cpu = atoi(p);
		}
	}
}

enum msg_class { MSG_OTHER, MSG_KIND, MSG_OOPS };

/* kernel/panic.c panic("...") messages of each reporter */
static enum msg_class panic_msg_kind(const char *m, enum oc_panic_kind *k)
{
	static const struct {
		const char *pat;
		enum oc_panic_kind kind;
	} tab[] = {
		{ "softlockup: hung tasks", OC_PK_SOFT_LOCKUP },  /* kernel/watchdog.c */
		{ "Hard LOCKUP", OC_PK_HARD_LOCKUP },		/* kernel/watchdog*.c */
		{ "hung_task: blocked tasks", OC_PK_HUNG_TASK },	/* kernel/hung_task.c */
		{ "RCU Stall", OC_PK_RCU_STALL },	/* kernel/rcu/tree_stall.h */
		{ "panic_on_warn set", OC_PK_WARN },	/* kernel/panic.c */
		{ "sysrq triggered crash", OC_PK_SYSRQ },	/* drivers/tty/sysrq.c */
		{ "Out of memory", OC_PK_OOM },		/* mm/oom_kill.c */
		{ "System is deadlocked on memory", OC_PK_OOM },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strstr(m, tab[i].pat)) {
			*k = tab[i].kind;
			return MSG_KIND;
		}
	}
	/* die()/oops_end() and do_exit() after an oops */
	if (strstr(m, "Fatal exception") || starts(m, "Attempted to kill") ||
	    starts(m, "Aiee, killing interrupt handler"))
		return MSG_OOPS;
	*k = OC_PK_PANIC;
	return MSG_OTHER;
}

static void on_panic(struct ps_state *st, const char *s, const char *msg,
		     size_t line_no, const char *caller)
{
	struct oc_panic_list *l = st->out;
	enum oc_panic_kind k = OC_PK_PANIC;
	enum msg_class c;
	long i, pick = -1;

	close_all(st);
	if (l->panic_message[0] && st->panic_boot == st->boot)
		return;		/* a panic during the panic */
	oc_strlcpy(l->panic_message, msg, sizeof(l->panic_message));
	st->panic_boot = st->boot;
	if (l->primary >= 0 && (size_t)l->primary < l->n)
		l->v[l->primary].caused_panic = 0;
	l->primary = -1;

	c = panic_msg_kind(msg, &k);
	for (i = (long)l->n - 1; i >= (long)st->boot_first && c != MSG_OTHER;
	     i--) {
		if ((c == MSG_KIND && l->v[i].kind == k) ||
		    (c == MSG_OOPS && oops_class(l->v[i].kind))) {
			pick = i;
			break;
		}
	}
	if (pick < 0) {
		if (c == MSG_OOPS)
			k = OC_PK_PANIC;
		pick = new_report(st, k, s, line_no, caller);
		if (pick < 0)
			return;
	}
	l->primary = pick;
	l->v[pick].caused_panic = 1;
	/* panic()'s own dump_stack() tells where a report without a trace was */
	if (!l->v[pick].nframes && !l->v[pick].have_regs)
		open_report(st, pick, caller, s, line_no);
}

/* "where": the pc line, else the WARNING line, else the call trace. */
static void finish_where(struct oc_panic_report *r)
{
	const struct oc_regdump *rd = &r->regs;
	int i;

	if (r->have_regs && rd->have_pc_sym && sym_ok(rd->pc_sym) &&
	    !is_machinery(rd->pc_sym, r->kind)) {
		memset(&r->where, 0, sizeof(r->where));
		oc_strlcpy(r->where.sym, rd->pc_sym, sizeof(r->where.sym));
		r->where.off = rd->pc_off;
		r->where.len = rd->pc_len;
		oc_strlcpy(r->where.mod, rd->pc_mod, sizeof(r->where.mod));
		mod_clean(r->where.mod);
		r->have_where = 1;
		oc_strlcpy(r->where_source,
			   rd->arch && !strcmp(rd->arch, "x86_64") ?
			   "RIP line" : "pc line", sizeof(r->where_source));
		return;
	}
	if (r->have_where)
		return;		/* WARNING line */
	for (i = 0; i < r->nframes; i++) {
		const struct oc_frame *f = &r->frames[i];

		/* +0x0: a return address past a noreturn call names the
		 * next function, not the caller (see oc_panic_bucket) */
		if (f->unreliable || raw_addr(f->sym) ||
		    is_machinery(f->sym, r->kind) || (f->off == 0 && f->len))
			continue;
		r->where = *f;
		r->have_where = 1;
		oc_strlcpy(r->where_source, "call trace",
			   sizeof(r->where_source));
		return;
	}
}

static const char *panic_line(const char *s)
{
	const char *p = strstr(s, "Kernel panic - not syncing: ");

	/* not the closing "---[ end Kernel panic - not syncing: ... ]---" */
	if (!p || (p - s >= 5 && !strncmp(p - 4, "end ", 4)))
		return NULL;
	return p + 28;
}

int oc_panic_parse(const char *text, size_t len, struct oc_panic_list *out)
{
	struct ps_state *st;
	struct oc_line_iter it;
	char *buf;
	size_t i;
	int rc;

	st = calloc(1, sizeof(*st));
	buf = malloc(OC_PS_LINE_MAX);
	if (!st || !buf) {
		free(st);
		free(buf);
		return -1;
	}
	st->out = out;
	st->panic_boot = -1;
	st->boot_first = out->n;
	if (!out->n && !out->panic_message[0])
		out->primary = -1;
	for (i = 0; i < PS_SLOTS; i++)
		slot_reset(&st->slots[i]);

	oc_line_iter_init(&it, text, len);
	while (oc_line_next(&it, buf, OC_PS_LINE_MAX) && !st->failed) {
		char caller[16];
		const char *s = oc_log_strip(buf, caller, sizeof(caller));
		const char *msg;
		struct slot *sl;
		int kind, weak;

		if (starts(s, "Linux version ")) {
			close_all(st);
			st->boot++;
			st->boot_first = out->n;
			continue;
		}
		msg = panic_line(s);
		if (msg) {
			on_panic(st, s, msg, it.line_no, caller);
			continue;
		}
		kind = trigger_kind(s, &weak);
		sl = slot_find(st, caller);
		if (kind >= 0 && weak && sl && oops_class(rep(st, sl)->kind) &&
		    !sl->trace) {
			if (kind == OC_PK_BUG && rep(st, sl)->kind == OC_PK_UNKNOWN)
				rep(st, sl)->kind = OC_PK_BUG;
			kind = -1;	/* continues the open oops */
		}
		if (kind >= 0) {
			long idx;

			if (out->n >= OC_PS_MAX_REPORTS - 1)
				continue;	/* the last one is kept for the panic */
			idx = new_report(st, (enum oc_panic_kind)kind, s,
					 it.line_no, caller);
			if (idx < 0)
				break;
			trigger_fields(s, &out->v[idx]);
			open_report(st, idx, caller, s, it.line_no);
			continue;
		}
		if (sl)
			feed(st, sl, s, it.line_no);
	}
	close_all(st);
	/*
	 * No panic line: with kdump and panic_on_oops, oops_end() calls
	 * crash_kexec() before panic(), so the dump follows the last oops
	 * (a serial console capture goes on with the kdump kernel's boot).
	 */
	if (out->primary < 0 && !out->panic_message[0]) {
		long j;

		for (j = (long)out->n - 1; j >= 0; j--) {
			if (oops_class(out->v[j].kind)) {
				out->primary = j;
				out->v[j].caused_panic = 1;
				break;
			}
		}
	}
	for (i = 0; i < out->n; i++)
		finish_where(&out->v[i]);
	rc = st->failed ? -1 : 0;
	for (i = 0; i < PS_SLOTS; i++)
		free(st->slots[i].buf);
	free(st);
	free(buf);
	return rc;
}

void oc_panic_list_free(struct oc_panic_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
	l->primary = -1;
}

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= FNV_PRIME;
	}
	return h;
}

void oc_panic_bucket(const struct oc_panic_report *r, char *out,
		     char *desc, size_t descsz)
{
	const char *kn = oc_panic_kind_name(r->kind);
	char last[OC_PS_SYM_MAX + OC_PS_MOD_MAX + 4] = "";
	uint64_t h = fnv(FNV_OFFSET, kn, strlen(kn));
	int n = 0, i;

	if (desc && descsz)
		desc[0] = '\0';
	/* an operator's sysrq crash is one bucket, wherever it was typed */
	for (i = -1; r->kind != OC_PK_SYSRQ && i < r->nframes && n < OC_PS_BUCKET_FRAMES; i++) {
		const struct oc_frame *f = i < 0 ? &r->where : &r->frames[i];
		char item[sizeof(last)];
		size_t bl;

		if (i < 0 && !r->have_where)
			continue;
		/*
		 * A trace frame at +0x0 is the return address of a call to a
		 * noreturn function (panic()) that was its caller's last
		 * instruction: it names the next function, not the caller.
		 */
		if (i >= 0 && f->off == 0 && f->len)
			continue;
		if (f->unreliable || raw_addr(f->sym) || !sym_ok(f->sym) ||
		    is_machinery(f->sym, r->kind))
			continue;
		bl = base_len(f->sym);
		snprintf(item, sizeof(item), "%.*s%s%s%s", (int)bl, f->sym,
			 f->mod[0] ? " [" : "", f->mod, f->mod[0] ? "]" : "");
		if (!strcmp(item, last))
			continue;	/* arm64 lists the pc's function again */
		oc_strlcpy(last, item, sizeof(last));
		h = fnv(h, "|", 1);
		h = fnv(h, item, strlen(item));
		if (desc && descsz) {
			size_t dl = strlen(desc);

			snprintf(desc + dl, descsz - dl, "%s%s",
				 n ? " <- " : "", item);
		}
		n++;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}
