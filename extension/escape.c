// SPDX-License-Identifier: GPL-2.0
/*
 * escape.c - names read from the dump, and file names, made printable.
 * Nothing here reads dump memory.
 */
#include "escape.h"
#include "netdev.h"
#include "../core/strutil.h"

#include <string.h>

const char *oc_name(const unsigned char *raw, char *buf, size_t n)
{
	oc_escape_text(raw, strnlen((const char *)raw, OC_IFNAMSIZ), buf, n);
	return buf;
}

const char *oc_path(const char *path, char *buf, size_t n)
{
	oc_escape_text((const unsigned char *)path, strlen(path), buf, n);
	return buf;
}
