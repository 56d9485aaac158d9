// SPDX-License-Identifier: GPL-2.0
/*
 * disasm.c - parse crash `dis` / gdb `disassemble` text.
 *
 * Accepted instruction lines (leading blanks and a gdb `=>` marker are
 * skipped):
 *	0xffffffff81a2b3cd <netdev_pick_tx+621>:\tsub    %eax,%edx
 *	0xffff800008a1b2c4 <netdev_pick_tx+0x27c>:\tsub\tw2, w2, w25
 *	0xffffffff81a2b160 <+0>:\tnopl 0x0(%rax,%rax,1)
 *	0xffffffff81a2b160:\tpush   %r15
 * Source lines printed by `dis -l`:
 *	/build/linux-xyz/net/core/dev.c: 3294
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "disasm.h"
#include "strutil.h"

#define LINE_MAX_LEN	512
#define OFF_UNKNOWN	LONG_MIN

void oc_disasm_init(struct oc_disasm *d)
{
	memset(d, 0, sizeof(*d));
}

void oc_disasm_free(struct oc_disasm *d)
{
	size_t i;

	for (i = 0; i < d->nstrs; i++)
		free(d->strs[i]);
	free(d->strs);
	free(d->insns);
	memset(d, 0, sizeof(*d));
}

static const char *intern(struct oc_disasm *d, const char *s, size_t len)
{
	size_t i;
	char *p;

	for (i = 0; i < d->nstrs; i++)
		if (strlen(d->strs[i]) == len && !memcmp(d->strs[i], s, len))
			return d->strs[i];
	if (d->nstrs == d->capstrs) {
		size_t ncap = d->capstrs ? d->capstrs * 2 : 8;
		char **n = realloc(d->strs, ncap * sizeof(*n));

		if (!n)
			return NULL;
		d->strs = n;
		d->capstrs = ncap;
	}
	p = malloc(len + 1);
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	d->strs[d->nstrs++] = p;
	return p;
}

static int parse_number(const char *s, size_t len, long *out)
{
	unsigned long v = 0;
	size_t i = 0;
	int base = 10;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		int c = (unsigned char)s[i], dv;

		if (isdigit(c))
			dv = c - '0';
		else if (base == 16 && isxdigit(c))
			dv = tolower(c) - 'a' + 10;
		else
			return -1;
		if (v > (ULONG_MAX - (unsigned long)dv) / (unsigned long)base)
			return -1;
		v = v * (unsigned long)base + (unsigned long)dv;
	}
	if (v > LONG_MAX)
		return -1;
	*out = (long)v;
	return 0;
}

static int parse_hex_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i == len || len - i > 16)
		return -1;
	for (; i < len; i++) {
		int c = (unsigned char)s[i];

		if (!isxdigit(c))
			return -1;
		v = (v << 4) | (uint64_t)(isdigit(c) ? c - '0' :
					  tolower(c) - 'a' + 10);
	}
	*out = v;
	return 0;
}

int oc_parse_symoff(const char *s, size_t len, char *sym, size_t symsz,
		    long *off)
{
	const char *plus = NULL;
	size_t i, symlen;

	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!len)
		return -1;
	for (i = 0; i < len; i++) {
		if (isspace((unsigned char)s[i]))
			return -1;
		if (s[i] == '+')
			plus = s + i;
	}
	*off = 0;
	symlen = len;
	if (plus) {
		size_t nlen = len - (size_t)(plus - s) - 1;

		if (parse_number(plus + 1, nlen, off) < 0)
			return -1;
		symlen = (size_t)(plus - s);
	} else if (s[0] == '+' || s[0] == '-') {
		return -1;
	}
	if (symsz) {
		if (symlen >= symsz)
			return -1;
		memcpy(sym, s, symlen);
		sym[symlen] = '\0';
	}
	if (!plus && !symlen)
		return -1;
	return 0;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static void rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* `path: 1234` as printed by crash `dis -l`; returns 1 if it is one. */
static int parse_src_line(struct oc_disasm *d, const char *p,
			  const char **file, int *line)
{
	const char *colon = strrchr(p, ':');
	const char *q;
	long v;

	if (!colon || colon == p || colon[1] != ' ')
		return 0;
	for (q = p; q < colon; q++)
		if (isspace((unsigned char)*q))
			return 0;
	if (!memchr(p, '/', (size_t)(colon - p)) &&
	    !memchr(p, '.', (size_t)(colon - p)))
		return 0;
	q = skip_ws(colon + 1);
	if (parse_number(q, strlen(q), &v) < 0 || q[0] == '0' || v > INT_MAX)
		return 0;
	*file = intern(d, p, (size_t)(colon - p));
	if (!*file)
		return -1;
	*line = (int)v;
	return 1;
}

