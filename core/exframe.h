/* SPDX-License-Identifier: GPL-2.0 */
/* exframe.h - kernel-mode exception frames from crash's `bt -E` text */
#ifndef OC_EXFRAME_H
#define OC_EXFRAME_H

#include "regdump.h"

struct oc_exframe {
	int cpu;			/* from "CPU N ... STACK:", -1 if none */
	char stack[32];			/* "IRQ", "NMI EXCEPTION", ... */
	uint64_t frame_addr;		/* KERNEL-MODE EXCEPTION FRAME AT: */
	struct oc_regdump rd;		/* pc_sym/pc_off + registers */
};

struct oc_exframe_list {
	struct oc_exframe *v;
	size_t n, cap;
};

/* Parse `bt -E` output; duplicates (same CPU and frame address) are
 * dropped.  Returns the number of frames or -1 on allocation failure. */
int oc_exframe_parse(const struct oc_arch *a, const char *text, size_t len,
		     struct oc_exframe_list *out);
void oc_exframe_list_free(struct oc_exframe_list *l);

/*
 * The frames of crash's `bt` text, top first:
 *   " #9 [ffffc900000f8b38] do_execute_actions at ffffffffc08f7a05 [openvswitch]"
 * Lines of other shapes (headers, exception frames, stack markers) are
 * skipped.  Returns the number of frames stored (at most @max).
 */
struct oc_frame;
int oc_bt_frames(const char *text, size_t len, struct oc_frame *out, int max);

#endif
