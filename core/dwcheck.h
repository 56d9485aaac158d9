/* SPDX-License-Identifier: GPL-2.0 */
/* dwcheck.h - which functions a function inlines or calls, from DWARF */
#ifndef OC_DWCHECK_H
#define OC_DWCHECK_H

#include <stddef.h>

/* For the concrete DW_TAG_subprogram func in the ELF file path, set
 * present[i] = 1 for each callees[i] that appears inside it as an
 * inlined subroutine or a call site.  0 on success (func found), -1 with
 * err filled. */
int oc_dwarf_func_uses(const char *path, const char *func, const char *const *callees,
		       int ncallees, int *present, char *err, size_t errsz);

#endif