/* Cut gdb comments: x86 `  # 0xffff... <sym>` and `//` forms. */
static void strip_comment(char *s)
{
	char *p;

	for (p = s; *p; p++) {
		if (p[0] == '/' && p[1] == '/') {
			*p = '\0';
			break;
		}
		if (p[0] == '#' && p > s && isspace((unsigned char)p[-1]) &&
		    (p[1] == '\0' || isspace((unsigned char)p[1]))) {
			*p = '\0';
			break;
		}
	}
	rtrim(s);
}

/*
 * Skip raw instruction bytes (gdb /r): `0f 1f 44 00 00\t`, `c3\tret` or
 * `d503201f\t`.  A single two-digit token is only taken as a byte when
 * what follows has no comma (so `dc\tcivac, x0` stays an instruction).
 */
static const char *skip_raw_bytes(const char *p)
{
	const char *tab = strchr(p, '\t');
	const char *q, *rest;
	int tokens = 0, toklen = 0, all2 = 1, len8 = 0;

	if (!tab || tab == p)
		return p;
	for (q = p; q <= tab; q++) {
		if (*q == ' ' || q == tab) {
			if (toklen) {
				tokens++;
				if (toklen != 2)
					all2 = 0;
				if (toklen == 8)
					len8 = 1;
			}
			toklen = 0;
			continue;
		}
		if (!isxdigit((unsigned char)*q))
			return p;
		toklen++;
	}
	rest = skip_ws(tab);
	if (!*rest)
		return p;
	if ((tokens >= 2 && all2) || (tokens == 1 && len8) ||
	    (tokens == 1 && all2 && !strchr(rest, ',')))
		return rest;
	return p;
}

static int is_word_char(int c)
{
	return isalnum(c) || c == '_' || c == '.';
}

static int copy_trunc(char *dst, size_t dstsz, const char *src, size_t len)
{
	int cut = 0;

	if (len >= dstsz) {
		len = dstsz - 1;
		cut = 1;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
	return cut;
}

/*
 * Split @s on commas that are not nested in (), [], {} or <>.  A trailing
 * `<sym+off>` annotation of an operand is removed and, for the last
 * operand, remembered as the branch target's symbol.
 */
static int split_operands(struct oc_disasm *d, struct oc_insn *in, char *s)
{
	char *start = s, *p;
	int depth = 0;

	in->nops = 0;
	if (!*s)
		return 0;
	for (p = s;; p++) {
		char c = *p;

		if (c == '(' || c == '[' || c == '{' || c == '<') {
			depth++;
		} else if ((c == ')' || c == ']' || c == '}' || c == '>') &&
			   depth > 0) {
			depth--;
		} else if ((c == ',' && depth == 0 &&
			    in->nops < OC_OPS_MAX - 1) || c == '\0') {
			char *b = (char *)skip_ws(start), *e = p;
			char *lt;

			while (e > b && isspace((unsigned char)e[-1]))
				e--;
			/* `0xaddr <sym+off>`: keep the address only */
			lt = NULL;
			if (e > b && e[-1] == '>') {
				char *q;

				for (q = e - 1; q > b; q--)
					if (*q == '<')
						break;
				if (*q == '<' && q > b &&
				    isspace((unsigned char)q[-1]))
					lt = q;
			}
			in->target_func = NULL;
			if (lt) {
				char sym[128];
				long off;

				if (!oc_parse_symoff(lt + 1,
						     (size_t)(e - 1 - lt - 1),
						     sym, sizeof(sym), &off) &&
				    sym[0]) {
					in->target_func = intern(d, sym,
								 strlen(sym));
					if (!in->target_func)
						return -1;
					in->target_off = off;
				}
				e = lt;
				while (e > b && isspace((unsigned char)e[-1]))
					e--;
			}
			in->truncated |= copy_trunc(in->ops[in->nops],
						    OC_OP_MAX, b,
						    (size_t)(e - b));
			in->nops++;
			if (c == '\0')
				break;
			start = p + 1;
		}
	}
	return 0;
}

static int parse_insn_text(struct oc_disasm *d, struct oc_insn *in,
			   const char *text)
{
	char buf[LINE_MAX_LEN];
	char *p, *m;
	size_t mlen;

	oc_strlcpy(buf, text, sizeof(buf));
	strip_comment(buf);
	p = (char *)skip_ws(buf);
	if (!*p)
		return 0;
	/*
	 * Prefixes (lock, rep, cs, data16, notrack, ...): a word followed by
	 * blanks and another word that is itself followed by blanks or the
	 * end.  Operands never start that way on x86 or arm64.
	 */
	for (;;) {
		char *q = p, *r;

		while (is_word_char((unsigned char)*q))
			q++;
		if (q == p || !isspace((unsigned char)*q))
			break;
		r = (char *)skip_ws(q);
		if (!isalpha((unsigned char)*r))
			break;
		q = r;
		while (is_word_char((unsigned char)*q))
			q++;
		if (*q != '\0' && !isspace((unsigned char)*q))
			break;
		/* `dmb ish`: a single trailing word is an operand */
		if (*skip_ws(q) == '\0')
			break;
		p = r;
	}
	m = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	mlen = (size_t)(p - m);
	in->truncated |= copy_trunc(in->mnemonic, OC_MNEM_MAX, m, mlen);
	for (m = in->mnemonic; *m; m++)
		*m = (char)tolower((unsigned char)*m);
	p = (char *)skip_ws(p);
	if (split_operands(d, in, p) < 0)
		return -1;
	if (in->nops) {
		const char *last = in->ops[in->nops - 1];

		if (!parse_hex_u64(last, strlen(last), &in->branch_target) &&
		    !strncmp(last, "0x", 2))
			in->has_target = 1;
		else
			in->target_func = NULL;
	}
	return 1;
}

static int push_insn(struct oc_disasm *d, const struct oc_insn *in)
{
	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 64;
		struct oc_insn *n = realloc(d->insns, ncap * sizeof(*n));

		if (!n)
			return -1;
		d->insns = n;
		d->cap = ncap;
	}
	d->insns[d->n++] = *in;
	return 0;
}

