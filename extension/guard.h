/* SPDX-License-Identifier: GPL-2.0 */
/* guard.h - refuse to load into a crash the extension was not built for */
#ifndef OVSCRASH_GUARD_H
#define OVSCRASH_GUARD_H

/*
 * Compare the crash this extension was built against (the build's
 * OVSCRASH_CRASH_VERSION and target) with the running crash's
 * build_version and build_target (core/crashver.c decides).  Returns 1
 * when the constructor may call register_extension(), 0 when it must not;
 * in that case, and when $OVSCRASH_IGNORE_CRASH_VERSION=1 lets a version
 * mismatch through, one line saying so has been printed.
 */
int oc_guard_allows_load(void);

/* the crash version this extension was built against ("9.0.2"), as the
 * `ovscrash` command shows it beside the running crash's */
const char *oc_guard_built_for(void);

#endif
