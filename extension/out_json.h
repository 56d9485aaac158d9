/* SPDX-License-Identifier: GPL-2.0 */
/*
 * out_json.h - one JSON document per command (json-c), printed to crash's
 * output.  Renderers take records the walkers and finders filled; none
 * reads dump memory.  Member names and order are the schema of
 * docs/commands.md.
 */
#ifndef OVSCRASH_OUT_JSON_H
#define OVSCRASH_OUT_JSON_H

#include "modsyms.h"
#include "netdev_query.h"
#include "netns_query.h"
#include "ovs.h"
#include "picktx.h"
#include "triage.h"
#include "../core/budget.h"

void oc_json_ovscrash(const struct oc_modsyms *ms);
/* @b: the command's budget; spent: "truncated" says where and why */
void oc_json_netdev(const struct oc_netdev_query *q, const struct oc_budget *b);
void oc_json_vport(const struct oc_ovs *o, const struct oc_budget *b);
/* @rc: oc_modsyms_ensure()'s result */
void oc_json_ovsmod(const struct oc_modsyms *ms, int rc);
void oc_json_netns(const struct oc_netns_query *q);
void oc_json_picktx(const struct oc_picktx *p);
void oc_json_triage(const struct oc_triage *t, const struct oc_budget *b);

#endif
