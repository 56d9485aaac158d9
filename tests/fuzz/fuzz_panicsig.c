// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_panicsig - panic-class reports and their signatures in kernel-log
 * text (core/panicsig.c, which also runs core/regdump.c on each report).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "panicsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oc_panic_list l;
	char bucket[17], desc[512];
	size_t i;

	memset(&l, 0, sizeof(l));
	oc_panic_parse((const char *)data, size, &l);
	for (i = 0; i < l.n; i++) {
		oc_panic_bucket(&l.v[i], bucket, desc, sizeof(desc));
		oc_panic_bucket(&l.v[i], bucket, NULL, 0);
		oc_panic_kind_name(l.v[i].kind);
		oc_panic_kind_text(l.v[i].kind);
	}
	oc_panic_list_free(&l);
	return 0;
}
