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

/*
 * A file name (or any C string from outside: a module name typed by the
 * user) as printable text in @buf, escaped like oc_name().  Names on disk
 * are untrusted: an archive's file name may hold ESC or a newline.
 * Returns @buf.
 */
const char *oc_path(const char *path, char *buf, size_t n);

#endif
