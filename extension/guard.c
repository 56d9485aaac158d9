// SPDX-License-Identifier: GPL-2.0
/*
 * guard.c - the crash version guard, run from the constructor before
 * anything else touches crash.  It reads nothing but crash's build_version
 * and build_target (plain char * globals of crash's build_data.c that
 * defs.h declares, 8.0.2's and 9.0.2's alike: no structure layout is
 * involved, so reading them is safe in any crash) and prints with
 * fprintf(fp), the output stream of `extend`.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* dladdr */
#endif
#include "defs.h"
#include "../core/crashver.h"
#include "guard.h"

#include <dlfcn.h>

#ifndef OVSCRASH_CRASH_VERSION
#error "OVSCRASH_CRASH_VERSION (the crash this is built against) is not set: build with the top-level Makefile"
#endif

/* the file name this extension was loaded from, for the message */
static const char *self_name(void)
{
	Dl_info info;
	const char *p;

	if (!dladdr((void *)oc_guard_allows_load, &info) || !info.dli_fname)
		return "ovscrash.so";
	p = strrchr(info.dli_fname, '/');
	return p ? p + 1 : info.dli_fname;
}

int oc_guard_allows_load(void)
{
	char exe[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct oc_crashver c = {
		.self = self_name(),
		.built_version = OVSCRASH_CRASH_VERSION,
		.built_target = MACHINE_TYPE,
		.run_version = build_version,
		.run_target = build_target,
		.run_path = k > 0 ? exe : NULL,
		.ignore = getenv(OC_CRASHVER_IGNORE_ENV),
	};
	char line[512];
	enum oc_crashver_verdict v;

	if (k > 0)
		exe[k] = '\0';
	v = oc_crashver_check(&c, line, sizeof(line));
	if (v != OC_CRASHVER_MATCH)
		fprintf(fp ? fp : stderr, "%s\n", line);
	return v != OC_CRASHVER_REFUSED;
}

const char *oc_guard_built_for(void)
{
	return OVSCRASH_CRASH_VERSION;
}
