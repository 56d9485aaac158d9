// SPDX-License-Identifier: GPL-2.0
/*
 * regdump.c - find register dumps in kernel log text.  The line formats
 * are interpreted by the architectures (arch_*.c); this file strips log
 * prefixes, tracks the `CPU:` and trigger lines, and opens/closes dumps.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "regdump.h"
#include "strutil.h"

#define RD_LINE_MAX	1024

void oc_regdump_list_free(struct oc_regdump_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void lower_copy(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n && src[i]; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

static void canon_name(const struct oc_arch *a, const char *name, char *out)
{
	if (!a || a->reg_canon(name, out, OC_REGNAME_MAX) < 0)
		lower_copy(out, name, OC_REGNAME_MAX);
}

int oc_regdump_set(struct oc_regdump *rd, const struct oc_arch *a,
		   const char *name, uint64_t val)
{
	char c[OC_REGNAME_MAX];
	int i;

	canon_name(a, name, c);
	for (i = 0; i < rd->nregs; i++) {
		if (!strcmp(rd->names[i], c)) {
			rd->regs[i] = val;
			return 0;
		}
	}
	if (rd->nregs >= OC_RD_MAXREGS)
		return -1;
	memcpy(rd->names[rd->nregs], c, sizeof(c));
	rd->regs[rd->nregs++] = val;
	return 0;
}

int oc_regdump_get(const struct oc_regdump *rd, const char *name,
		   uint64_t *val)
{
	char c[OC_REGNAME_MAX];
	int i;

	canon_name(oc_arch_by_name(rd->arch), name, c);
	for (i = 0; i < rd->nregs; i++) {
		if (!strcmp(rd->names[i], c)) {
			*val = rd->regs[i];
			return 0;
		}
	}
	return -1;
}

static int parse_ulong(const char *s, const char **end, unsigned long *v)
{
	char *e;

	if (!isdigit((unsigned char)*s))
		return -1;
	*v = strtoul(s, &e, 0);
	*end = e;
	return 0;
}

int oc_parse_sym_off_len(const char *s, char *sym, size_t symsz,
			 unsigned long *off, unsigned long *len,
			 char *mod, size_t modsz)
{
	const char *plus = NULL, *p, *end;
	size_t symlen;

	for (p = s; *p && !isspace((unsigned char)*p); p++)
		if (*p == '+')
			plus = p;
	if (!plus || plus == s)
		return -1;
	symlen = (size_t)(plus - s);
	if (symlen >= symsz)
		return -1;
	if (parse_ulong(plus + 1, &end, off) < 0 || *end != '/')
		return -1;
	if (parse_ulong(end + 1, &end, len) < 0)
		return -1;
	if (*end && !isspace((unsigned char)*end))
		return -1;
	memcpy(sym, s, symlen);
	sym[symlen] = '\0';
	if (mod && modsz) {
		mod[0] = '\0';
		while (isspace((unsigned char)*end))
			end++;
		if (*end == '[') {
			const char *rb = strchr(end, ']');

			if (rb && (size_t)(rb - end - 1) < modsz) {
				memcpy(mod, end + 1, (size_t)(rb - end - 1));
				mod[rb - end - 1] = '\0';
			}
		}
	}
	return 0;
}

static const char *skip_blank(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int hexval(const char *p, const char **end, uint64_t *v)
{
	const char *q = p;
	uint64_t r = 0;

	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
		q += 2;
	if (!isxdigit((unsigned char)*q))
		return -1;
	for (; isxdigit((unsigned char)*q); q++) {
		if (q - p >= 18)
			return -1;
		r = (r << 4) | (uint64_t)(isdigit((unsigned char)*q) ?
			*q - '0' : tolower((unsigned char)*q) - 'a' + 10);
	}
	*v = r;
	*end = q;
	return 0;
}

int oc_regdump_pairs(const char *line, struct oc_regdump *rd,
		     const struct oc_arch *a,
		     int (*name_ok)(const char *name))
{
	char names[16][OC_REGNAME_MAX];
	uint64_t vals[16];
	const char *p = skip_blank(line);
	int n = 0, i;

	while (*p) {
		const char *q = p, *e;
		uint64_t v;

		while (isalnum((unsigned char)*q) || *q == '_')
			q++;
		if (q == p || (size_t)(q - p) >= OC_REGNAME_MAX || n >= 16)
			return 0;
		memcpy(names[n], p, (size_t)(q - p));
		names[n][q - p] = '\0';
		if (!name_ok(names[n]))
			return 0;
		q = skip_blank(q);
		if (*q != ':')
			return 0;
		q = skip_blank(q + 1);
		if (q[0] == '[' && q[1] == '<') {
			if (hexval(q + 2, &e, &v) < 0 || strncmp(e, ">]", 2))
				return 0;
			e += 2;
		} else {
			if (hexval(q, &e, &v) < 0)
				return 0;
			/* `0018:ffffc90000003b48`: keep the offset part */
			if (*e == ':' && hexval(e + 1, &e, &v) < 0)
				return 0;
		}
		if (*e == '(') {
			const char *rp = strchr(e, ')');

			if (!rp)
				return 0;
			e = rp + 1;
		}
		if (*e && *e != ' ' && *e != '\t')
			return 0;
		vals[n++] = v;
		p = skip_blank(e);
	}
	for (i = 0; i < n; i++)
		oc_regdump_set(rd, a, names[i], vals[i]);
	return n;
}

