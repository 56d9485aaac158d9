/* SPDX-License-Identifier: GPL-2.0 */
/* triage.h - everything together: findings -> verdict */
#ifndef OVSCRASH_TRIAGE_H
#define OVSCRASH_TRIAGE_H

#include "modsyms.h"
#include "ovs.h"
#include "picktx.h"
#include "tasks.h"
#include "veth.h"
#include "../core/verdict.h"

struct oc_fixcheck {
	int carrier, running;		/* tri-state: 1 present, 0 absent, -1 unknown */
	char how[768];
};

/* whose the victim is: its veth peer, the peer's namespace, the tasks
 * and cgroups there (issue 13) */
struct oc_tenant {
	int have;			/* a victim device was read */
	oc_addr victim;
	unsigned char victim_name[OC_PEER_NAME];	/* raw bytes */
	oc_addr priv;			/* the victim's veth_priv, 0 unknown */
	struct oc_veth_peer peer;
	char peer_status[640];		/* why the peer is unknown, "" */
	oc_addr net;			/* the tenant's namespace (the peer's), 0 unknown */
	unsigned int inum;
	char netns[256];		/* its names or inode (escaped), "" unknown */
	int dying;			/* its namespace is being torn down: 1, 0, -1 unknown */
	int have_tasks;			/* tasks looked up (oc_tasks_of_net) */
	struct oc_net_tasks tasks;
	char why[256];			/* why a part is unknown, "" */
};

struct oc_triage {
	struct oc_picktx pt;
	struct oc_ovs ovs;
	struct oc_fixcheck fix;
	struct oc_findings f;
	struct oc_verdict v;
	struct oc_spin *spin;		/* the spin the verdict is about, or NULL */
	struct oc_vport *vport;		/* its vport, or NULL */
	struct oc_tenant tenant;
	char panic[256];
};

/* the fix check on the DWARF of the openvswitch.ko oc_modsyms_ensure()
 * gave (none if it failed: ms->err says why); how names what was checked */
void oc_fixcheck(struct oc_fixcheck *fc, const struct oc_modsyms *ms);
int oc_triage_run(const char *user_path, struct oc_triage *t);
void oc_triage_free(struct oc_triage *t);

#endif
