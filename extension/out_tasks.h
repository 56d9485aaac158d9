/* SPDX-License-Identifier: GPL-2.0 */
/* out_tasks.h - the task/cgroup index printed (the hidden ovstasks command) */
#ifndef OVSCRASH_OUT_TASKS_H
#define OVSCRASH_OUT_TASKS_H

/* every namespace with tasks, its tasks and their cgroups (with
 * @stats_only, the index walk's counts alone); text or JSON */
void oc_tasks_print(int json, int stats_only);

#endif