/* Returns 1 parsed, 0 not an instruction line, -1 allocation failure. */
static int parse_insn_line(struct oc_disasm *d, const char *p,
			   const char *file, int line)
{
	struct oc_insn in;
	const char *q = p;
	int r;

	memset(&in, 0, sizeof(in));
	if (q[0] != '0' || (q[1] != 'x' && q[1] != 'X'))
		return 0;
	q += 2;
	while (isxdigit((unsigned char)*q))
		q++;
	if (parse_hex_u64(p, (size_t)(q - p), &in.addr) < 0)
		return 0;
	q = skip_ws(q);
	in.off = OFF_UNKNOWN;
	if (*q == '<') {
		const char *gt = strchr(q, '>');
		char sym[128];

		if (!gt || oc_parse_symoff(q + 1, (size_t)(gt - q - 1), sym,
					   sizeof(sym), &in.off) < 0)
			return 0;
		if (sym[0]) {
			in.func = intern(d, sym, strlen(sym));
			if (!in.func)
				return -1;
		}
		q = skip_ws(gt + 1);
	}
	if (*q != ':')
		return 0;
	q = skip_raw_bytes(skip_ws(q + 1));
	r = parse_insn_text(d, &in, q);
	if (r <= 0)
		return r;
	in.src_file = file;
	in.src_line = line;
	if (push_insn(d, &in) < 0)
		return -1;
	return 1;
}

/* Give offsets to lines that had no <sym+off>, from a neighbour's base. */
static void fix_offsets(struct oc_disasm *d, size_t first)
{
	uint64_t base = 0;
	int have = 0;
	size_t i;

	for (i = first; i < d->n; i++) {
		if (d->insns[i].off != OFF_UNKNOWN) {
			base = d->insns[i].addr - (uint64_t)d->insns[i].off;
			have = 1;
			break;
		}
	}
	if (!have && first < d->n) {
		base = d->insns[first].addr;
		for (i = first; i < d->n; i++)
			if (d->insns[i].addr < base)
				base = d->insns[i].addr;
	}
	for (i = first; i < d->n; i++)
		if (d->insns[i].off == OFF_UNKNOWN)
			d->insns[i].off = (long)(d->insns[i].addr - base);
}

int oc_disasm_parse(struct oc_disasm *d, const char *text, size_t len)
{
	const char *file = NULL, *end = text + len;
	size_t first = d->n;
	int line = 0;

	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t l = nl ? (size_t)(nl - text) : (size_t)(end - text);
		char buf[LINE_MAX_LEN];
		const char *p;
		int r;

		copy_trunc(buf, sizeof(buf), text, l);
		text += l + (nl ? 1 : 0);
		rtrim(buf);
		p = skip_ws(buf);
		if (p[0] == '=' && p[1] == '>')
			p = skip_ws(p + 2);
		if (!*p)
			continue;
		r = parse_insn_line(d, p, file, line);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		r = parse_src_line(d, p, &file, &line);
		if (r < 0)
			return -1;
		if (r > 0) {
			d->n_src++;
			continue;
		}
		d->n_bad++;
	}
	fix_offsets(d, first);
	return 0;
}

long oc_disasm_find_off(const struct oc_disasm *d, long off)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->insns[i].off == off)
			return (long)i;
	return -1;
}

long oc_disasm_find_addr(const struct oc_disasm *d, uint64_t addr)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->insns[i].addr == addr)
			return (long)i;
	return -1;
}
