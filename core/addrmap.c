// SPDX-License-Identifier: GPL-2.0
/*
 * addrmap.c - address -> index hash map (see addrmap.h).
 */
#include "addrmap.h"

#include <stdlib.h>
#include <string.h>

/* 64-bit finaliser of MurmurHash3: kernel addresses differ mostly in
 * their middle bits, which it spreads over the low ones */
static size_t slot_of(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

static void insert(uint64_t *keys, int *vals, size_t cap, uint64_t k, int v,
		   size_t *n)
{
	size_t i = slot_of(k, cap);

	while (keys[i] && keys[i] != k)
		i = (i + 1) & (cap - 1);
	if (!keys[i])
		(*n)++;
	keys[i] = k;
	vals[i] = v;
}

static int grow(struct oc_addrmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i, n = 0;
	uint64_t *keys;
	int *vals;

	if (cap < m->cap)
		return -1;
	keys = calloc(cap, sizeof(*keys));
	vals = calloc(cap, sizeof(*vals));
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	for (i = 0; i < m->cap; i++)
		if (m->keys[i])
			insert(keys, vals, cap, m->keys[i], m->vals[i], &n);
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	m->n = n;
	return 0;
}

int oc_addrmap_put(struct oc_addrmap *m, uint64_t key, int val)
{
	if (!key) {
		m->have_zero = 1;
		m->zero_val = val;
		return 0;
	}
	if ((m->n + 1) * 2 > m->cap && grow(m))
		return -1;
	insert(m->keys, m->vals, m->cap, key, val, &m->n);
	return 0;
}

int oc_addrmap_get(const struct oc_addrmap *m, uint64_t key)
{
	size_t i;

	if (!key)
		return m->have_zero ? m->zero_val : -1;
	if (!m->cap)
		return -1;
	for (i = slot_of(key, m->cap); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return m->vals[i];
	return -1;
}

void oc_addrmap_clear(struct oc_addrmap *m)
{
	if (m->cap)
		memset(m->keys, 0, m->cap * sizeof(*m->keys));
	m->n = 0;
	m->have_zero = 0;
}

void oc_addrmap_free(struct oc_addrmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
