// SPDX-License-Identifier: GPL-2.0
/*
 * ovscrash-log - log-only triage of the OVS netdev_pick_tx soft lockup,
 * for the on-call engineer who has no vmcore: a kernel log
 * (vmcore-dmesg.txt, kdump-tools' dmesg.<stamp>, a serial console
 * capture) and at best a debug vmlinux or a `dis` excerpt.
 *
 *	ovscrash-log [--vmlinux FILE | --disasm FILE] [-j] LOGFILE...
 *
 * Every report in each log is found by core/panicsig.c; the one whose PC
 * is in netdev_pick_tx has its registers decoded against the loop of
 * skb_tx_hash (core/loopfind.c) found in the disassembly (libopcodes on
 * the vmlinux, tools/vmdis.c, or the text given); the verdict is
 * core/verdict.c's, rendered by core/verdict_out.c as crash's `triage`
 * does.  Everything taken from a log, a file name or a disassembly is
 * escaped before it is printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "disasm.h"
#include "loopfind.h"
#include "panicsig.h"
#include "regdump.h"
#include "strutil.h"
#include "verdict.h"
#include "verdict_out.h"
#include "vmdis.h"

#ifndef OVSCRASH_VERSION
#define OVSCRASH_VERSION "0"
#endif

#define PROG		"ovscrash-log"
#define MAX_FILE	(512UL << 20)	/* logs and dis text */
#define SPIN_FUNC	"netdev_pick_tx"
#define ESC_MAX		1024

enum method {
	M_NONE,		/* no disassembly: call trace and registers only */
	M_VMLINUX,	/* whole function from the vmlinux: loop verified */
	M_DISASM,	/* dis text: loop verified */
	M_DISASM_SUB,	/* dis excerpt: from the subtraction only */
	M_CODE,		/* the oops `Code:` bytes: loop verified in them */
	M_CODE_SUB,	/* the oops `Code:` bytes: from the subtraction */
};

static const char *const method_names[] = {
	"none", "vmlinux", "disasm", "disasm-subtraction", "code-bytes",
	"code-bytes-subtraction"
};

struct opts {
	const char *vmlinux;
	const char *disasm;
	int json;
	int print_disasm;
};

/* What the disassembly says about the spinning PC. */
struct decode {
	enum method method;
	int tried;		/* a disassembly was available */
	int full;		/* the whole function was disassembled */
	long pc_off;		/* in the disassembly's own offsets */
	int ret;		/* oc_loop_find*'s return */
	struct oc_loop loop;
	char source[512];	/* "vmlinux (libopcodes-...)" / "dis text" */
	char note[256];		/* why not decoded, or how */
	const struct oc_arch *arch;
};

/* An escaped copy of untrusted bytes, in one of a few rotating buffers. */
static const char *esc(const char *s)
{
	static char bufs[4][ESC_MAX];
	static int k;
	char *b = bufs[k++ & 3];

	oc_escape_text((const unsigned char *)(s ? s : ""), s ? strlen(s) : 0,
		       b, ESC_MAX);
	return b;
}

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: " PROG " [--vmlinux FILE | --disasm FILE] [-j] LOGFILE...\n"
		"  Triage the Open vSwitch netdev_pick_tx soft lockup from kernel logs.\n"
		"  --vmlinux FILE   debug vmlinux: disassemble netdev_pick_tx from it\n"
		"  --disasm FILE    crash/gdb `dis` text of netdev_pick_tx (a partial\n"
		"                   excerpt around the PC is accepted, at lower confidence)\n"
		"  -j, --json       one JSON document for all files\n"
		"  --print-disasm   print the disassembly used (dis -l format) and exit\n"
		"  -h, --help       this text\n"
		"  --version        print the version\n"
		"Exit status: 0 success (any verdict), 1 a file could not be read,\n"
		"2 usage error.\n");
}

/*
 * Read a whole file (bounded).  Returns the buffer (NUL terminated, may
 * hold NULs) or NULL with a reason in @err.
 */
static char *read_file(const char *path, size_t *len, char *err,
		       size_t errsz)
{
	struct stat st;
	size_t cap, n = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errsz, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		snprintf(err, errsz, "%s",
			 S_ISDIR(st.st_mode) ? "is a directory" :
			 strerror(errno));
		close(fd);
		return NULL;
	}
	cap = S_ISREG(st.st_mode) && st.st_size > 0 &&
	      (unsigned long long)st.st_size < MAX_FILE ?
	      (size_t)st.st_size + 1 : 65536;
	buf = malloc(cap);
	if (!buf) {
		snprintf(err, errsz, "out of memory");
		close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			char *nb;

			if (cap >= MAX_FILE) {
				snprintf(err, errsz, "larger than %lu MiB",
					 MAX_FILE >> 20);
				goto fail;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				snprintf(err, errsz, "out of memory");
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errsz, "%s", strerror(errno));
			goto fail;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* "" for text, else why the file does not look like a kernel log. */
static void text_check(const char *buf, size_t len, char *out, size_t outsz)
{
	size_t i, n = len < 65536 ? len : 65536, bad = 0;

	out[0] = '\0';
	if (!len) {
		snprintf(out, outsz, "empty file");
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' &&
		    c != 0x1b)
			bad++;
	}
	if (bad * 10 > n)
		snprintf(out, outsz,
			 "binary data (%zu of the first %zu bytes are control bytes)",
			 bad, n);
}

