/* SPDX-License-Identifier: GPL-2.0 */
/* picktx.h - find CPUs spinning in netdev_pick_tx and decode the loop */
#ifndef OVSCRASH_PICKTX_H
#define OVSCRASH_PICKTX_H

#include "netdev.h"
#include "../core/regdump.h"
#include "../core/loopfind.h"

#define OC_MAX_SPINS 64

struct oc_spin {
	int cpu;
	int panic_cpu;			/* the CPU that panicked */
	char source[48];		/* "exception frame (bt -E)" / "kernel log" */
	uint64_t frame_addr;		/* exception frame address, 0 for log */
	struct oc_regdump rd;
	uint64_t pc;			/* 0 if only sym+off is known */
	long pc_off;
	struct oc_loop loop;
	char src_file[256];		/* of the loop's sub (loop.src_file is not kept) */
	uint64_t hash, qcount, qoffset;
	int hash_valid, qcount_valid, qoffset_valid;
	char dev_reg[16];
	struct oc_netdev nd;
	int dev_ok;
	int qcount_matches_dev;		/* -1 unknown */
	char note[200];
};

struct oc_picktx {
	const char *func;		/* "netdev_pick_tx" */
	uint64_t func_addr;
	int ninsns;
	long func_len;			/* from the last instruction, 0 unknown */
	/* gdb/DWARF offsets minus kallsyms/oops offsets (arm64: the ftrace
	 * patchable NOPs before DWARF's low_pc make gdb's 8 lower) */
	long gdb_off_delta;
	int nspins;
	struct oc_spin spins[OC_MAX_SPINS];
	int log_dumps;			/* register dumps in the log */
	char status[256];		/* why nothing could be decoded */
};

int oc_picktx_find(struct oc_picktx *p);

#endif
