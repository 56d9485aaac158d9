// SPDX-License-Identifier: GPL-2.0
/*
 * exframe.c - crash's `bt -E` prints, per CPU and per stack, each
 * kernel-mode exception frame it finds:
 *
 *   CPU 0 IRQ STACK:
 *     KERNEL-MODE EXCEPTION FRAME AT: ffffd1a7c00037d8
 *       [exception RIP: netdev_pick_tx+627]
 *       RIP: ffffffffa57a6053  RSP: ffffd1a7c0003880  RFLAGS: 00000246
 *       RAX: 0000000000000000  RBX: ...
 *
 * (arm64 prints "[exception PC: ...]"-less frames with "PC: ... [sym+off]"
 * lines: the register pairs parser and the bracketed symbol handle both.)
 *
 * `bt -a -e` (each CPU's active task, its own stack searched) heads each
 * task with "PID: 146  TASK: ...  CPU: 1  COMMAND: ..."; its frames are
 * taken as that CPU's, on the "task" stack.  arm64 5.10 runs softirqs on
 * the task stack, where only this finds the timer interrupt's frame.
 */
#include "exframe.h"
#include "panicsig.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void oc_exframe_list_free(struct oc_exframe_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int any_name(const char *n)
{
	return isupper((unsigned char)n[0]) || n[0] == 'X';
}

static struct oc_exframe *push(struct oc_exframe_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct oc_exframe *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/* "[exception RIP: netdev_pick_tx+627]" or "... [netdev_pick_tx+144]" */
static void take_symbol(const char *line, struct oc_exframe *f)
{
	const char *b = strrchr(line, '['), *e;
	char tmp[OC_RD_SYM_MAX + 32], sym[OC_RD_SYM_MAX];
	unsigned long off = 0;
	char *plus, *end;

	if (!b || !(e = strchr(b, ']')) || f->rd.have_pc_sym)
		return;
	b++;
	if (!strncmp(b, "exception ", 10)) {
		const char *c = strchr(b, ':');

		if (!c || c > e)
			return;
		b = c + 1;
	}
	while (*b == ' ')
		b++;
	if ((size_t)(e - b) >= sizeof(tmp))
		return;
	memcpy(tmp, b, e - b);
	tmp[e - b] = '\0';
	plus = strchr(tmp, '+');
	if (plus) {
		*plus = '\0';
		off = strtoul(plus + 1, &end, 0);
		if (*end)
			return;
	}
	if (!tmp[0] || strlen(tmp) >= sizeof(sym))
		return;
	strcpy(f->rd.pc_sym, tmp);
	f->rd.pc_off = off;
	f->rd.have_pc_sym = 1;
}

int oc_exframe_parse(const struct oc_arch *a, const char *text, size_t len,
		     struct oc_exframe_list *out)
{
	const char *p = text, *end = text + len;
	struct oc_exframe *cur = NULL;
	char line[512], stack[32] = "";
	int cpu = -1;
	size_t i;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *s;

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl ? nl + 1 : end;
		s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncmp(s, "CPU ", 4) && strstr(s, "STACK:")) {
			char *st;

			cpu = atoi(s + 4);
			st = strchr(s + 4, ' ');
			snprintf(stack, sizeof(stack), "%.*s", st ? (int)(strstr(s, " STACK:") - st - 1) : 0,
				 st ? st + 1 : "");
			cur = NULL;
		} else if (!strncmp(s, "PID:", 4) && strstr(s, " CPU: ")) {
			cpu = atoi(strstr(s, " CPU: ") + 6);
			snprintf(stack, sizeof(stack), "task");
			cur = NULL;
		} else if (!strncmp(s, "KERNEL-MODE EXCEPTION FRAME AT:", 31)) {
			cur = push(out);
			if (!cur)
				return -1;
			cur->cpu = cpu;
			snprintf(cur->stack, sizeof(cur->stack), "%s", stack);
			cur->frame_addr = strtoull(s + 31, NULL, 16);
			cur->rd.arch = a->name;
			cur->rd.cpu_nr = cpu;
		} else if (cur && *s == '[') {
			take_symbol(s, cur);
		} else if (cur && *s) {
			/* arm64: "PC: ffff...  [netdev_pick_tx+588]": the symbol,
			 * then the register pairs before the bracket */
			char *br = strchr(line, '[');

			if (br) {
				take_symbol(s, cur);
				*br = '\0';
			}
			oc_regdump_pairs(s, &cur->rd, a, any_name);
		} else if (!*s) {
			cur = NULL;
		}
	}
	/* drop repeats (crash prints a CPU's IRQ stack more than once) */
	for (i = 0; i < out->n; i++) {
		size_t j;

		for (j = i + 1; j < out->n; j++) {
			if (out->v[j].cpu == out->v[i].cpu &&
			    out->v[j].frame_addr == out->v[i].frame_addr) {
				memmove(&out->v[j], &out->v[j + 1], (out->n - j - 1) * sizeof(out->v[0]));
				out->n--;
				j--;
			}
		}
	}
	return (int)out->n;
}

/* " #9 [ffffc900000f8b38] do_execute_actions at ffffffffc08f7a05 [openvswitch]" */
static int bt_frame_line(const char *l, struct oc_frame *fr)
{
	const char *p = l, *sym, *e;
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '#' || !isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	while (*p == ' ')
		p++;
	if (*p != '[' || !(p = strchr(p, ']')))
		return 0;
	for (p++; *p == ' '; p++)
		;
	sym = p;
	while (*p && *p != ' ')
		p++;
	n = (size_t)(p - sym);
	if (!n || strncmp(p, " at ", 4))
		return 0;
	memset(fr, 0, sizeof(*fr));
	if (n >= sizeof(fr->sym))
		n = sizeof(fr->sym) - 1;
	memcpy(fr->sym, sym, n);
	p += 4;
	while (isxdigit((unsigned char)*p))
		p++;
	while (*p == ' ')
		p++;
	if (*p == '[' && (e = strchr(p, ']')) && e > p + 1) {
		n = (size_t)(e - p - 1);
		if (n >= sizeof(fr->mod))
			n = sizeof(fr->mod) - 1;
		memcpy(fr->mod, p + 1, n);
	}
	return 1;
}

int oc_bt_frames(const char *text, size_t len, struct oc_frame *out, int max)
{
	const char *p = text, *end = text + len;
	char line[512];
	int n = 0;

	while (p < end && n < max) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = (size_t)((nl ? nl : end) - p);

		if (ll >= sizeof(line))
			ll = sizeof(line) - 1;
		memcpy(line, p, ll);
		line[ll] = '\0';
		if (!memchr(line, '\0', ll) && bt_frame_line(line, &out[n]))
			n++;
		p = nl ? nl + 1 : end;
	}
	return n;
}
