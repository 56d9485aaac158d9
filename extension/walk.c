// SPDX-License-Identifier: GPL-2.0
/* walk.c - core/walk over crash's readmem, charged to the running
 * command's budget */
#include "walk.h"
#include "session.h"
#include "../core/walk.h"

static int read_ptr(void *ctx, uint64_t addr, uint64_t *val)
{
	oc_addr v;

	if (oc_read_ulong(addr, &v))
		return -1;
	*val = v;
	return 0;
}

static int valid(void *ctx, uint64_t addr)
{
	return oc_is_kvaddr(addr);
}

static const struct oc_mem crash_mem = { read_ptr, valid, NULL };

struct tramp {
	int (*cb)(oc_addr, void *);
	void *arg;
};

static int call(uint64_t node, void *arg)
{
	struct tramp *t = arg;

	return t->cb(node, t->arg);
}

int oc_list_walk(oc_addr head, int (*cb)(oc_addr, void *), void *arg, char *why, size_t n)
{
	struct tramp t = { cb, arg };

	return oc_walk(&crash_mem, oc_cmd_budget(), head, 0, OC_MAX_WALK, call,
		       &t, why, n);
}

int oc_hlist_walk(oc_addr head, int (*cb)(oc_addr, void *), void *arg, char *why, size_t n)
{
	struct tramp t = { cb, arg };

	return oc_walk(&crash_mem, oc_cmd_budget(), head, 1, OC_MAX_WALK, call,
		       &t, why, n);
}
