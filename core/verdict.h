/* SPDX-License-Identifier: GPL-2.0 */
/*
 * verdict.h - pure rules turning findings (filled in by the crash
 * extension, or by a test) into a verdict.  No I/O.
 */
#ifndef OC_VERDICT_H
#define OC_VERDICT_H

#include <stdint.h>

enum oc_verdict_kind {
	OC_V_OVS_PICKTX_LOCKUP,	/* the OVS unregister/pick_tx lockup */
	OC_V_PICKTX_SPIN_OTHER,	/* spinning in netdev_pick_tx, other cause */
	OC_V_NOT_THIS_BUG,	/* no CPU spinning in netdev_pick_tx */
	OC_V_UNKNOWN,		/* could not tell */
};

/* Tri-state fields: 1 yes, 0 no, -1 unknown (OC_UNKNOWN). */
#define OC_UNKNOWN	(-1)
#define OC_CMD_MAX	128

struct oc_findings {
	int have_spin_frame;	/* tri: a CPU interrupted in netdev_pick_tx */
	int cpu;		/* that CPU, -1 unknown */
	char pc_sym[128];
	unsigned long pc_off;
	int pc_in_loop;		/* tri: loopfind put the PC in the loop */
	uint64_t hash;
	int hash_valid;
	char hash_reg[16];	/* register holding it, "" unknown */
	char qcount_reg[16];
	uint64_t qcount;
	int qcount_valid;
	uint64_t dev_addr;
	int dev_valid;
	unsigned long dev_real_num_tx_queues;
	int dev_rntq_valid;
	int dev_reg_state;	/* enum netdev_reg_state value, -1 unknown */
	char dev_name[64];	/* already escaped (oc_escape_text) */
	int vport_found;	/* tri: an OVS vport's dev is this dev */
	char dp_name[64];	/* already escaped */
	int port_no;		/* -1 unknown */
	int fix_carrier_check_present;	/* tri: do_output checks carrier */
	int fix_running_check_present;	/* tri: do_output checks running */
	char panic_string[256];
	/* crash commands that reproduce each finding ("" if none) */
	char cmd_frame[OC_CMD_MAX];
	char cmd_regs[OC_CMD_MAX];
	char cmd_dev[OC_CMD_MAX];
	char cmd_vport[OC_CMD_MAX];
	char cmd_fix[OC_CMD_MAX];
	char cmd_panic[OC_CMD_MAX];
};

struct oc_evidence {
	char text[256];
	char cmd[OC_CMD_MAX];
};

struct oc_fix_commit {
	const char *commit;
	const char *subject;
};

#define OC_MAX_EVIDENCE	16
#define OC_MAX_CAVEATS	8

struct oc_verdict {
	enum oc_verdict_kind kind;
	const char *signature;	/* stable id, e.g. "ovs-unregister-picktx-lockup" */
	char summary[256];
	int confidence;		/* 0..100 */
	int nevidence;
	struct oc_evidence evidence[OC_MAX_EVIDENCE];
	int ncaveats;		/* why confidence is not higher */
	char caveats[OC_MAX_CAVEATS][160];
	const struct oc_fix_commit *fixes;	/* NULL unless OVS lockup */
	int nfixes;
};

extern const struct oc_fix_commit oc_fix_commits[];
extern const int oc_nfix_commits;

/* All tri-states and numbers to "unknown", strings empty. */
void oc_findings_init(struct oc_findings *f);
void oc_verdict_decide(const struct oc_findings *f, struct oc_verdict *v);
const char *oc_verdict_kind_name(enum oc_verdict_kind k);
/* "NETREG_UNREGISTERING" etc., "unknown" otherwise */
const char *oc_reg_state_name(int reg_state);

#endif /* OC_VERDICT_H */
