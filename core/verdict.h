/* SPDX-License-Identifier: GPL-2.0 */
/*
 * verdict.h - pure rules turning findings (filled in by the crash
 * extension, or by a test) into a verdict.  No I/O.
 */
#ifndef OC_VERDICT_H
#define OC_VERDICT_H

#include <stdint.h>

#include "panicsig.h"

enum oc_verdict_kind {
	OC_V_OVS_PICKTX_LOCKUP,	/* the OVS unregister/pick_tx lockup */
	OC_V_PICKTX_SPIN_OTHER,	/* spinning in netdev_pick_tx, other cause */
	OC_V_NOT_THIS_BUG,	/* no CPU spinning in netdev_pick_tx */
	OC_V_UNKNOWN,		/* could not tell */
};

/* Tri-state fields: 1 yes, 0 no, -1 unknown (OC_UNKNOWN). */
#define OC_UNKNOWN	(-1)
#define OC_CMD_MAX	128
#define OC_TENANT_EV	6	/* evidence items of the tenant */

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
	/* enumerators resolved by the caller (from debuginfo in crash):
	 * findings carry names, verdict.c knows no numbering */
	char dev_reg_state[40];	/* "NETREG_UNREGISTERING", "" unknown */
	char dev_state[96];	/* "PRESENT|NOCARRIER|...", "" unknown */
	int dev_running;	/* tri: __LINK_STATE_START set (netif_running) */
	int dev_carrier;	/* tri: __LINK_STATE_NOCARRIER clear (netif_carrier_ok) */
	char dev_name[64];	/* already escaped (oc_escape_text) */
	int vport_found;	/* tri: an OVS vport's dev is this dev */
	char dp_name[64];	/* already escaped */
	int port_no;		/* -1 unknown */
	int fix_carrier_check_present;	/* tri: do_output checks carrier */
	int fix_running_check_present;	/* tri: do_output checks running */
	char panic_string[256];
	/* "" when the kernel log was read; else why it could not be (then
	 * the panic string and the log's panic reports are unknown, not
	 * absent, and nothing is decided on them) */
	char log_problem[224];
	/*
	 * How the spinning CPU got to netdev_pick_tx: its stack (crash bt)
	 * or the log's call trace, top first.  Fill with oc_findings_path().
	 */
	int ovs_path;		/* tri: OVS transmit path (ovs_vport_send,
				 * do_output, do_execute_actions [openvswitch]) */
	char path[224];		/* "netdev_core_pick_tx <- __dev_queue_xmit <- ..." */
	char other_path[64];	/* "tc mirred", "bonding", ... "" none known */
	char path_source[48];	/* "stack of CPU 1 (bt -c 1)", "log call trace" */
	/* what the dump is, from the log's panic reports (oc_panic_parse) */
	char panic_kind[24];	/* oc_panic_kind_name(), "" unknown */
	char panic_where[200];	/* "ovscrash_helper_spin+0x1c [ovscrash_helper]", escaped */
	char panic_func[128];	/* its function, escaped, "" unknown */
	char panic_mod[64];	/* its module, escaped, "" vmlinux or unknown */
	char panic_bucket[17];	/* oc_panic_bucket(), "" none */
	char panic_bucket_desc[224];
	char panic_cpu_text[16];	/* "CPU 1", "" unknown */
	/* "" when every finding was gathered; else where and why gathering
	 * stopped (the command's work budget): what is unknown may exist */
	char partial[200];
	/*
	 * Whose the victim is (issue 13), filled by the extension: the
	 * line "victim p2 <-> vB in netns B (pid 168 nginx, cgroup /kubepods/
	 * ...)" (escaped) and the evidence for each part, each with the
	 * crash command that shows it ("" none).
	 */
	char tenant[480];
	int ntenant_ev;
	struct {
		char text[256];
		char cmd[OC_CMD_MAX];
	} tenant_ev[OC_TENANT_EV];
	/* crash commands that reproduce each finding ("" if none) */
	char cmd_frame[OC_CMD_MAX];
	char cmd_regs[OC_CMD_MAX];
	char cmd_dev[OC_CMD_MAX];
	char cmd_vport[OC_CMD_MAX];
	char cmd_fix[OC_CMD_MAX];
	char cmd_panic[OC_CMD_MAX];
	char cmd_path[OC_CMD_MAX];
};

struct oc_evidence {
	char text[256];
	char cmd[OC_CMD_MAX];
};

struct oc_fix_commit {
	const char *commit;
	const char *subject;
	const char *check;	/* the test it adds to do_output() */
};

/* One fix judged against the victim's state. */
struct oc_fix_judgement {
	const struct oc_fix_commit *fix;
	int would_stop;		/* tri: its check fails on this device state */
	int present;		/* tri: this build's do_output() has the check */
	char why[160];
};

#define OC_MAX_EVIDENCE	24
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
	struct oc_fix_judgement judged[2];	/* per fix, when nfixes */
	char state_words[96];	/* "unregistering, not running, no carrier" */
};

extern const struct oc_fix_commit oc_fix_commits[];
extern const int oc_nfix_commits;

/* All tri-states and numbers to "unknown", strings empty. */
void oc_findings_init(struct oc_findings *f);
void oc_verdict_decide(const struct oc_findings *f, struct oc_verdict *v);
const char *oc_verdict_kind_name(enum oc_verdict_kind k);
/*
 * Fill f->ovs_path, f->path and f->other_path from a call chain, top
 * first, starting anywhere (frames above netdev_pick_tx are skipped
 * up to it).  @source names where the frames came from.
 */
void oc_findings_path(struct oc_findings *f, const struct oc_frame *frames,
		      int n, const char *source, const char *cmd);
/* Fill f->panic_* from the report that caused the panic (or the first). */
void oc_findings_panic(struct oc_findings *f, const struct oc_panic_list *l);

#endif /* OC_VERDICT_H */
