// SPDX-License-Identifier: GPL-2.0
/*
 * nsname.c - a network namespace's names as one text column (nsname.h).
 */
#include "nsname.h"
#include "strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *oc_ns_short_name(const char *path)
{
	static const char *const dirs[] = { "/run/netns/", "/var/run/netns/" };
	size_t i, l;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		l = strlen(dirs[i]);
		if (!strncmp(path, dirs[i], l) && path[l])
			return path + l;
	}
	return path;
}

const char *oc_ns_names_text(const char *const *names, int n, int total, char *buf,
			     size_t size)
{
	char more[16], *esc;
	size_t len = 0, need, escsz = 4096;
	int i, shown = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	if (total <= 0) {
		snprintf(buf, size, "-");
		return buf;
	}
	if (n > total)
		n = total;
	if (!(esc = malloc(escsz)))
		n = 0;
	for (i = 0; i < n; i++) {
		const char *s = oc_ns_short_name(names[i]);

		if (oc_escape_text((const unsigned char *)s, strlen(s), esc, escsz) >= escsz)
			break;	/* longer than any column */
		need = strlen(esc) + (shown ? 1 : 0);
		/* room for it, and for a "+N" of those after it */
		if (len + need + (i + 1 < total ? sizeof(more) : 0) >= size)
			break;
		len += snprintf(buf + len, size - len, "%s%s", shown ? "," : "", esc);
		shown++;
	}
	free(esc);
	if (shown < total) {
		snprintf(more, sizeof(more), "%s+%d", shown ? "," : "", total - shown);
		if (len + strlen(more) < size)
			snprintf(buf + len, size - len, "%s", more);
		else
			snprintf(buf, size, "%s", size > strlen(more) ? more : "");
	}
	return buf;
}
