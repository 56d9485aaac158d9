// SPDX-License-Identifier: GPL-2.0
/*
 * strutil.c - bounded string helpers.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "strutil.h"

size_t oc_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);

	if (n) {
		size_t c = len < n - 1 ? len : n - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return len;
}

static const char hexdig[] = "0123456789abcdef";

size_t oc_escape_text(const unsigned char *in, size_t n, char *out,
		      size_t outsz)
{
	size_t need = 0, pos = 0, i;
	int full = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = in[i];
		char tmp[4];
		size_t tl;

		if (c == '\\') {
			tmp[0] = '\\';
			tmp[1] = '\\';
			tl = 2;
		} else if (c >= 0x20 && c < 0x7f && c != '"' && c != '\'') {
			tmp[0] = (char)c;
			tl = 1;
		} else {
			tmp[0] = '\\';
			tmp[1] = 'x';
			tmp[2] = hexdig[c >> 4];
			tmp[3] = hexdig[c & 0xf];
			tl = 4;
		}
		need += tl;
		if (!full && outsz && pos + tl < outsz) {
			memcpy(out + pos, tmp, tl);
			pos += tl;
		} else {
			full = 1;
		}
	}
	if (outsz)
		out[pos] = '\0';
	return need;
}

size_t oc_hexdump(const unsigned char *in, size_t n, uint64_t base,
		  char *out, size_t outsz)
{
	size_t need = 0, pos = 0, i;
	int full = 0;

	for (i = 0; i < n; i += 16) {
		char line[128];
		size_t l = 0, j;

		l += (size_t)snprintf(line + l, sizeof(line) - l, "%016llx:",
				      (unsigned long long)(base + i));
		for (j = 0; j < 16; j++) {
			if (i + j < n)
				l += (size_t)snprintf(line + l,
						      sizeof(line) - l,
						      " %02x", in[i + j]);
			else
				l += (size_t)snprintf(line + l,
						      sizeof(line) - l, "   ");
		}
		l += (size_t)snprintf(line + l, sizeof(line) - l, "  |");
		for (j = 0; j < 16 && i + j < n; j++) {
			unsigned char c = in[i + j];

			line[l++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
		}
		line[l++] = '|';
		line[l++] = '\n';
		line[l] = '\0';
		need += l;
		if (!full && outsz && pos + l < outsz) {
			memcpy(out + pos, line, l);
			pos += l;
		} else {
			full = 1;
		}
	}
	if (outsz)
		out[pos] = '\0';
	return need;
}

void oc_appendf(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strnlen(buf, n);
	va_list ap;

	if (!n || len + 1 >= n)
		return;
	if (len) {
		snprintf(buf + len, n - len, "; ");
		len = strnlen(buf, n);
	}
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

int oc_str_in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

void oc_line_iter_init(struct oc_line_iter *it, const char *text, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->text = text;
	it->p = text;
	it->end = text + len;
}

int oc_line_next(struct oc_line_iter *it, char *buf, size_t bufsz)
{
	const char *s = it->p, *nl;
	size_t n, i, o = 0;

	if (!bufsz || s >= it->end)
		return 0;
	nl = memchr(s, '\n', (size_t)(it->end - s));
	n = nl ? (size_t)(nl - s) : (size_t)(it->end - s);
	it->off = (size_t)(s - it->text);
	it->raw_len = n;
	it->p = nl ? nl + 1 : it->end;
	it->line_no++;
	it->cut = 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0x1b && i + 1 < n && s[i + 1] == '[') {
			/* CSI: parameters and intermediates, one final byte */
			i += 2;
			while (i < n && ((unsigned char)s[i] < 0x40 ||
					 (unsigned char)s[i] > 0x7e) &&
			       (unsigned char)s[i] >= 0x20)
				i++;
			continue;
		}
		if (o + 1 >= bufsz) {
			it->cut = 1;
			break;
		}
		buf[o++] = (c < 0x20 && c != '\t') || c == 0x7f ? ' ' : (char)c;
	}
	while (o && (buf[o - 1] == ' ' || buf[o - 1] == '\t'))
		o--;
	buf[o] = '\0';
	return 1;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* `[Tue Nov  5 10:11:12 2024]`: returns the byte after `]`, or NULL */
static const char *skip_ctime(const char *p)
{
	size_t i;

	if (p[0] != '[' || !isupper((unsigned char)p[1]) ||
	    !islower((unsigned char)p[2]) || !islower((unsigned char)p[3]) ||
	    p[4] != ' ')
		return NULL;
	for (i = 5; i < 40 && p[i] && p[i] != ']'; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != ' ' &&
		    p[i] != ':')
			return NULL;
	return p[i] == ']' ? p + i + 1 : NULL;
}

/* dmesg -x: `kern  :warn  : ` */
static const char *skip_facility(const char *p)
{
	const char *q = p;
	int colons = 0;

	while (colons < 2 && (q - p) < 24) {
		if (islower((unsigned char)*q) || *q == ' ')
			q++;
		else if (*q == ':')
			colons++, q++;
		else
			return NULL;
	}
	if (colons < 2 || *q != ' ' || strncmp(p, "kern", 4))
		return NULL;
	return q;
}

const char *oc_log_strip(const char *p, char *caller, size_t callersz)
{
	const char *k = strstr(p, "kernel: ");

	if (caller && callersz)
		caller[0] = '\0';
	/*
	 * syslog "Nov  5 10:11:12 host kernel: ", journal ISO stamps: the
	 * host part has no ": " (a message's own "kernel: " is kept, e.g.
	 * "Kernel panic - not syncing: kernel: panic_on_warn set ...")
	 */
	if (k && (k == p || k[-1] == ' ') && k - p < 96) {
		const char *c = strstr(p, ": ");

		if (c >= k)
			p = k + 8;
	}
	for (;;) {
		const char *q;

		p = skip_blanks(p);
		if ((q = skip_facility(p)) || (q = skip_ctime(p))) {
			p = q;
			continue;
		}
		if (p[0] == '<' && isdigit((unsigned char)p[1])) {
			q = p + 1;
			while (isdigit((unsigned char)*q) && q - p < 8)
				q++;
			if (*q == '>') {
				p = q + 1;
				continue;
			}
		}
		if (p[0] == '[') {
			const char *id;

			q = skip_blanks(p + 1);
			id = q;
			if (*q == 'C' || *q == 'T')
				q++;
			if (isdigit((unsigned char)*q)) {
				while ((isdigit((unsigned char)*q) ||
					*q == '.') && q - p < 32)
					q++;
				if (*q == ']') {
					if (id[0] == 'C' || id[0] == 'T') {
						size_t n = (size_t)(q - id);

						if (caller && callersz) {
							if (n >= callersz)
								n = callersz - 1;
							memcpy(caller, id, n);
							caller[n] = '\0';
						}
					}
					p = q + 1;
					continue;
				}
			}
		}
		break;
	}
	return p;
}
