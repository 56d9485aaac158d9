/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagecache.h - whole pages of dump memory, read once and kept for the
 * running command: a walk reads a dozen fields of each net_device, the
 * per-CPU counters of every device and the same list heads again and
 * again, and each read through crash costs an address translation and,
 * on a kdump-compressed dump, often a page decompression (crash itself
 * keeps only a few decompressed pages).  Bounded: a fixed number of
 * slots in sets of OC_PAGECACHE_WAYS (a page evicts the pages of its set
 * in turn); the memory is allocated on first use (only the pages used
 * become resident) and freed by oc_pagecache_free().
 *
 * A page that cannot be read whole is not cached: the caller reads the
 * bytes it wanted directly, so a fault is reported exactly as without
 * the cache.
 */
#ifndef OC_PAGECACHE_H
#define OC_PAGECACHE_H

#include <stddef.h>
#include <stdint.h>

/* Read @len bytes at @addr into @buf; 0 on success. */
typedef int (*oc_page_reader)(void *ctx, uint64_t addr, void *buf, size_t len);

#define OC_PAGECACHE_WAYS	4

struct oc_pagecache {
	size_t page_size;	/* a power of two */
	size_t nslots;		/* a power of two */
	unsigned int set_bits;	/* log2 of the sets (nslots / ways) */
	oc_page_reader read;
	void *ctx;
	unsigned char *data;	/* nslots * page_size, NULL until used */
	uint64_t *tags;		/* page address + 1 per slot, 0 empty */
	unsigned char *next;	/* per set: the way to evict next */
	unsigned long hits, misses, faults;	/* page lookups */
};

/*
 * Set up @c (no memory yet) for pages of @page_size bytes and at most
 * @max_bytes of them.  0, or -1 when @page_size is not a power of two
 * or @max_bytes holds less than one page.
 */
int oc_pagecache_init(struct oc_pagecache *c, size_t page_size,
		      size_t max_bytes, oc_page_reader read, void *ctx);
/*
 * Copy @len bytes at @addr into @buf from the cached pages, reading
 * every page not yet cached whole through the reader.  0 on success;
 * -1 when a page the span touches cannot be read whole (nothing is
 * cached for it; @buf is undefined) or memory is short: the caller then
 * reads the span itself.
 */
int oc_pagecache_read(struct oc_pagecache *c, uint64_t addr, void *buf,
		      size_t len);
/* Forget every page (keeps the memory). */
void oc_pagecache_clear(struct oc_pagecache *c);
/* Forget every page and free the memory; @c stays set up. */
void oc_pagecache_free(struct oc_pagecache *c);

#endif
