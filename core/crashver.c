// SPDX-License-Identifier: GPL-2.0
/*
 * crashver.c - the crash version guard's decision and its one line
 * (crashver.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "crashver.h"
#include "strutil.h"

/* room for one escaped name or version: a longer one is cut */
#define ESC_MAX 128

static const char *esc(const char *s, char *buf)
{
	if (!s)
		return "(unknown)";
	oc_escape_text((const unsigned char *)s, strlen(s), buf, ESC_MAX);
	return buf;
}

/* "ARM64" -> "arm64": the directory name of the installed layout */
static void lower(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

static int same(const char *a, const char *b)
{
	return a && b && *a && !strcmp(a, b);
}

enum oc_crashver_verdict oc_crashver_check(const struct oc_crashver *c,
					   char *line, size_t n)
{
	char self[ESC_MAX], bv[ESC_MAX], bt[ESC_MAX], rv[ESC_MAX];
	char rt[ESC_MAX], dir[ESC_MAX];
	const char *run_target;
	int version_ok = same(c->built_version, c->run_version);
	int target_ok = same(c->built_target, c->run_target);
	int ignore = c->ignore && !strcmp(c->ignore, "1");
	int k;

	if (n)
		line[0] = '\0';
	if (version_ok && target_ok)
		return OC_CRASHVER_MATCH;

	/*
	 * esc() returns "(unknown)" without touching its buffer for a
	 * missing side: use what it returns, never the buffer
	 */
	run_target = esc(c->run_target, rt);
	k = snprintf(line, n, "%s: built for crash %s (%s), this is crash %s (%s): ",
		     esc(c->self ? c->self : "ovscrash.so", self),
		     esc(c->built_version, bv), esc(c->built_target, bt),
		     esc(c->run_version, rv), run_target);
	if (k < 0 || (size_t)k >= n)
		return target_ok && ignore ? OC_CRASHVER_IGNORED :
		       OC_CRASHVER_REFUSED;
	line += k;
	n -= (size_t)k;

	if (!target_ok) {
		/* the escaped run target names a directory of the layout */
		lower(run_target, dir, sizeof(dir));
		snprintf(line, n, "not loaded; load the build for %s (`make TARGET=%s`; installed: /usr/lib/ovscrash/extensions/%s/ovscrash.so) or use ovscrash-crash",
			 run_target, run_target, dir);
		return OC_CRASHVER_REFUSED;
	}
	if (ignore) {
		snprintf(line, n, "loaded anyway (%s=1): commands may misbehave, the defs.h differs",
			 OC_CRASHVER_IGNORE_ENV);
		return OC_CRASHVER_IGNORED;
	}
	if (c->run_path && !strcmp(c->run_path, "/usr/bin/crash"))
		snprintf(line, n, "not loaded; rebuild it against this crash's defs.h (`make ext-system`: /usr/include/crash) or use ovscrash-crash");
	else
		snprintf(line, n, "not loaded; rebuild it against this crash's defs.h (`make CRASH_INCLUDE=DIR`) or use ovscrash-crash");
	return OC_CRASHVER_REFUSED;
}
