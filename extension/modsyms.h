/* SPDX-License-Identifier: GPL-2.0 */
/* modsyms.h - find, verify (GNU build-id) and load module debuginfo */
#ifndef OVSCRASH_MODSYMS_H
#define OVSCRASH_MODSYMS_H

#include <stddef.h>
#include "target.h"

struct oc_modsyms {
	char module[64];
	int loaded_in_dump;		/* module present in the dump */
	int symbols_loaded;		/* its debuginfo is loaded in crash */
	char build_id[129];		/* of the module in the dump, "" unknown */
	char path[4096];		/* debug file chosen (as found) */
	char loaded[4096];		/* name crash loaded it by (/proc/self/fd/<n> when ovscrash did) */
	char how[320];			/* "build-id match", "already loaded, unverified: <why>", ... */
	int verified;			/* its build-id was read and equals the dump's */
	char mismatch[1024];		/* symbols loaded before, of another build: file, both build-ids */
	char replaced[1024];		/* such a mismatch this session's ovscrash replaced (even
					 * in an earlier command): the same line, else "" */
	char *report;			/* malloc'd: every place searched and why rejected */
	char debuginfod[512];		/* one-line reason debuginfod gave nothing, "" */
	char err[2048];			/* one-line reason on failure */
};

/* Ensure the debuginfo of module name is loaded.  user_path (file or
 * directory, may be NULL) is searched first, then $OVSCRASH_DEBUG_PATH,
 * then the dump's and vmlinux's directories, the unpacked -dbg tree the
 * vmlinux sits in, the standard debug trees, .build-id paths, and last the
 * debuginfod servers of $DEBUGINFOD_URLS.  0 on success, -1 with ms->err. */
int oc_modsyms_ensure(const char *name, const char *user_path, struct oc_modsyms *ms);
void oc_modsyms_free(struct oc_modsyms *ms);

/* Address of a symbol of a module: crash's symbol table first; else (a
 * data symbol of a kernel without CONFIG_KALLSYMS_ALL, which crash does
 * not relocate) its section and offset from the debug file plus that
 * section's load address from struct module.sect_attrs.  0 if unknown,
 * with why filled. */
oc_addr oc_module_symbol(const char *module, const char *debug_path, const char *sym,
			 char *why, size_t n);

#endif
