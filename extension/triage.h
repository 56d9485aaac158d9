/* SPDX-License-Identifier: GPL-2.0 */
/* triage.h - everything together: findings -> verdict */
#ifndef OVSCRASH_TRIAGE_H
#define OVSCRASH_TRIAGE_H

#include "modsyms.h"
#include "ovs.h"
#include "picktx.h"
#include "../core/verdict.h"

struct oc_fixcheck {
	int carrier, running;		/* tri-state: 1 present, 0 absent, -1 unknown */
	char how[768];
};

struct oc_triage {
	struct oc_picktx pt;
	struct oc_ovs ovs;
	struct oc_fixcheck fix;
	struct oc_findings f;
	struct oc_verdict v;
	struct oc_spin *spin;		/* the spin the verdict is about, or NULL */
	struct oc_vport *vport;		/* its vport, or NULL */
	char panic[256];
};

/* the fix check on the DWARF of the openvswitch.ko oc_modsyms_ensure()
 * gave (none if it failed: ms->err says why); how names what was checked */
void oc_fixcheck(struct oc_fixcheck *fc, const struct oc_modsyms *ms);
int oc_triage_run(const char *user_path, struct oc_triage *t);
void oc_triage_free(struct oc_triage *t);

#endif
