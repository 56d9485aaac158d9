// SPDX-License-Identifier: GPL-2.0
/*
 * plausible.c - the kernel's own invariants on a vport, a net_device and
 * a pernet id, checked before ovscrash believes a damaged dump.
 */
#include "plausible.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int oc_vport_check(const struct oc_vport_facts *f, char *why, size_t n)
{
	if (f->dp_read == 0) {
		snprintf(why, n, "dp unreadable");
		return -1;
	}
	if (f->dp_read > 0 && f->vport_dp != f->dp) {
		snprintf(why, n, "dp %" PRIx64 " is not datapath %" PRIx64,
			 f->vport_dp, f->dp);
		return -1;
	}
	if (!f->port_read) {
		snprintf(why, n, "port_no unreadable");
		return -1;
	}
	if (f->nbuckets > 0 &&
	    (int)(f->port_no & (unsigned int)(f->nbuckets - 1)) != f->bucket) {
		snprintf(why, n, "port_no %u does not hash to bucket %d",
			 f->port_no, f->bucket);
		return -1;
	}
	return 0;
}

/* dev_valid_name()'s rules */
static const char *name_problem(const unsigned char *s, size_t size)
{
	size_t i;

	if (!size || !s[0])
		return "empty";
	for (i = 0; i < size && s[i]; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] == ' ' || s[i] == 0xa0 ||
		    (s[i] >= '\t' && s[i] <= '\r'))	/* the kernel's isspace() */
			return "has '/', ':' or white space";
	if (i == size)
		return "not NUL-terminated within IFNAMSIZ";
	if (!strcmp((const char *)s, ".") || !strcmp((const char *)s, ".."))
		return "is . or ..";
	return NULL;
}

int oc_dev_check(const struct oc_dev_facts *f, char *why, size_t n)
{
	const char *p = name_problem(f->name, f->name_size);

	if (p) {
		snprintf(why, n, "name %s", p);
		return -1;
	}
	if (!f->reg_state_known) {
		snprintf(why, n, "reg_state %ld not an enumerator", f->reg_state);
		return -1;
	}
	if (f->ifindex <= 0) {
		snprintf(why, n, "ifindex %ld not positive", f->ifindex);
		return -1;
	}
	if (f->num_tx < 1 || f->real_num_tx < 0 || f->real_num_tx > f->num_tx) {
		snprintf(why, n, "tx queues %ld/%ld impossible", f->real_num_tx,
			 f->num_tx);
		return -1;
	}
	return 0;
}

int oc_pernet_id_check(uint32_t id, uint32_t max, uint32_t len, int len_read,
		       char *why, size_t n)
{
	if (id == 0) {
		snprintf(why, n, "0 is no pernet id");
		return -1;
	}
	if (max && id >= max) {
		snprintf(why, n, "%" PRIu32 " (0x%" PRIx32 ") not below max_gen_ptrs %" PRIu32,
			 id, id, max);
		return -1;
	}
	if (!len_read) {
		snprintf(why, n, "net_generic.len unreadable");
		return 1;
	}
	if (id >= len) {
		snprintf(why, n, "net_generic.len %" PRIu32 " does not cover id %" PRIu32,
			 len, id);
		return 1;
	}
	return 0;
}