static int is_trigger(const char *s)
{
	static const char *const pats[] = {
		"soft lockup", "hard LOCKUP", "BUG: ", "Kernel panic",
		"Internal error:", "Unable to handle kernel",
		"general protection fault", "NMI backtrace for cpu",
		"self-detected stall", "WARNING: CPU", "Oops", NULL
	};
	const char *const *p;

	for (p = pats; *p; p++)
		if (strstr(s, *p))
			return 1;
	return 0;
}

static int push(struct oc_regdump_list *l, const struct oc_regdump *rd)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 4;
		struct oc_regdump *n = realloc(l->v, ncap * sizeof(*n));

		if (!n)
			return -1;
		l->v = n;
		l->cap = ncap;
	}
	l->v[l->n++] = *rd;
	return 0;
}

int oc_regdump_parse(const char *text, size_t len,
		     struct oc_regdump_list *out)
{
	const struct oc_arch *open = NULL;
	struct oc_line_iter it;
	char buf[RD_LINE_MAX];
	char cpu[sizeof(((struct oc_regdump *)0)->cpu)] = "";
	char trigger[sizeof(((struct oc_regdump *)0)->trigger)] = "";
	int cpu_nr = -1;
	size_t line_no = 0;
	struct oc_regdump tmp;

	oc_line_iter_init(&it, text, len);
	while (oc_line_next(&it, buf, sizeof(buf))) {
		const char *s = oc_log_strip(buf, NULL, 0);
		int i;

		line_no = it.line_no;
		if (open) {
			if (open->regdump_line(s, &out->v[out->n - 1]))
				continue;
			open = NULL;
		}
		for (i = 0; oc_arches[i]; i++) {
			memset(&tmp, 0, sizeof(tmp));
			tmp.cpu_nr = -1;
			if (oc_arches[i]->regdump_start(s, &tmp))
				break;
		}
		if (oc_arches[i]) {
			open = oc_arches[i];
			tmp.arch = open->name;
			tmp.line_no = line_no;
			tmp.cpu_nr = cpu_nr;
			memcpy(tmp.cpu, cpu, sizeof(cpu));
			memcpy(tmp.trigger, trigger, sizeof(trigger));
			if (push(out, &tmp) < 0)
				return -1;
			cpu[0] = '\0';
			cpu_nr = -1;
			continue;
		}
		if (!strncmp(s, "CPU: ", 5)) {
			oc_strlcpy(cpu, s, sizeof(cpu));
			cpu_nr = isdigit((unsigned char)s[5]) ?
				 atoi(s + 5) : -1;
		} else if (is_trigger(s)) {
			oc_strlcpy(trigger, s, sizeof(trigger));
		}
	}
	return 0;
}
