/* SPDX-License-Identifier: GPL-2.0 */
/* modsyms.h - find, verify (GNU build-id) and load module debuginfo */
#ifndef OVSCRASH_MODSYMS_H
#define OVSCRASH_MODSYMS_H

#include <stddef.h>

struct oc_modsyms {
	char module[64];
	int loaded_in_dump;		/* module present in the dump */
	int symbols_loaded;		/* its debuginfo is loaded in crash */
	char build_id[129];		/* of the module in the dump, "" unknown */
	char path[4096];		/* debug file chosen (as found) */
	char loaded[4096];		/* file crash loaded (decompressed copy) */
	char how[64];			/* "already loaded", "build-id match", ... */
	char *report;			/* malloc'd: every place searched and why rejected */
	char err[512];			/* one-line reason on failure */
};

/* Ensure the debuginfo of module name is loaded.  user_path (file or
 * directory, may be NULL) is searched first, then $OVSCRASH_DEBUG_PATH,
 * then the dump's and vmlinux's directories, the standard debug trees and
 * a .build-id store.  0 on success, -1 with ms->err. */
int oc_modsyms_ensure(const char *name, const char *user_path, struct oc_modsyms *ms);
void oc_modsyms_free(struct oc_modsyms *ms);

#endif
