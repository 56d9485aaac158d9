/* SPDX-License-Identifier: GPL-2.0 */
/* escape.h - names read from the dump, made printable (one home) */
#ifndef OVSCRASH_ESCAPE_H
#define OVSCRASH_ESCAPE_H

#include <stddef.h>

/*
 * The untrusted bytes of a device name (at most OC_IFNAMSIZ, up to the
 * first NUL) as printable text in @buf (core/strutil's oc_escape_text:
 * `\xNN` for every byte that is not plain printable ASCII, quotes and
 * backslash included).  Returns @buf.  Used by the text and JSON renderers
 * and by triage's findings, so a name reads the same everywhere.
 */
const char *oc_name(const unsigned char *raw, char *buf, size_t n);

#endif
