/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crashver.h - the crash version guard's decision and its one line.
 *
 * crash extensions have no ABI check: an extension compiled against one
 * crash's defs.h and loaded into another crash reads that crash's
 * structures with the wrong layout.  The build records the crash it was
 * made for (version as crash's build_version holds it, and target); on
 * load, extension/guard.c hands both sides here.  Plain C, no crash.
 */
#ifndef OC_CRASHVER_H
#define OC_CRASHVER_H

#include <stddef.h>

/* The environment variable that loads the extension into a crash of
 * another version anyway (value "1"); a target mismatch is never let
 * through. */
#define OC_CRASHVER_IGNORE_ENV "OVSCRASH_IGNORE_CRASH_VERSION"

enum oc_crashver_verdict {
	OC_CRASHVER_MATCH,	/* same version and target: register, silently */
	OC_CRASHVER_IGNORED,	/* versions differ, ignore set: register, warn */
	OC_CRASHVER_REFUSED,	/* do not register: the line says why */
};

struct oc_crashver {
	const char *self;		/* the .so's file name (untrusted) */
	const char *built_version;	/* recorded at build: "9.0.2" */
	const char *built_target;	/* recorded at build: "X86_64" */
	const char *run_version;	/* crash's build_version (may be NULL) */
	const char *run_target;		/* crash's build_target (may be NULL) */
	const char *run_path;		/* crash's executable (may be NULL) */
	const char *ignore;		/* $OVSCRASH_IGNORE_CRASH_VERSION or NULL */
};

/*
 * Decide whether the extension may register in the running crash.  Same
 * version means the exact same build_version string (docs/guard.md says
 * why); same target means the same build_target string.  For
 * OC_CRASHVER_IGNORED and OC_CRASHVER_REFUSED, @line (size @n) gets the
 * one line to print (no newline) naming both versions and targets and
 * what to do: for a version mismatch, rebuild against the running crash's
 * defs.h (`make ext-system` when it is /usr/bin/crash, Debian's, whose
 * defs.h is /usr/include/crash) or use ovscrash-crash; for a target
 * mismatch, load the build for that target.  For OC_CRASHVER_MATCH it is "".  Every string from outside
 * is escaped (core/strutil's oc_escape_text); @line is cut, never
 * overflowed.
 */
enum oc_crashver_verdict oc_crashver_check(const struct oc_crashver *c,
					   char *line, size_t n);

#endif /* OC_CRASHVER_H */
