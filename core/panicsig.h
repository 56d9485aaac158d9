/* SPDX-License-Identifier: GPL-2.0 */
/*
 * panicsig.h - what a kernel log says a dump is: every panic-class report
 * (soft/hard lockup, RCU stall, hung task, oops/BUG/GPF, WARN, OOM, sysrq,
 * panic()) with where it happened and its call trace, and a stable bucket
 * id so that the same bug on different builds groups together.
 *
 * Input is any kernel log as people have it (dmesg, crash's `log`,
 * vmcore-dmesg.txt, kdump-tools' dmesg.<stamp>, a serial console capture
 * with noise, timestamps, `[  T123]`/`[ C1]` callers and interleaved
 * lines).  Pure C: no I/O, no crash.
 */
#ifndef OC_PANICSIG_H
#define OC_PANICSIG_H

#include <stddef.h>
#include <stdint.h>

#include "regdump.h"

enum oc_panic_kind {
	OC_PK_UNKNOWN = 0,
	OC_PK_SOFT_LOCKUP,	/* "watchdog: BUG: soft lockup - CPU#1 stuck for 22s!" */
	OC_PK_HARD_LOCKUP,	/* "NMI watchdog: Watchdog detected hard LOCKUP on cpu 1" */
	OC_PK_RCU_STALL,	/* "rcu: INFO: rcu_sched detected stalls on CPUs/tasks:" */
	OC_PK_HUNG_TASK,	/* "INFO: task X:123 blocked for more than 5 seconds." */
	OC_PK_NULL_DEREF,	/* "BUG: kernel NULL pointer dereference, address: ..." /
				 * arm64 "Unable to handle kernel NULL pointer dereference" */
	OC_PK_PAGE_FAULT,	/* other "BUG: unable to handle page fault" / paging request */
	OC_PK_GPF,		/* "general protection fault" */
	OC_PK_BUG,		/* "kernel BUG at file:line!" / "invalid opcode" from BUG() */
	OC_PK_WARN,		/* "WARNING: CPU: 1 PID: 2 at file:line func+off" (panic_on_warn) */
	OC_PK_OOM,		/* "Out of memory" / "System is deadlocked on memory" panic */
	OC_PK_SYSRQ,		/* "sysrq: Trigger a crash" */
	OC_PK_PANIC,		/* explicit panic() with only its message */
	OC_PK_NKINDS
};

#define OC_PS_SYM_MAX	128
#define OC_PS_MOD_MAX	64
#define OC_PS_MAX_FRAMES	48
#define OC_PS_BUCKET_FRAMES	4	/* function names hashed into the bucket */
#define OC_PS_MAX_REPORTS	4096
#define OC_PS_LINE_MAX		4096	/* longer lines are cut */
#define OC_PS_REPORT_LINES	1024	/* lines one report may span */

struct oc_frame {
	char sym[OC_PS_SYM_MAX];	/* raw bytes from the log (untrusted) */
	unsigned long off, len;		/* +0x26d/0x2b0; len 0 unknown */
	char mod[OC_PS_MOD_MAX];	/* "openvswitch", "" for vmlinux */
	int unreliable;			/* printed with a leading "? " */
	char stack[8];			/* inside " <IRQ>"...: "IRQ", "TASK",
					 * "NMI", "SOFTIRQ"; "" no marker */
};

struct oc_panic_report {
	enum oc_panic_kind kind;
	size_t line_no;			/* 1-based line of the trigger line */
	char message[256];		/* the trigger line, prefixes removed */
	int cpu;			/* CPU it happened on, -1 unknown */
	int pid;			/* -1 unknown */
	char comm[32];			/* task name, "" unknown */
	/* where: from the pc/RIP line of the report's register dump, else the
	 * WARNING line's func+off, else the first reliable frame of the trace
	 * (or, for a hung task, the first frame that is not the scheduler) */
	int have_where;
	struct oc_frame where;
	char where_source[32];		/* "RIP line", "pc line", "WARNING line", "call trace" */
	int nframes;			/* call trace, top first, "? " frames kept and marked */
	struct oc_frame frames[OC_PS_MAX_FRAMES];
	int have_regs;
	struct oc_regdump regs;		/* the report's register dump, if any */
	int caused_panic;		/* this report is the one the panic line follows */
	int frames_cut;			/* frames beyond OC_PS_MAX_FRAMES dropped */
	char caller[16];		/* printk caller id of the trigger ("C1", "T22"), "" */
};

struct oc_panic_list {
	struct oc_panic_report *v;
	size_t n, cap;
	/* the "Kernel panic - not syncing: ..." message, "" if none */
	char panic_message[256];
	long primary;			/* index of the report that caused the panic, -1 none */
};

/*
 * Find every report in @len bytes of @text (need not be NUL terminated,
 * may contain any bytes).  Bounded: at most 4096 reports are kept; lines
 * are cut at 4 KiB.  Returns 0, or -1 on allocation failure (what was
 * found so far is kept).
 */
int oc_panic_parse(const char *text, size_t len, struct oc_panic_list *out);
void oc_panic_list_free(struct oc_panic_list *l);

/* "soft-lockup", "hard-lockup", "rcu-stall", "hung-task", "null-deref",
 * "page-fault", "gpf", "bug", "warn", "oom", "sysrq", "panic", "unknown" */
const char *oc_panic_kind_name(enum oc_panic_kind k);
/* "soft lockup", "NULL pointer dereference", ... for sentences */
const char *oc_panic_kind_text(enum oc_panic_kind k);

/*
 * Stable bucket id of a report: 16 lower-case hex digits of a 64-bit
 * FNV-1a hash over the kind name and the first OC_PS_BUCKET_FRAMES
 * function names (the `where` function first, then reliable trace frames
 * that are not the watchdog/interrupt/panic machinery), each with its
 * module, without offsets or addresses.  @out must hold 17 bytes.  The
 * functions that went in are written, " <- "-joined, to @desc (may be
 * NULL).
 */
void oc_panic_bucket(const struct oc_panic_report *r, char *out,
		     char *desc, size_t descsz);

#endif /* OC_PANICSIG_H */
