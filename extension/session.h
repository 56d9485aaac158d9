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

/* the bound of the running command's page cache (target.c's reads) */
#define OC_PAGECACHE_BYTES	(64UL << 20)

struct oc_session {
	struct oc_budget budget;	/* the running command's */
	/* whole pages of dump memory the running command has read (set up
	 * by target.c on its first read, emptied when a command starts,
	 * freed when it ends) */
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
/* The running command's budget (charged by every walk). */
struct oc_budget *oc_cmd_budget(void);
/* Has the running command spent its budget? */
int oc_cmd_budget_spent(void);
/* Is the running command past its time bound?  (The phases of a command
 * that are not walks -- crash commands, DWARF reads -- check this.) */
int oc_cmd_out_of_time(void);

#endif
