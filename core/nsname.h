/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsname.h - a network namespace's names (the paths of its nsfs mounts,
 * raw bytes from the dump) as one printable text column.
 */
#ifndef OC_NSNAME_H
#define OC_NSNAME_H

#include <stddef.h>

/* @path less the directory `ip netns` keeps its names in (/run/netns/,
 * /var/run/netns/): "pod-a" of "/run/netns/pod-a"; else @path */
const char *oc_ns_short_name(const char *path);

/*
 * The first @n of a namespace's @total names, short (above) and escaped
 * (oc_escape_text), joined by ',' into @buf of @size: "A,/var/run/x".
 * Names that do not fit, and the @total - @n not given, are counted as
 * one "+N" at the end; "-" when @total is 0.  A name is never cut: only
 * whole names are shown.  Returns @buf.
 */
const char *oc_ns_names_text(const char *const *names, int n, int total, char *buf,
			     size_t size);

#endif
