/* SPDX-License-Identifier: GPL-2.0 */
/*
 * out_text.h - crash-style text output of every command, printed to
 * crash's output.  Renderers take records the walkers and finders filled;
 * none reads dump memory.
 */
#ifndef OVSCRASH_OUT_TEXT_H
#define OVSCRASH_OUT_TEXT_H

#include "modsyms.h"
#include "netdev_query.h"
#include "netns_query.h"
#include "ovs.h"
#include "picktx.h"
#include "triage.h"
#include "../core/budget.h"

void oc_text_ovscrash(const struct oc_modsyms *ms);
/* @b: the command's budget; spent: one TRUNCATED line says where */
void oc_text_netdev(const struct oc_netdev_query *q, const struct oc_budget *b);
void oc_text_vport(const struct oc_ovs *o, const struct oc_budget *b);
/* @rc: oc_modsyms_ensure()'s result */
void oc_text_ovsmod(const struct oc_modsyms *ms, int rc);
/* the netns command: the table, then each namespace's names, tasks and holder */
void oc_text_netns(const struct oc_netns_query *q);
void oc_text_picktx(const struct oc_picktx *p);
void oc_text_triage(const struct oc_triage *t, const struct oc_budget *b);

#endif
