// SPDX-License-Identifier: GPL-2.0
/*
 * pagecache.c - a bounded, 4-way set-associative cache of whole pages of
 * dump memory in front of a reader (crash's readmem in the extension).
 * Direct-mapped, a walk of 11,108 devices (about 19,000 pages) in 65,536
 * slots lost a quarter of its pages to slot conflicts, each one a page
 * decompression again on the next walk; in sets of 4 almost none.
 */
#include "pagecache.h"

#include <stdlib.h>
#include <string.h>

static int pow2(size_t v)
{
	return v && !(v & (v - 1));
}

/* ways in a set (fewer when the cache is smaller than one set) */
static size_t ways(const struct oc_pagecache *c)
{
	return c->nslots < OC_PAGECACHE_WAYS ? c->nslots : OC_PAGECACHE_WAYS;
}

int oc_pagecache_init(struct oc_pagecache *c, size_t page_size,
		      size_t max_bytes, oc_page_reader read, void *ctx)
{
	size_t n = 1;

	memset(c, 0, sizeof(*c));
	if (!pow2(page_size) || page_size < 8 || max_bytes < page_size || !read)
		return -1;
	while (n * 2 <= max_bytes / page_size)
		n *= 2;
	c->page_size = page_size;
	c->nslots = n;
	/* log2 of the number of sets, once: set_of() runs on every read */
	while (((size_t)1 << c->set_bits) < n / ways(c))
		c->set_bits++;
	c->read = read;
	c->ctx = ctx;
	return 0;
}

/* the first slot of a page's set: Fibonacci hashing of its page number,
 * so pages a fixed stride apart (page-aligned net_devices, per-CPU
 * areas) spread over the sets */
static size_t set_of(const struct oc_pagecache *c, uint64_t page)
{
	uint64_t h = (page / c->page_size) * 0x9e3779b97f4a7c15ULL;

	/* the product's top bits are the well-mixed ones */
	return c->set_bits ?
	       (size_t)(h >> (64 - c->set_bits)) * OC_PAGECACHE_WAYS : 0;
}

/* the memory, none cached */
static void release(struct oc_pagecache *c)
{
	free(c->tags);
	free(c->next);
	free(c->data);
	c->tags = NULL;
	c->next = NULL;
	c->data = NULL;
}

static int alloc(struct oc_pagecache *c)
{
	if (c->data)
		return 0;
	c->tags = calloc(c->nslots, sizeof(*c->tags));
	c->next = calloc(c->nslots / ways(c), 1);
	c->data = malloc(c->nslots * c->page_size);
	if (c->tags && c->next && c->data)
		return 0;
	release(c);
	return -1;
}

/* the cached copy of the page at @page (page aligned), read if needed;
 * NULL when it cannot be read whole */
static const unsigned char *page_of(struct oc_pagecache *c, uint64_t page)
{
	size_t first = set_of(c, page), nw = ways(c), w, s;
	unsigned char *p;

	for (w = 0; w < nw; w++) {
		if (c->tags[first + w] == (page | 1)) {
			c->hits++;
			return c->data + (first + w) * c->page_size;
		}
	}
	c->misses++;
	/* an empty way, else the set's ways in turn (round robin) */
	for (w = 0; w < nw && c->tags[first + w]; w++)
		;
	if (w == nw) {
		w = c->next[first / nw] % nw;
		c->next[first / nw] = (unsigned char)((w + 1) % nw);
	}
	s = first + w;
	p = c->data + s * c->page_size;
	c->tags[s] = 0;		/* the way's old page is gone either way */
	if (c->read(c->ctx, page, p, c->page_size)) {
		c->faults++;
		return NULL;
	}
	c->tags[s] = page | 1;
	return p;
}

int oc_pagecache_read(struct oc_pagecache *c, uint64_t addr, void *buf,
		      size_t len)
{
	unsigned char *out = buf;
	uint64_t mask;

	if (!len)
		return 0;
	if (!c->nslots || addr + (len - 1) < addr || alloc(c))
		return -1;
	mask = c->page_size - 1;
	while (len) {
		uint64_t page = addr & ~mask;
		size_t off = addr & mask, n = c->page_size - off;
		const unsigned char *p;

		if (n > len)
			n = len;
		if (!(p = page_of(c, page)))
			return -1;
		memcpy(out, p + off, n);
		out += n;
		addr += n;
		len -= n;
	}
	return 0;
}

void oc_pagecache_clear(struct oc_pagecache *c)
{
	if (c->tags)
		memset(c->tags, 0, c->nslots * sizeof(*c->tags));
	c->hits = c->misses = c->faults = 0;
}

void oc_pagecache_free(struct oc_pagecache *c)
{
	release(c);
	c->hits = c->misses = c->faults = 0;
}
