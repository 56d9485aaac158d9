/* SPDX-License-Identifier: GPL-2.0 */
/* debugpath.h - where module debuginfo lives on disk: the layout of an
 * unpacked Debian -dbg package, .build-id paths, and a bounded walk of a
 * directory tree for a module's files; no crash dependency. */
#ifndef OVSCRASH_DEBUGPATH_H
#define OVSCRASH_DEBUGPATH_H

#include <stddef.h>

/* bounds of one walk (oc_find_module_files) */
#define OC_WALK_MAX_DEPTH 8
#define OC_WALK_MAX_ENTRIES 20000

/*
 * If vmlinux is <tree>/usr/lib/debug/boot/vmlinux-<release> (an unpacked
 * -dbg package, `dpkg-deb -x`), put <tree> in tree ("" for the root
 * itself, "." for a path relative to the current directory) and
 * <release> in rel.  0 if it matched, -1 if not (or a buffer was short).
 */
int oc_dbg_tree_of(const char *vmlinux, char *tree, size_t tn, char *rel, size_t rn);

/* <root>/usr/lib/debug/.build-id/xx/yyyy.debug of a hex build-id (root
 * "" for the system's).  0, or -1 if hex is shorter than 3 digits or out
 * is short. */
int oc_build_id_path(const char *root, const char *hex, char *out, size_t n);

/* Does file name fn name module mod (mod.ko, .ko.debug, .ko.xz, .ko.zst,
 * .debug; '-' and '_' are the same in module names)? */
int oc_names_module(const char *fn, const char *mod);

struct oc_walk {
	int max_depth;		/* directory levels below root (0: OC_WALK_MAX_DEPTH) */
	long max_entries;	/* entries looked at, all levels (0: OC_WALK_MAX_ENTRIES) */
	long entries;		/* counted by the walk */
	int truncated;		/* stopped by max_entries */
	int links_skipped;	/* directory symlinks leading out of root */
	int deep_skipped;	/* directories below max_depth */
	int loops_skipped;	/* directories met again (a loop, a second link) */
	int pseudo_skipped;	/* /proc, /sys, /dev and the like, not entered */
};

/*
 * Walk root (a directory) for files naming mod, calling found(arg, path)
 * for each (the path as reached: under root, a symlinked file keeps its
 * link name).  Looks at no more than w->max_entries entries and no deeper
 * than w->max_depth levels; a symlink to a directory is followed only if
 * it resolves inside root (so a link to / costs nothing), each directory
 * is entered once (by device and inode: a loop costs one entry), kernel
 * pseudo-filesystems (/proc, /sys, /dev, ...) are never entered, and a
 * symlink to a file anywhere else is a candidate like any file (the
 * caller verifies it).  Counters in w are added to, so one struct can
 * bound several walks.  0, or -1 if root is not a readable directory.
 */
int oc_find_module_files(const char *root, const char *mod, struct oc_walk *w,
			 void (*found)(void *arg, const char *path), void *arg);

#endif