/* The report spinning in netdev_pick_tx, the panic's one preferred. */
static const struct oc_panic_report *
spin_report(const struct oc_panic_list *pl, int *any_where)
{
	const struct oc_panic_report *best = NULL;
	size_t i;

	*any_where = 0;
	for (i = 0; i < pl->n; i++) {
		const struct oc_panic_report *r = &pl->v[i];
		int spin;

		if (r->have_where)
			*any_where = 1;
		spin = (r->have_where && !strcmp(r->where.sym, SPIN_FUNC) &&
			!r->where.mod[0]) ||
		       (r->have_regs && r->regs.have_pc_sym &&
			!strcmp(r->regs.pc_sym, SPIN_FUNC) &&
			!r->regs.pc_mod[0]);
		if (!spin)
			continue;
		if (!best || (long)i == pl->primary)
			best = r;
	}
	return best;
}

static void pc_of(const struct oc_panic_report *r, unsigned long *off,
		  unsigned long *len)
{
	if (r->have_regs && r->regs.have_pc_sym &&
	    !strcmp(r->regs.pc_sym, SPIN_FUNC)) {
		*off = r->regs.pc_off;
		*len = r->regs.pc_len;
	} else {
		*off = r->where.off;
		*len = r->where.len;
	}
}

/* x86 operands carry `%`; arm64's never do. */
static const struct oc_arch *guess_arch(const struct oc_disasm *d)
{
	size_t i;
	int j;

	for (i = 0; i < d->n && i < 256; i++)
		for (j = 0; j < d->insns[i].nops; j++)
			if (strchr(d->insns[i].ops[j], '%'))
				return &oc_arch_x86_64;
	return d->n ? &oc_arch_arm64 : NULL;
}

/* gdb's `disassemble` prints `<+off>` only, counted from DWARF low_pc. */
static int gdb_relative(const struct oc_disasm *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->insns[i].func)
			return 0;
	return d->n > 0;
}

static int has_off(const struct oc_disasm *d, long off)
{
	return oc_disasm_find_off(d, off) >= 0;
}

/*
 * Whether the dis text can be netdev_pick_tx of the log's build: its
 * labels name it (when it has labels) and no offset reaches past the
 * log's function length.  Returns 1, or 0 with the reason in @why.
 */
static int dis_fits(const struct oc_disasm *d, const struct oc_arch *arch,
		    const struct oc_arch *text_arch, unsigned long fn_len,
		    char *why, size_t n)
{
	size_t i, named = 0, ours = 0;
	long max_off = 0;
	const char *other = NULL;

	if (arch && text_arch && arch != text_arch) {
		snprintf(why, n, "the dis text is %s, the log %s",
			 text_arch->name, arch->name);
		return 0;
	}
	for (i = 0; i < d->n; i++) {
		const struct oc_insn *in = &d->insns[i];

		if (in->func) {
			named++;
			if (strcmp(in->func, SPIN_FUNC)) {
				other = in->func;
				continue;
			}
			ours++;
		}
		if (in->off > max_off)
			max_off = in->off;
	}
	if (named && !ours) {
		snprintf(why, n, "the dis text is of %.64s, not " SPIN_FUNC,
			 esc(other));
		return 0;
	}
	if (fn_len && max_off >= (long)fn_len) {
		snprintf(why, n,
			 "not this log's build: the dis text reaches +0x%lx, "
			 "the log's " SPIN_FUNC " is 0x%lx long", max_off,
			 fn_len);
		return 0;
	}
	return 1;
}

/*
 * Decode the loop from @dis_text for a PC at @pc_off of netdev_pick_tx.
 * @full: the text is the whole function (a contradiction is then final).
 */
