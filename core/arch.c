// SPDX-License-Identifier: GPL-2.0
/*
 * arch.c - architecture registry (no architecture specifics here).
 */
#include <string.h>
#include <strings.h>

#include "arch.h"

const struct oc_arch *const oc_arches[] = {
	&oc_arch_x86_64,
	&oc_arch_arm64,
	NULL,
};

const struct oc_arch *oc_arch_by_name(const char *name)
{
	if (!name)
		return NULL;
	if (!strcasecmp(name, "x86_64") || !strcasecmp(name, "x86-64") ||
	    !strcasecmp(name, "amd64"))
		return &oc_arch_x86_64;
	if (!strcasecmp(name, "arm64") || !strcasecmp(name, "aarch64"))
		return &oc_arch_arm64;
	return NULL;
}

const char *oc_insn_kind_name(enum oc_insn_kind k)
{
	switch (k) {
	case OC_K_CMP:
		return "cmp";
	case OC_K_SUB:
		return "sub";
	case OC_K_BRANCH:
		return "branch";
	case OC_K_CBRANCH:
		return "cbranch";
	case OC_K_RET:
		return "ret";
	case OC_K_MOV:
		return "mov";
	case OC_K_CALL:
		return "call";
	case OC_K_OTHER:
		break;
	}
	return "other";
}
