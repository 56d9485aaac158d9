// SPDX-License-Identifier: GPL-2.0
/*
 * budget.c - the per-command work bound (see budget.h).
 */
#include "budget.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void oc_budget_start(struct oc_budget *b, unsigned long max_nodes,
		     unsigned long max_ms)
{
	uint64_t (*clock_ms)(void) = b->clock_ms ? b->clock_ms : monotonic_ms;

	memset(b, 0, sizeof(*b));
	b->max_nodes = max_nodes;
	b->max_ms = max_ms;
	b->clock_ms = clock_ms;
	b->start_ms = clock_ms();
}

unsigned long oc_budget_elapsed_ms(const struct oc_budget *b)
{
	uint64_t now = b->clock_ms ? b->clock_ms() : monotonic_ms();

	return now > b->start_ms ? (unsigned long)(now - b->start_ms) : 0;
}

int oc_budget_charge(struct oc_budget *b, unsigned long n)
{
	if (!b)
		return 0;
	if (b->spent)
		return -1;
	if (b->max_nodes && n > b->max_nodes - b->nodes) {
		snprintf(b->reason, sizeof(b->reason),
			 "node budget of %lu spent", b->max_nodes);
		b->spent = 1;
		return -1;
	}
	if (b->max_ms && oc_budget_elapsed_ms(b) >= b->max_ms) {
		snprintf(b->reason, sizeof(b->reason),
			 "time budget of %lu.%03lu s spent",
			 b->max_ms / 1000, b->max_ms % 1000);
		b->spent = 1;
		return -1;
	}
	b->nodes += n;
	return 0;
}

void oc_budget_stopped_at(struct oc_budget *b, const char *fmt, ...)
{
	va_list ap;

	if (!b || b->where[0])
		return;
	va_start(ap, fmt);
	vsnprintf(b->where, sizeof(b->where), fmt, ap);
	va_end(ap);
}

const char *oc_budget_describe(const struct oc_budget *b, char *buf, size_t n)
{
	snprintf(buf, n, "stopped at %s: %s (%lu nodes read, %lu ms)",
		 b->where[0] ? b->where : "an unrecorded place",
		 b->reason[0] ? b->reason : "budget spent", b->nodes,
		 oc_budget_elapsed_ms(b));
	return buf;
}

/* a decimal unsigned number, all of [s, end) */
static int parse_ulong(const char *s, const char *end, unsigned long *v)
{
	char *e;

	if (s == end || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &e, 10);
	return errno || e != end ? -1 : 0;
}

int oc_budget_parse(const char *s, unsigned long *max_nodes,
		    unsigned long *max_ms, char *err, size_t n)
{
	const char *comma = strchr(s, ','), *end = s + strlen(s);
	const char *orig = s, *dot;
	unsigned long sec = 0, frac = 0, scale = 1;

	/* ",SECONDS": the node bound keeps its value */
	if (s != comma && parse_ulong(s, comma ? comma : end, max_nodes))
		goto bad;
	if (!comma)
		return 0;
	s = comma + 1;
	dot = strchr(s, '.');
	if (parse_ulong(s, dot ? dot : end, &sec) || sec > 86400 * 365)
		goto bad;
	if (dot) {
		const char *p;

		for (p = dot + 1; *p && scale < 1000; p++, scale *= 10) {
			if (*p < '0' || *p > '9')
				goto bad;
			frac = frac * 10 + (unsigned long)(*p - '0');
		}
		if (p == dot + 1 || *p)
			goto bad;	/* "1." or more than ms precision */
	}
	*max_ms = sec * 1000 + frac * (1000 / scale);
	return 0;
bad:
	snprintf(err, n, "budget \"%.40s\": expected NODES or NODES,SECONDS "
		 "(decimal, 0 = unbounded, seconds to ms)", orig);
	return -1;
}
