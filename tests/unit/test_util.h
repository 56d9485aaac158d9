/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OC_TEST_UTIL_H
#define OC_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/*
 * Read tests/unit/data/@name into a buffer of exactly its size (no NUL
 * after it, so a parser reading past @len trips the sanitizers).
 */
char *oc_test_read(const char *name, size_t *len);

struct oc_disasm;
/* Parse tests/unit/data/@name as crash `dis` output into @d (asserts the
 * file reads and parses); free with oc_disasm_free(). */
void oc_test_load_disasm(const char *name, struct oc_disasm *d);

int oc_test_strutil(void);
int oc_test_disasm(void);
int oc_test_arch(void);
int oc_test_regdump(void);
int oc_test_loopfind(void);
int oc_test_verdict(void);
int oc_test_walk(void);
int oc_test_addrmap(void);
int oc_test_pagecache(void);
int oc_test_exframe(void);
int oc_test_elfinfo(void);
int oc_test_dwcheck(void);
int oc_test_panicsig(void);
int oc_test_debugpath(void);
int oc_test_fuzzfound(void);
int oc_test_plausible(void);
int oc_test_cgname(void);
int oc_test_nsname(void);
int oc_test_crashver(void);

#endif
