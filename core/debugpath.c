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
#include <sys/statfs.h>

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

/* directories entered, by device and inode: each once (a loop, or two
 * links to one directory, is not walked again) */
#define WALK_MAX_DIRS 4096

struct walker {
	const char *rroot;	/* realpath of the root */
	size_t rlen;
	const char *mod;
	struct oc_walk *w;
	void (*found)(void *arg, const char *path);
	void *arg;
	dev_t dev[WALK_MAX_DIRS];
	ino_t ino[WALK_MAX_DIRS];
	int ndirs;
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

/*
 * Kernel pseudo-filesystems (/proc, /sys and what is mounted below them):
 * no module file lives there, and /proc alone holds every process's
 * links back to / and files of any size.  /dev is devtmpfs, which shares
 * tmpfs's magic, so it goes by name.
 */
static int pseudo_fs(const char *p)
{
	static const unsigned long magic[] = {
		0x9fa0,		/* proc */
		0x62656572,	/* sysfs */
		0x64626720,	/* debugfs */
		0x74726163,	/* tracefs */
		0x27e0eb,	/* cgroup */
		0x63677270,	/* cgroup2 */
		0x73636673,	/* securityfs */
		0x1cd1,		/* devpts */
		0xcafe4a11,	/* bpf */
		0x62656570,	/* configfs */
		0x6165676c,	/* pstore */
		0x42494e4d,	/* binfmt_misc */
		0xf97cff8c,	/* selinuxfs */
		0x6e736673,	/* nsfs */
	};
	struct statfs sf;
	char *r;
	size_t i;
	int dev;

	if (statfs(p, &sf))
		return 0;
	for (i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
		if ((unsigned long)sf.f_type == magic[i])
			return 1;
	r = realpath(p, NULL);
	dev = r && (!strcmp(r, "/dev") || !strncmp(r, "/dev/", 5));
	free(r);
	return dev;
}

/* 1 the first time directory st is met (remembered), 0 after */
static int first_visit(struct walker *k, const struct stat *st)
{
	int i;

	for (i = 0; i < k->ndirs; i++)
		if (k->dev[i] == st->st_dev && k->ino[i] == st->st_ino)
			return 0;
	if (k->ndirs < WALK_MAX_DIRS) {
		k->dev[k->ndirs] = st->st_dev;
		k->ino[k->ndirs++] = st->st_ino;
	}
	return 1;
}

static void walk_dir(struct walker *k, const char *dir, int depth)
{
	struct oc_walk *w = k->w;
	DIR *d;
	struct dirent *de;
	struct stat st;
	char p[PATH_MAX];
	int isdir, isreg, islnk;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return;
	if (!first_visit(k, &st)) {
		w->loops_skipped++;
		return;
	}
	if (pseudo_fs(dir)) {
		w->pseudo_skipped++;
		return;
	}
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
		islnk = 0;
		if (de->d_type == DT_LNK || de->d_type == DT_UNKNOWN) {
			if (lstat(p, &st))
				continue;
			if (S_ISLNK(st.st_mode)) {
				islnk = 1;
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
			/* a link to /proc/kcore named openvswitch.ko */
			if (islnk && pseudo_fs(p))
				w->pseudo_skipped++;
			else
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
	struct walker *k;
	struct stat st;
	char *rroot;

	if (stat(root, &st) || !S_ISDIR(st.st_mode) || !(rroot = realpath(root, NULL)))
		return -1;
	k = calloc(1, sizeof(*k));
	if (!k) {
		free(rroot);
		return -1;
	}
	k->mod = mod;
	k->w = w;
	k->found = found;
	k->arg = arg;
	k->rroot = rroot;
	k->rlen = strlen(rroot);
	if (w->max_depth <= 0)
		w->max_depth = OC_WALK_MAX_DEPTH;
	if (w->max_entries <= 0)
		w->max_entries = OC_WALK_MAX_ENTRIES;
	walk_dir(k, root, 0);
	free(rroot);
	free(k);
	return 0;
}
