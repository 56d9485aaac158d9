// SPDX-License-Identifier: GPL-2.0
/*
 * debugpath.c - where module debuginfo lives on disk, and a bounded walk
 * of a directory tree for a module's files.
 */
#include "debugpath.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DBG_BOOT "usr/lib/debug/boot/vmlinux-"

int oc_dbg_tree_of(const char *vmlinux, char *tree, size_t tn, char *rel, size_t rn)
{
	const char *p, *hit = NULL;
	size_t tl;
	int w;

	if (!vmlinux || !tn || !rn)
		return -1;
	/* the last "/usr/lib/debug/boot/vmlinux-" (or one at the start) */
	if (!strncmp(vmlinux, DBG_BOOT, strlen(DBG_BOOT)))
		hit = vmlinux;
	for (p = strstr(vmlinux, "/" DBG_BOOT); p; p = strstr(p + 1, "/" DBG_BOOT))
		hit = p + 1;
	if (!hit)
		return -1;
	p = hit + strlen(DBG_BOOT);
	if (!*p || strchr(p, '/') || !strcmp(p, ".") || !strcmp(p, ".."))
		return -1;
	tl = hit - vmlinux;
	if (tl == 0)
		w = snprintf(tree, tn, ".");
	else if (tl == 1)	/* "/usr/lib/debug/boot/...": the root itself */
		w = snprintf(tree, tn, "%s", "");
	else
		w = snprintf(tree, tn, "%.*s", (int)(tl - 1), vmlinux);
	if (w < 0 || (size_t)w >= tn)
		return -1;
	w = snprintf(rel, rn, "%s", p);
	return w < 0 || (size_t)w >= rn ? -1 : 0;
}

int oc_build_id_path(const char *root, const char *hex, char *out, size_t n)
{
	int w;

	if (!hex || strlen(hex) < 3 || !n)
		return -1;
	w = snprintf(out, n, "%s/usr/lib/debug/.build-id/%.2s/%s.debug", root ? root : "", hex,
		     hex + 2);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

int oc_names_module(const char *fn, const char *mod)
{
	static const char *const sfx[] = { ".ko", ".ko.debug", ".ko.xz", ".ko.zst", ".debug" };
	size_t ml = strlen(mod), i;

	for (i = 0; i < ml; i++) {
		char a = fn[i] == '-' ? '_' : fn[i], b = mod[i] == '-' ? '_' : mod[i];

		if (!fn[i] || a != b)
			return 0;
	}
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (!strcmp(fn + ml, sfx[i]))
			return 1;
	return 0;
}

struct walker {
	const char *rroot;	/* realpath of the root */
	size_t rlen;
	const char *mod;
	struct oc_walk *w;
	void (*found)(void *arg, const char *path);
	void *arg;
};

/* is the real path of p inside the walk's root? */
static int inside(const struct walker *k, const char *p)
{
	char *r = realpath(p, NULL);
	int in;

	if (!r)
		return 0;
	in = !strncmp(r, k->rroot, k->rlen) &&
	     (r[k->rlen] == '/' || r[k->rlen] == '\0' || (k->rlen == 1 && k->rroot[0] == '/'));
	free(r);
	return in;
}

static void walk_dir(struct walker *k, const char *dir, int depth)
{
	struct oc_walk *w = k->w;
	DIR *d;
	struct dirent *de;
	struct stat st;
	char p[PATH_MAX];
	int isdir, isreg;

	if (!(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (w->entries >= w->max_entries) {
			w->truncated = 1;
			break;
		}
		w->entries++;
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >= (int)sizeof(p))
			continue;
		isdir = de->d_type == DT_DIR;
		isreg = de->d_type == DT_REG;
		if (de->d_type == DT_LNK || de->d_type == DT_UNKNOWN) {
			if (lstat(p, &st))
				continue;
			if (S_ISLNK(st.st_mode)) {
				if (stat(p, &st))
					continue;
				if (S_ISDIR(st.st_mode) && !inside(k, p)) {
					w->links_skipped++;
					continue;
				}
			}
			isdir = S_ISDIR(st.st_mode);
			isreg = S_ISREG(st.st_mode);
		}
		if (isdir) {
			if (depth + 1 > w->max_depth)
				w->deep_skipped++;
			else
				walk_dir(k, p, depth + 1);
		} else if (isreg && oc_names_module(de->d_name, k->mod)) {
			k->found(k->arg, p);
		}
		if (w->truncated)
			break;
	}
	closedir(d);
}

int oc_find_module_files(const char *root, const char *mod, struct oc_walk *w,
			 void (*found)(void *arg, const char *path), void *arg)
{
	struct walker k = { .mod = mod, .w = w, .found = found, .arg = arg };
	struct stat st;
	char *rroot;

	if (stat(root, &st) || !S_ISDIR(st.st_mode) || !(rroot = realpath(root, NULL)))
		return -1;
	k.rroot = rroot;
	k.rlen = strlen(rroot);
	if (w->max_depth <= 0)
		w->max_depth = OC_WALK_MAX_DEPTH;
	if (w->max_entries <= 0)
		w->max_entries = OC_WALK_MAX_ENTRIES;
	walk_dir(&k, root, 0);
	free(rroot);
	return 0;
}
