// SPDX-License-Identifier: GPL-2.0
/*
 * pagecache.c - a bounded, direct-mapped cache of whole pages of dump
 * memory in front of a reader (crash's readmem in the extension).
 */
#include "pagecache.h"

#include <stdlib.h>
#include <string.h>

static int pow2(size_t v)
{
	return v && !(v & (v - 1));
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
	c->read = read;
	c->ctx = ctx;
	return 0;
}

/* the slot of a page: Fibonacci hashing of its page number, so pages a
 * fixed stride apart (page-aligned net_devices, per-CPU areas) spread */
static size_t slot_of(const struct oc_pagecache *c, uint64_t page)
{
	uint64_t h = (page / c->page_size) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (c->nslots - 1);
}

static int alloc(struct oc_pagecache *c)
{
	if (c->data)
		return 0;
	c->tags = calloc(c->nslots, sizeof(*c->tags));
	c->data = malloc(c->nslots * c->page_size);
	if (c->tags && c->data)
		return 0;
	free(c->tags);
	free(c->data);
	c->tags = NULL;
	c->data = NULL;
	return -1;
}

/* the cached copy of the page at @page (page aligned), read if needed;
 * NULL when it cannot be read whole */
static const unsigned char *page_of(struct oc_pagecache *c, uint64_t page)
{
	size_t s = slot_of(c, page);
	unsigned char *p = c->data + s * c->page_size;

	if (c->tags[s] == (page | 1)) {
		c->hits++;
		return p;
	}
	c->misses++;
	c->tags[s] = 0;		/* the slot's old page is gone either way */
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
	free(c->tags);
	free(c->data);
	c->tags = NULL;
	c->data = NULL;
	c->hits = c->misses = c->faults = 0;
}
