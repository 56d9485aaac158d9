/* SPDX-License-Identifier: GPL-2.0 */
/*
 * session.h - what ovscrash keeps for one crash session, and the work
 * budget of the command now running: one bound on nodes read and time
 * spent across every walk the command nests, set once when the command
 * starts (its -B option, else $OVSCRASH_BUDGET, else the defaults).
 */
#ifndef OVSCRASH_SESSION_H
#define OVSCRASH_SESSION_H

#include <stddef.h>

#include "../core/budget.h"
#include "../core/pagecache.h"

/*
 * The bound of the session's page cache (target.c's reads): 65,536 page
 * slots.  Only the pages commands touch become resident (a netdev walk
 * of 11,108 devices touches about 19,000; triage about 4,600).
 */
#define OC_PAGECACHE_BYTES	(256UL << 20)

struct oc_session {
	struct oc_budget budget;	/* the running command's */
	unsigned long command_seq;	/* commands started this session */
	/* whole pages of dump memory read by this session's commands (set
	 * up by target.c on the first read; a dump's memory does not
	 * change, so they serve every later command; never on a live
	 * system) */
	struct oc_pagecache pages;
	/* a module file of another build, loaded before ovscrash, that
	 * ovscrash replaced by the matching one: the mismatch line (file,
	 * both build-ids), shown by every later ovsmod */
	char replaced[1024];
};

extern struct oc_session oc_sess;

/*
 * Start the running command's budget from @opt ("NODES[,SECONDS]", the
 * command's -B value; NULL: $OVSCRASH_BUDGET; unset: the defaults).
 * Returns 0, or -1 with @err saying which value is bad.
 */
int oc_session_command(const char *opt, char *err, size_t n);
/* The running command @cmd is done: free what it kept (its page cache).
 * A command that crash ended early (error(FATAL), Ctrl-C) leaves it for
 * the next command's start to empty.  With $OVSCRASH_TIMING set (in
 * crash's environment), one line on stderr: "OVSCRASH_TIMING <cmd>
 * wall_ms W cpu_ms C pages_read P page_hits H", the command's own time
 * from its start (after option parsing) to here, start-up and the
 * shell's fork excluded (what tests/bench/parts/30-walks.sh reads). */
void oc_session_command_done(const char *cmd);
/* Free what the session keeps (extend -u, crash's exit). */
void oc_session_end(void);
/* The running command's budget (charged by every walk). */
struct oc_budget *oc_cmd_budget(void);
/* Has the running command spent its budget? */
int oc_cmd_budget_spent(void);
/* Is the running command past its time bound?  (The phases of a command
 * that are not walks -- crash commands, DWARF reads -- check this.) */
int oc_cmd_out_of_time(void);

#endif
