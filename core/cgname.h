/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgname.h - cgroup names as a task's /proc/PID/cgroup would show them,
 * assembled from what a dump holds: a path from the kernfs names of a
 * cgroup's parent chain, a v1 hierarchy's label from its controller mask
 * and name, and the pod or container that Kubernetes, docker, podman or
 * containerd wrote into a path.  Plain strings, no dump access.
 */
#ifndef OC_CGNAME_H
#define OC_CGNAME_H

#include <stddef.h>

/*
 * The path of a cgroup from the names of its kernfs nodes, @leaf_first
 * [0] the cgroup's own, [n-1] the child of the hierarchy's root (the
 * root itself, whose name is "", not included): "/a/b/c"; n == 0 gives
 * "/".  @out is always NUL terminated (outsz > 0).  Returns 0, or 1 when
 * the path did not fit and was cut.
 */
int oc_cg_path(const char *const *leaf_first, int n, char *out, size_t outsz);

/*
 * A v1 hierarchy's label as /proc/PID/cgroup writes it: the names of the
 * controllers in @mask (bit i is controller @ss_names[i]; a bit without
 * a name, or past @n_ss, is written "ss<i>"), joined by ",", then
 * "name=<name>" when @name is not empty: "cpu,cpuacct", "name=systemd".
 * "" for no controller and no name.  Returns 1 when cut to @outsz.
 */
int oc_cg_label(unsigned long mask, const char *const *ss_names, int n_ss,
		const char *name, char *out, size_t outsz);

/*
 * Where a task's next hierarchy, labelled @label, goes among the @n kept
 * (@kept[i] their labels, "" for v2) when at most @max are kept: @n while
 * there is room; when full, a named hierarchy ("name=systemd", the one
 * that carries systemd's and Kubernetes' names on a v1 host) takes the
 * slot of the last controller-only v1 hierarchy; else -1 (not kept).
 */
int oc_cg_slot(const char *const *kept, int n, int max, const char *label);

/*
 * The tenant a cgroup path gives away, for a one-line summary:
 *   "pod <uid>" (Kubernetes, cgroupfs or systemd driver: pod<uid>,
 *   kubepods-...-pod<uid_with_underscores>.slice), followed by
 *   " container <id>" when a container's cgroup sits below the pod;
 *   "docker <id>", "libpod <id>", "cri-containerd <id>", "crio <id>"
 *   (a systemd <kind>-<id>.scope, or cgroupfs /docker/<id>).
 * Container ids are cut to 12 characters (what docker ps and crictl show).
 * Returns 1 with @out set, 0 (out "") when the path names none.
 */
int oc_cg_tenant(const char *path, char *out, size_t outsz);

#endif