static void decode_text(const char *text, size_t len, int full,
			const struct oc_arch *arch, unsigned long pc_off,
			unsigned long fn_len, struct decode *dc)
{
	struct oc_disasm d;

	oc_disasm_init(&d);
	dc->tried = 1;
	dc->full = full;
	dc->pc_off = (long)pc_off;
	if (oc_disasm_parse(&d, text, len) < 0) {
		snprintf(dc->note, sizeof(dc->note), "out of memory");
		goto out;
	}
	if (!d.n) {
		snprintf(dc->note, sizeof(dc->note),
			 "no instructions in the disassembly (%zu lines not understood)",
			 d.n_bad);
		goto out;
	}
	if (!dis_fits(&d, arch, guess_arch(&d), full ? 0 : fn_len, dc->note,
		      sizeof(dc->note)))
		goto out;
	if (!arch)
		arch = guess_arch(&d);
	dc->arch = arch;
	/* arm64 gdb `<+off>` listings start 8 bytes into the symbol */
	if (!full && arch == &oc_arch_arm64 && gdb_relative(&d) &&
	    pc_off >= 8 && has_off(&d, (long)pc_off - 8))
		dc->pc_off = (long)pc_off - 8;
	dc->ret = oc_loop_find(arch, d.insns, d.n, dc->pc_off, &dc->loop);
	if (dc->ret == 0) {
		dc->method = full ? M_VMLINUX : M_DISASM;
		goto out;
	}
	if (dc->ret < 0) {
		snprintf(dc->note, sizeof(dc->note), "out of memory");
		goto out;
	}
	snprintf(dc->note, sizeof(dc->note), "%s", dc->loop.why);
	if (full)
		goto out;
	/* a partial excerpt: decode from the subtraction, say so */
	{
		struct oc_loop sub;
		int r = oc_loop_find_sub(arch, d.insns, d.n, dc->pc_off, &sub);

		if (r == 0) {
			snprintf(dc->note, sizeof(dc->note),
				 "the loop does not close in the excerpt (%s); "
				 "registers from the subtraction at +0x%lx only",
				 dc->loop.why, sub.sub_off);
			dc->loop = sub;
			dc->ret = 0;
			dc->method = M_DISASM_SUB;
		} else {
			oc_appendf(dc->note, sizeof(dc->note), "%s", sub.why);
		}
	}
out:
	/* src_file points into d's strings, freed below: keep a copy */
	if (dc->loop.src_file) {
		static char file[256];

		oc_strlcpy(file, dc->loop.src_file, sizeof(file));
		dc->loop.src_file = file;
	}
	oc_disasm_free(&d);
}

