/* SPDX-License-Identifier: GPL-2.0 */
/*
 * strutil.h - bounded string helpers for text that came out of a dump.
 */
#ifndef OC_STRUTIL_H
#define OC_STRUTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Copy @src into @dst (size @n), always NUL terminating when n > 0.
 * Returns strlen(src); a result >= n means the copy was cut.
 */
size_t oc_strlcpy(char *dst, const char *src, size_t n);

/*
 * Render @n untrusted bytes as printable ASCII: bytes 0x20..0x7e pass
 * through except backslash (written `\\`) and the quotes " and ' (written
 * `\x22` and `\x27`); every other byte, NUL included, is written `\xNN`.
 * @out is always NUL terminated (if outsz > 0) and an escape sequence is
 * never cut in half.  Returns the length the full result needs (without
 * the NUL); a return >= outsz means the output was cut.
 */
size_t oc_escape_text(const unsigned char *in, size_t n, char *out,
		      size_t outsz);

/*
 * One hexdump line per 16 bytes: `<base+i, 16 hex digits>: xx xx ...  |ascii|`,
 * non-printable ascii shown as '.'.  Same return convention as
 * oc_escape_text; lines are cut only at line boundaries.
 */
size_t oc_hexdump(const unsigned char *in, size_t n, uint64_t base,
		  char *out, size_t outsz);

/* 1 if s equals one of the NULL-terminated list's strings */
int oc_str_in_list(const char *s, const char *const *list);

/* Append a formatted message to buf, separated from what is there by
 * "; "; never overflows (a message that does not fit is cut). */
void oc_appendf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Line scanner over untrusted text of a known length (need not be NUL
 * terminated, may contain any bytes).  oc_line_next() copies the next line
 * into @buf: ANSI CSI escape sequences (ESC '[' ... final byte) are
 * dropped, every other control byte except TAB (NUL and a lone CR
 * included) and DEL become a space, trailing white space (the CR of CRLF
 * included) is removed, and the line is cut at @bufsz - 1 bytes (the rest
 * of it is skipped).  Returns 1 with it->line_no (1-based), it->off (the
 * line's offset in the text) and it->raw_len (its length without the
 * newline) set, or 0 at the end of the text.
 */
struct oc_line_iter {
	const char *text, *p, *end;
	size_t line_no;
	size_t off, raw_len;
	int cut;		/* the last line was longer than the buffer */
};

void oc_line_iter_init(struct oc_line_iter *it, const char *text,
		       size_t len);
int oc_line_next(struct oc_line_iter *it, char *buf, size_t bufsz);

/*
 * Skip the prefixes a kernel log line carries in the formats people have:
 * syslog/journal `... kernel: `, dmesg -x `kern  :warn  : `, `<4>`,
 * `[   12.345678]`, dmesg -T `[Tue Nov  5 10:11:12 2024]`, and the printk
 * caller id `[    C1]`/`[  T123]`; leading blanks too.  The caller id
 * ("C1", "T123") is copied to @caller (may be NULL; "" if none).
 * Returns a pointer into @line.
 */
const char *oc_log_strip(const char *line, char *caller, size_t callersz);

#endif /* OC_STRUTIL_H */
