/* SPDX-License-Identifier: GPL-2.0 */
/*
 * addrmap.h - address -> index, O(1) per lookup (open addressing, linear
 * probing, grown at half full): the duplicate check of a walk that may
 * meet the same object many times.
 */
#ifndef OC_ADDRMAP_H
#define OC_ADDRMAP_H

#include <stddef.h>
#include <stdint.h>

struct oc_addrmap {
	uint64_t *keys;		/* 0 = empty slot */
	int *vals;
	size_t cap, n;		/* cap: 0 or a power of two */
	int zero_val;		/* the value of key 0, -1 none */
	int have_zero;
};

/* Set @key to @val (replacing an old value).  0, or -1 out of memory. */
int oc_addrmap_put(struct oc_addrmap *m, uint64_t key, int val);
/* The value of @key, or -1 when absent. */
int oc_addrmap_get(const struct oc_addrmap *m, uint64_t key);
/* Drop every key (keeps the memory). */
void oc_addrmap_clear(struct oc_addrmap *m);
void oc_addrmap_free(struct oc_addrmap *m);

#endif