static int hexbyte(const char *p, int ndig, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < ndig; i++) {
		int c = (unsigned char)p[i];

		if (c >= '0' && c <= '9')
			*v = (*v << 4) | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v = (*v << 4) | (uint32_t)(c - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

/*
 * Bytes of one `Code:` line: x86 `0f b7 ... <29> c2 ...` (the byte in <>
 * is the PC), arm64 `d503201f ... (4b190042)` (little-endian words, the
 * one in () is the PC).  Returns the byte count, 0 if the line is not
 * such a line; *pc_index is the PC's index in @out.
 */
static size_t parse_code(const char *p, const char *arch, unsigned char *out,
			 size_t max, size_t *pc_index)
{
	int x86 = !strcmp(arch, "x86_64");
	int ndig = x86 ? 2 : 8, have_pc = 0;
	size_t n = 0;

	*pc_index = 0;
	while (*p) {
		char open = 0, close = 0;
		uint32_t v;
		int k;

		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			break;
		if (*p == '<' || *p == '(') {
			open = *p++;
			close = open == '<' ? '>' : ')';
		}
		if (hexbyte(p, ndig, &v) < 0)
			return 0;
		p += ndig;
		if (close) {
			if (*p++ != close || have_pc)
				return 0;
			if ((x86 && open != '<') || (!x86 && open != '('))
				return 0;
			have_pc = 1;
			*pc_index = n;
		}
		if (*p && *p != ' ' && *p != '\t' && *p != '\r')
			return 0;
		for (k = 0; k < (x86 ? 1 : 4); k++) {
			if (n >= max)
				return 0;
			out[n++] = (unsigned char)(v >> (8 * k));
		}
	}
	return have_pc ? n : 0;
}

/* The `Code:` line following report @r's register dump, if any. */
static size_t find_code(const char *text, size_t len,
			const struct oc_panic_report *r, const char *arch,
			unsigned char *out, size_t max, size_t *pc_index)
{
	const char *p = text, *end = text + len;
	size_t line = 0, first = r->have_regs ? r->regs.line_no : r->line_no;

	while (p < end && line < first + 80) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char buf[1024];
		const char *c;

		line++;
		if (line >= first && l < sizeof(buf)) {
			memcpy(buf, p, l);
			buf[l] = '\0';
			c = strstr(buf, "Code: ");
			if (c) {
				size_t n = parse_code(c + 6, arch, out, max,
						      pc_index);
				if (n)
					return n;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static int reg_value(const struct oc_panic_report *r, const char *reg,
		     uint64_t *v)
{
	if (!r->have_regs || !reg || !reg[0])
		return 0;
	return oc_regdump_get(&r->regs, reg, v) == 0;
}

/* The low 32 bits: hash, qcount and qoffset are u32/u16 in C. */
static int reg_value32(const struct oc_panic_report *r, const char *reg,
		       uint64_t *v)
{
	if (!reg_value(r, reg, v))
		return 0;
	*v = (uint32_t)*v;
	return 1;
}

/* Fill findings from the log and the decode; the verdict's input. */
static void fill_findings(struct oc_findings *f,
			  const struct oc_panic_list *pl,
			  const struct oc_panic_report *r, int any_where,
			  const struct decode *dc)
{
	char src[96];
	uint64_t v;

	oc_findings_init(f);
	oc_findings_panic(f, pl);
	if (!r) {
		f->have_spin_frame = any_where ? 0 : OC_UNKNOWN;
		return;
	}
	f->have_spin_frame = 1;
	f->cpu = r->cpu;
	oc_strlcpy(f->pc_sym, SPIN_FUNC, sizeof(f->pc_sym));
	{
		unsigned long off, len;

		pc_of(r, &off, &len);
		f->pc_off = off;
	}
	snprintf(src, sizeof(src), "log call trace (line %zu)", r->line_no);
	oc_findings_path(f, r->frames, r->nframes, src, "");
	if (dc->method == M_VMLINUX || dc->method == M_DISASM ||
	    dc->method == M_CODE)
		f->pc_in_loop = 1;
	else if (dc->tried && dc->full && dc->ret == 1)
		f->pc_in_loop = 0;
	if (!dc->loop.found)
		return;
	oc_strlcpy(f->hash_reg, dc->loop.hash_reg, sizeof(f->hash_reg));
	oc_strlcpy(f->qcount_reg, dc->loop.qcount_reg, sizeof(f->qcount_reg));
	/* hash and qcount are u32 in C; the loop works on 32-bit halves */
	if (reg_value(r, dc->loop.hash_reg, &v)) {
		f->hash = (uint32_t)v;
		f->hash_valid = 1;
	}
	if (reg_value(r, dc->loop.qcount_reg, &v)) {
		f->qcount = (uint32_t)v;
		f->qcount_valid = 1;
	}
	if (dc->loop.ndev_regs && reg_value(r, dc->loop.dev_regs[0], &v)) {
		f->dev_addr = v;
		f->dev_valid = 1;
	}
}

static void add_caveat(struct oc_verdict *v, int penalty, const char *fmt,
		       ...) __attribute__((format(printf, 3, 4)));

static void add_caveat(struct oc_verdict *v, int penalty, const char *fmt,
		       ...)
{
	va_list ap;

	if (v->kind != OC_V_UNKNOWN) {
		v->confidence -= penalty;
		if (v->confidence < 5)
			v->confidence = 5;
	}
	if (v->ncaveats >= OC_MAX_CAVEATS)
		return;
	va_start(ap, fmt);
	vsnprintf(v->caveats[v->ncaveats++], sizeof(v->caveats[0]), fmt, ap);
	va_end(ap);
}

/* Caveats only a log-only triage has. */
static void log_caveats(struct oc_verdict *v, const struct decode *dc,
			const struct oc_findings *f)
{
	if (v->kind != OC_V_OVS_PICKTX_LOCKUP &&
	    v->kind != OC_V_PICKTX_SPIN_OTHER)
		return;
	if (dc->method == M_DISASM_SUB || dc->method == M_CODE_SUB)
		add_caveat(v, 10,
			   "registers from the subtraction at +0x%lx only: the "
			   "%s lacks the loop's compare", dc->loop.sub_off,
			   dc->method == M_CODE_SUB ? "Code: line" : "excerpt");
	if (dc->method == M_CODE || dc->method == M_CODE_SUB)
		add_caveat(v, 5,
			   "registers decoded from the oops Code: bytes, no "
			   "vmlinux or dis text: no prologue, dev register unknown");
	else if (dc->method == M_NONE && dc->tried)
		add_caveat(v, 0, "disassembly not used: %.120s", dc->note);
	else if (dc->method == M_NONE)
		add_caveat(v, 0,
			   "no disassembly (--vmlinux/--disasm): hash/qcount "
			   "registers not identified");
	if (f->dev_valid)
		add_caveat(v, 0,
			   "log only: the device at %#llx was not read (no memory)",
			   (unsigned long long)f->dev_addr);
}

static const char *src_pos(const struct oc_loop *lp, char *buf, size_t n)
{
	const char *base;

	if (!lp->src_file || lp->src_line <= 0) {
		oc_strlcpy(buf, "", n);
		return buf;
	}
	base = strrchr(lp->src_file, '/');
	snprintf(buf, n, "%s:%d", esc(base ? base + 1 : lp->src_file),
		 lp->src_line);
	return buf;
}

/* ---- output ---- */

static struct json_object *jstr(const char *raw)
{
	return raw ? json_object_new_string(esc(raw)) : NULL;
}

static struct json_object *jhex(uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%llx", (unsigned long long)v);
	return json_object_new_string(b);
}

static void frame_text(const struct oc_frame *fr, char *buf, size_t n)
{
	char sym[ESC_MAX], mod[ESC_MAX];

	oc_strlcpy(sym, esc(fr->sym), sizeof(sym));
	oc_strlcpy(mod, esc(fr->mod), sizeof(mod));
	if (fr->len)
		snprintf(buf, n, "%.300s+0x%lx/0x%lx%s%.100s%s", sym, fr->off,
			 fr->len, mod[0] ? " [" : "", mod, mod[0] ? "]" : "");
	else
		snprintf(buf, n, "%.300s+0x%lx%s%.100s%s", sym, fr->off,
			 mod[0] ? " [" : "", mod, mod[0] ? "]" : "");
}

static struct json_object *report_json(const struct oc_panic_report *r,
				       int primary)
{
	struct json_object *o = json_object_new_object();
	char bucket[17], desc[512], where[512];

	oc_panic_bucket(r, bucket, desc, sizeof(desc));
	json_object_object_add(o, "kind",
			       json_object_new_string(oc_panic_kind_name(r->kind)));
	json_object_object_add(o, "line", json_object_new_int64((int64_t)r->line_no));
	json_object_object_add(o, "cpu", r->cpu >= 0 ?
			       json_object_new_int(r->cpu) : NULL);
	json_object_object_add(o, "pid", r->pid >= 0 ?
			       json_object_new_int(r->pid) : NULL);
	json_object_object_add(o, "comm", r->comm[0] ? jstr(r->comm) : NULL);
	if (r->have_where) {
		frame_text(&r->where, where, sizeof(where));
		json_object_object_add(o, "where", json_object_new_string(where));
		json_object_object_add(o, "where_source", jstr(r->where_source));
	} else {
		json_object_object_add(o, "where", NULL);
		json_object_object_add(o, "where_source", NULL);
	}
	json_object_object_add(o, "message", jstr(r->message));
	json_object_object_add(o, "bucket", json_object_new_string(bucket));
	json_object_object_add(o, "bucket_functions", jstr(desc));
	json_object_object_add(o, "frames", json_object_new_int(r->nframes));
	json_object_object_add(o, "has_registers",
			       json_object_new_boolean(r->have_regs));
	json_object_object_add(o, "caused_panic",
			       json_object_new_boolean(primary));
	return o;
}

static struct json_object *decode_json(const struct decode *dc,
				       const struct oc_panic_report *r)
{
	struct json_object *o = json_object_new_object();
	const struct oc_loop *lp = &dc->loop;
	char b[128];
	uint64_t v;

	json_object_object_add(o, "method",
			       json_object_new_string(method_names[dc->method]));
	json_object_object_add(o, "source", dc->source[0] ?
			       json_object_new_string(dc->source) : NULL);
	json_object_object_add(o, "arch", dc->arch ?
			       json_object_new_string(dc->arch->name) : NULL);
	json_object_object_add(o, "pc_offset", dc->tried ?
			       json_object_new_int64(dc->pc_off) : NULL);
	json_object_object_add(o, "loop_verified",
			       json_object_new_boolean(dc->method == M_VMLINUX ||
						       dc->method == M_DISASM ||
						       dc->method == M_CODE));
	json_object_object_add(o, "note", dc->note[0] ?
			       json_object_new_string(dc->note) : NULL);
	if (!lp->found)
		return o;
	json_object_object_add(o, "hash_reg", json_object_new_string(lp->hash_reg));
	json_object_object_add(o, "qcount_reg", json_object_new_string(lp->qcount_reg));
	json_object_object_add(o, "qoffset_reg", lp->qoffset_reg[0] ?
			       json_object_new_string(lp->qoffset_reg) : NULL);
	json_object_object_add(o, "dev_reg", lp->ndev_regs ?
			       json_object_new_string(lp->dev_regs[0]) : NULL);
	json_object_object_add(o, "skb_reg", lp->nskb_regs ?
			       json_object_new_string(lp->skb_regs[0]) : NULL);
	json_object_object_add(o, "hash", reg_value32(r, lp->hash_reg, &v) ?
			       jhex(v) : NULL);
	json_object_object_add(o, "qcount", reg_value32(r, lp->qcount_reg, &v) ?
			       jhex(v) : NULL);
	json_object_object_add(o, "qoffset", reg_value32(r, lp->qoffset_reg, &v) ?
			       jhex(v) : NULL);
	json_object_object_add(o, "dev", lp->ndev_regs &&
			       reg_value(r, lp->dev_regs[0], &v) ? jhex(v) : NULL);
	json_object_object_add(o, "sub_offset", json_object_new_int64(lp->sub_off));
	json_object_object_add(o, "cmp_offset", lp->cmp_off >= 0 ?
			       json_object_new_int64(lp->cmp_off) : NULL);
	json_object_object_add(o, "loop_start", lp->loop_start_off >= 0 ?
			       json_object_new_int64(lp->loop_start_off) : NULL);
	json_object_object_add(o, "loop_end", lp->loop_end_off >= 0 ?
			       json_object_new_int64(lp->loop_end_off) : NULL);
	src_pos(lp, b, sizeof(b));
	json_object_object_add(o, "sub_source", b[0] ?
			       json_object_new_string(b) : NULL);
	return o;
}

static void print_decode_text(const struct decode *dc,
			      const struct oc_panic_report *r)
{
	const struct oc_loop *lp = &dc->loop;
	char b[128];
	uint64_t v;

	if (!dc->tried) {
		printf("  DECODE: none (no --vmlinux or --disasm): registers "
		       "not assigned to hash/qcount\n");
		return;
	}
	printf("  DECODE: %s, from %s\n", method_names[dc->method],
	       dc->source);
	if (!lp->found) {
		printf("    not decoded: %s\n", dc->note);
		return;
	}
	src_pos(lp, b, sizeof(b));
	if (lp->cmp_off >= 0)
		printf("    loop +0x%lx..+0x%lx, sub at +0x%lx%s%s%s, cmp at +0x%lx\n",
		       lp->loop_start_off, lp->loop_end_off, lp->sub_off,
		       b[0] ? " (" : "", b, b[0] ? ")" : "", lp->cmp_off);
	else
		printf("    sub at +0x%lx%s%s%s; %s\n", lp->sub_off,
		       b[0] ? " (" : "", b, b[0] ? ")" : "", dc->note);
	printf("    hash %s", lp->hash_reg);
	if (reg_value32(r, lp->hash_reg, &v))
		printf(" = %#llx", (unsigned long long)v);
	printf("   qcount %s", lp->qcount_reg);
	if (reg_value32(r, lp->qcount_reg, &v))
		printf(" = %#llx", (unsigned long long)v);
	if (lp->qoffset_reg[0]) {
		printf("   qoffset %s", lp->qoffset_reg);
		if (reg_value32(r, lp->qoffset_reg, &v))
			printf(" = %#llx", (unsigned long long)v);
	}
	if (lp->ndev_regs) {
		printf("   dev %s", lp->dev_regs[0]);
		if (reg_value(r, lp->dev_regs[0], &v))
			printf(" = %#llx", (unsigned long long)v);
	}
	printf("\n");
}

static void print_reports_text(const struct oc_panic_list *pl)
{
	size_t i;

	printf("  REPORTS: %zu\n", pl->n);
	for (i = 0; i < pl->n; i++) {
		const struct oc_panic_report *r = &pl->v[i];
		char bucket[17], where[512], cpu[16];

		oc_panic_bucket(r, bucket, NULL, 0);
		if (r->have_where)
			frame_text(&r->where, where, sizeof(where));
		else
			oc_strlcpy(where, "?", sizeof(where));
		if (r->cpu >= 0)
			snprintf(cpu, sizeof(cpu), "%d", r->cpu);
		else
			oc_strlcpy(cpu, "?", sizeof(cpu));
		printf("    #%zu %-12s line %-6zu CPU %-3s at %s  bucket %s%s\n",
		       i + 1, oc_panic_kind_name(r->kind), r->line_no, cpu,
		       where, bucket,
		       (long)i == pl->primary ? "  (caused the panic)" : "");
	}
}

/* ---- one file ---- */

struct run {
	struct opts o;
	char *dis_text;		/* --disasm file */
	size_t dis_len;
	struct json_object *files;
	int status;
};

/*
 * Where decoding the Code: bytes can start.  arm64: the first word.
 * x86: instruction boundaries before the PC are unknown, except where an
 * instruction decoded from the PC on branches back: the CPU starts
 * instructions there.  The farthest such target whose decoding lands
 * exactly on the PC is taken; else the PC itself.
 */
static size_t code_start(const struct oc_arch *arch,
			 const unsigned char *bytes, size_t n, size_t pci,
			 unsigned long pc_off)
{
	struct oc_vmdis vd;
	struct oc_disasm d;
	char err[160];
	size_t i, best = pci;
	uint64_t base = pc_off - pci;	/* offset of bytes[0] */

	if (arch != &oc_arch_x86_64)
		return 0;
	if (oc_vmdis_bytes(arch->name, bytes + pci, n - pci, pc_off, SPIN_FUNC,
			   0, &vd, err, sizeof(err)) < 0)
		return pci;
	oc_disasm_init(&d);
	if (oc_disasm_parse(&d, vd.text, vd.len) == 0) {
		for (i = 0; i < d.n; i++) {
			uint64_t t = d.insns[i].branch_target;
			struct oc_vmdis v2;
			struct oc_disasm d2;

			if (!d.insns[i].has_target || t < base || t >= pc_off ||
			    t - base >= best)
				continue;
			if (oc_vmdis_bytes(arch->name, bytes + (t - base),
					   n - (t - base), t, SPIN_FUNC, 0, &v2,
					   err, sizeof(err)) < 0)
				continue;
			oc_disasm_init(&d2);
			if (oc_disasm_parse(&d2, v2.text, v2.len) == 0 &&
			    oc_disasm_find_addr(&d2, pc_off) >= 0)
				best = (size_t)(t - base);
			oc_disasm_free(&d2);
			oc_vmdis_free(&v2);
		}
	}
	oc_disasm_free(&d);
	oc_vmdis_free(&vd);
	return best;
}

/* Decode from the oops `Code:` bytes around the PC. */
static void decode_code(const char *text, size_t len,
			const struct oc_panic_report *r,
			const struct oc_arch *arch, unsigned long pc_off,
			struct decode *dc)
{
	unsigned char bytes[256];
	struct oc_vmdis vd;
	struct decode cd;
	char err[160];
	size_t n, pci, from;

	n = find_code(text, len, r, arch->name, bytes, sizeof(bytes), &pci);
	if (!n)
		return;
	if (pci > pc_off) {	/* bytes before the function: drop them */
		memmove(bytes, bytes + (pci - pc_off), n - (pci - pc_off));
		n -= pci - pc_off;
		pci = pc_off;
	}
	from = code_start(arch, bytes, n, pci, pc_off);
	if (oc_vmdis_bytes(arch->name, bytes + from, n - from,
			   pc_off - (pci - from), SPIN_FUNC, 0, &vd, err,
			   sizeof(err)) < 0) {
		oc_appendf(dc->note, sizeof(dc->note), "Code: bytes: %s", err);
		return;
	}
	memset(&cd, 0, sizeof(cd));
	decode_text(vd.text, vd.len, 0, arch, pc_off, 0, &cd);
	if (cd.loop.found) {
		char prev[sizeof(dc->note)];

		oc_strlcpy(prev, dc->note, sizeof(prev));
		cd.method = cd.method == M_DISASM ? M_CODE : M_CODE_SUB;
		snprintf(cd.source, sizeof(cd.source),
			 "the report's Code: line (PC-%zu..PC+%zu, %s)",
			 pci - from, n - pci, vd.disassembler);
		if (prev[0])
			oc_appendf(cd.note, sizeof(cd.note), "before: %.100s",
				   prev);
		*dc = cd;
	} else {
		oc_appendf(dc->note, sizeof(dc->note), "Code: bytes: %.120s",
			   cd.note);
	}
	oc_vmdis_free(&vd);
}

static void decode_for(struct run *rn, const struct oc_panic_report *r,
		       const char *text, size_t textlen, struct decode *dc)
{
	const struct oc_arch *arch = NULL;
	unsigned long off, len;

	memset(dc, 0, sizeof(*dc));
	if (!r)
		return;
	pc_of(r, &off, &len);
	if (r->have_regs)
		arch = oc_arch_by_name(r->regs.arch);
	if (rn->o.vmlinux) {
		struct oc_vmdis vd;
		char err[256];

		snprintf(dc->source, sizeof(dc->source), "vmlinux %.300s",
			 esc(rn->o.vmlinux));
		if (oc_vmdis_function(rn->o.vmlinux, SPIN_FUNC, len, &vd, err,
				      sizeof(err)) < 0) {
			dc->tried = 1;
			dc->full = 0;
			snprintf(dc->note, sizeof(dc->note), "%s", esc(err));
			fprintf(stderr, PROG ": %s: %s\n", esc(rn->o.vmlinux),
				esc(err));
			rn->status = 1;
			return;
		}
		snprintf(dc->source, sizeof(dc->source),
			 "vmlinux %.300s (%s, %s at %#llx, %llu bytes)",
			 esc(rn->o.vmlinux), vd.disassembler, vd.arch,
			 (unsigned long long)vd.start,
			 (unsigned long long)vd.size);
		if (arch && strcmp(arch->name, vd.arch)) {
			dc->tried = 1;
			snprintf(dc->note, sizeof(dc->note),
				 "not this log's vmlinux: the log is %s, the "
				 "vmlinux %s", arch->name, vd.arch);
		} else if (len && (vd.size > len || len - vd.size >= 64)) {
			/* kallsyms' length runs to the next symbol */
			dc->tried = 1;
			snprintf(dc->note, sizeof(dc->note),
				 "not this log's vmlinux: its %s is 0x%llx "
				 "bytes, the log's 0x%lx", SPIN_FUNC,
				 (unsigned long long)vd.size, len);
		} else {
			decode_text(vd.text, vd.len, 1,
				    oc_arch_by_name(vd.arch), off, 0, dc);
		}
		oc_vmdis_free(&vd);
	} else if (rn->dis_text) {
		snprintf(dc->source, sizeof(dc->source), "dis text %.300s",
			 esc(rn->o.disasm));
		decode_text(rn->dis_text, rn->dis_len, 0, arch, off, len, dc);
	}
	/* a whole function that puts the PC outside the loop is final */
	if (!dc->loop.found && !(dc->full && dc->ret == 1) && arch)
		decode_code(text, textlen, r, arch, off, dc);
}

static void do_file(struct run *rn, const char *path)
{
	struct oc_panic_list pl;
	const struct oc_panic_report *r;
	struct oc_findings f;
	struct oc_verdict v;
	struct decode dc;
	char err[256], warn[160];
	size_t len = 0, i;
	int any_where;
	char *text;

	text = read_file(path, &len, err, sizeof(err));
	if (!text) {
		fprintf(stderr, PROG ": %s: %s\n", esc(path), err);
		rn->status = 1;
		if (rn->files) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "file", jstr(path));
			json_object_object_add(o, "error", jstr(err));
			json_object_array_add(rn->files, o);
		}
		return;
	}
	text_check(text, len, warn, sizeof(warn));
	if (warn[0])
		fprintf(stderr, PROG ": %s: %s, no kernel log\n", esc(path),
			warn);
	memset(&pl, 0, sizeof(pl));
	pl.primary = -1;
	if (oc_panic_parse(text, len, &pl) < 0)
		fprintf(stderr, PROG ": %s: out of memory, reports cut\n",
			esc(path));
	r = spin_report(&pl, &any_where);
	decode_for(rn, r, text, len, &dc);
	fill_findings(&f, &pl, r, any_where, &dc);
	oc_verdict_decide(&f, &v);
	log_caveats(&v, &dc, &f);

	if (rn->files) {
		struct json_object *o = json_object_new_object();
		struct json_object *reps = json_object_new_array();

		json_object_object_add(o, "file", jstr(path));
		json_object_object_add(o, "warning", warn[0] ?
				       json_object_new_string(warn) : NULL);
		for (i = 0; i < pl.n; i++)
			json_object_array_add(reps,
				report_json(&pl.v[i], (long)i == pl.primary));
		json_object_object_add(o, "reports", reps);
		json_object_object_add(o, "panic_message", pl.panic_message[0] ?
				       jstr(pl.panic_message) : NULL);
		json_object_object_add(o, "spin_report", r ?
			json_object_new_int64((int64_t)(r - pl.v) + 1) : NULL);
		json_object_object_add(o, "decode", decode_json(&dc, r));
		oc_verdict_json(o, &f, &v);
		json_object_array_add(rn->files, o);
	} else {
		printf("FILE: %s\n", esc(path));
		if (warn[0])
			printf("  WARNING: %s\n", warn);
		print_reports_text(&pl);
		if (r)
			print_decode_text(&dc, r);
		printf("\n");
		oc_verdict_text(stdout, &f, &v);
		printf("\n");
	}
	oc_panic_list_free(&pl);
	free(text);
}

/* --print-disasm: the text the decoder reads, for checks against objdump */
static int print_disasm(struct run *rn, const char *log)
{
	unsigned long off = 0, len = 0;
	struct oc_vmdis vd;
	char err[256];

	if (log) {
		struct oc_panic_list pl;
		const struct oc_panic_report *r;
		size_t n;
		int any;
		char *t = read_file(log, &n, err, sizeof(err));

		if (!t) {
			fprintf(stderr, PROG ": %s: %s\n", esc(log), err);
			return 1;
		}
		memset(&pl, 0, sizeof(pl));
		oc_panic_parse(t, n, &pl);
		r = spin_report(&pl, &any);
		if (r)
			pc_of(r, &off, &len);
		oc_panic_list_free(&pl);
		free(t);
	}
	if (oc_vmdis_function(rn->o.vmlinux, SPIN_FUNC, len, &vd, err,
			      sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s: %s\n", esc(rn->o.vmlinux), esc(err));
		return 1;
	}
	fwrite(vd.text, 1, vd.len, stdout);
	oc_vmdis_free(&vd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "vmlinux", required_argument, NULL, 'v' },
		{ "disasm", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "print-disasm", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	struct run rn;
	char err[256];
	int c, i;

	memset(&rn, 0, sizeof(rn));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jh", lo, NULL)) != -1) {
		switch (c) {
		case 'v':
			rn.o.vmlinux = optarg;
			break;
		case 'd':
			rn.o.disasm = optarg;
			break;
		case 'j':
			rn.o.json = 1;
			break;
		case 'P':
			rn.o.print_disasm = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf(PROG " %s\n", OVSCRASH_VERSION);
			return 0;
		default:
			fprintf(stderr, PROG ": unknown option %s\n",
				esc(argv[optind - 1]));
			usage(stderr);
			return 2;
		}
	}
	if (rn.o.vmlinux && rn.o.disasm) {
		fprintf(stderr, PROG ": give --vmlinux or --disasm, not both\n");
		usage(stderr);
		return 2;
	}
	if (rn.o.print_disasm) {
		if (!rn.o.vmlinux || argc - optind > 1) {
			fprintf(stderr, PROG ": --print-disasm needs --vmlinux and at most one LOGFILE\n");
			return 2;
		}
		return print_disasm(&rn, optind < argc ? argv[optind] : NULL);
	}
	if (optind >= argc) {
		fprintf(stderr, PROG ": no LOGFILE\n");
		usage(stderr);
		return 2;
	}
	if (rn.o.vmlinux && access(rn.o.vmlinux, R_OK) < 0) {
		fprintf(stderr, PROG ": %s: %s\n", esc(rn.o.vmlinux),
			strerror(errno));
		return 1;
	}
	if (rn.o.disasm) {
		rn.dis_text = read_file(rn.o.disasm, &rn.dis_len, err,
					sizeof(err));
		if (!rn.dis_text) {
			fprintf(stderr, PROG ": %s: %s\n", esc(rn.o.disasm), err);
			return 1;
		}
	}
	if (rn.o.json)
		rn.files = json_object_new_array();
	for (i = optind; i < argc; i++)
		do_file(&rn, argv[i]);
	if (rn.o.json) {
		struct json_object *doc = json_object_new_object();

		json_object_object_add(doc, "command",
				       json_object_new_string(PROG));
		json_object_object_add(doc, "version",
				       json_object_new_string(OVSCRASH_VERSION));
		json_object_object_add(doc, "files", rn.files);
		printf("%s\n", json_object_to_json_string_ext(doc,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
	}
	free(rn.dis_text);
	return rn.status;
}
