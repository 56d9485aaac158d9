// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_exframe - crash's `bt -E` exception frames and `bt` / `bt -a -e`
 * frame lines (core/exframe.c), for both architectures.
 */
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "exframe.h"
#include "panicsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct oc_frame frames[OC_PS_MAX_FRAMES * 2];
	struct oc_exframe_list l = { 0 };
	uint64_t v;
	size_t i;

	oc_exframe_parse(&oc_arch_x86_64, (const char *)data, size, &l);
	for (i = 0; i < l.n; i++)
		oc_regdump_get(&l.v[i].rd, "rip", &v);
	oc_exframe_list_free(&l);
	oc_exframe_parse(&oc_arch_arm64, (const char *)data, size, &l);
	for (i = 0; i < l.n; i++)
		oc_regdump_get(&l.v[i].rd, "pc", &v);
	oc_exframe_list_free(&l);
	oc_bt_frames((const char *)data, size, frames, OC_PS_MAX_FRAMES * 2);
	return 0;
}
