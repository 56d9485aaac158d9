// SPDX-License-Identifier: GPL-2.0
/*
 * strutil.c - bounded string helpers.
 */
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
