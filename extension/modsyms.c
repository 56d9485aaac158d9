// SPDX-License-Identifier: GPL-2.0
/*
 * modsyms.c - load a module's debuginfo as `mod -s` does, but find the
 * file ourselves and refuse one whose GNU build-id differs from the
 * module in the dump (read from the module's notes in memory).
 */
#include "modsyms.h"
#include "target.h"
#include "escape.h"
#include "session.h"
#include "../core/debugpath.h"
#include "../core/elfinfo.h"
#include "../core/strutil.h"

#include <elfutils/debuginfod.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_CANDIDATES 64
#define MAX_PLACES 32
/* whole debuginfod query, all servers: OVSCRASH_DEBUGINFOD_TIMEOUT overrides */
#define DEBUGINFOD_BOUND_S 30

struct search {
	struct oc_modsyms *ms;
	char *cand[MAX_CANDIDATES];
	dev_t cand_dev[MAX_CANDIDATES];
	ino_t cand_ino[MAX_CANDIDATES];
	int ncand;
	char *place[MAX_PLACES];	/* real paths searched, to search each once */
	int nplace;
	char *log;
	size_t loglen;
	FILE *logf;
	int replace;		/* crash has other symbols of the module loaded */
	char replaced[512];	/* the name crash loaded them by */
};

/* a file name as the report shows it: names on disk are untrusted (a
 * dump directory named with terminal escapes), printable ASCII only */
#define SHOWN_MAX 1024
static const char *shown(const char *path, char *buf)
{
	return oc_path(path, buf, SHOWN_MAX);
}

/* module build-id from struct module.notes_attrs in dump memory */
static int dump_build_id(oc_addr mod, unsigned char *id, size_t *idlen)
{
	oc_addr na, priv;
	uint32_t nnotes;
	long size;
	unsigned int i;
	unsigned char buf[256];
	int n;

	if (!OC_HAVE(mod_notes_attrs) || !OC_HAVE(mna_notes) || !OC_HAVE(mna_attrs) ||
	    !OC_HAVE(binattr_size) || !OC_HAVE(binattr_private) || oc_off.binattr_sizeof <= 0)
		return -1;
	if (oc_read_ulong(mod + oc_off.mod_notes_attrs, &na) || !na ||
	    oc_read_u32(na + oc_off.mna_notes, &nnotes) || nnotes > 64)
		return -1;
	for (i = 0; i < nnotes; i++) {
		oc_addr attr = na + oc_off.mna_attrs + i * oc_off.binattr_sizeof;

		if (oc_read_int_sized(attr + oc_off.binattr_size, sizeof(long), &size) ||
		    oc_read_ulong(attr + oc_off.binattr_private, &priv))
			continue;
		if (size <= 0 || size > (long)sizeof(buf) || oc_read(priv, buf, size, "module note"))
			continue;
		n = oc_notes_build_id(buf, size, id, OC_BUILD_ID_MAX);
		if (n > 0) {
			*idlen = n;
			return 0;
		}
	}
	return -1;
}

/* a file reached twice (a symlink and its target, two places) is one
 * candidate */
static void add_candidate(struct search *s, const char *path)
{
	struct stat st;
	int i;

	if (stat(path, &st))
		return;
	for (i = 0; i < s->ncand; i++)
		if (!strcmp(s->cand[i], path) ||
		    (s->cand_dev[i] == st.st_dev && s->cand_ino[i] == st.st_ino))
			return;
	if (s->ncand < MAX_CANDIDATES) {
		s->cand_dev[s->ncand] = st.st_dev;
		s->cand_ino[s->ncand] = st.st_ino;
		s->cand[s->ncand++] = strdup(path);
	}
}

static void found_file(void *arg, const char *path)
{
	add_candidate(arg, path);
}

/* searched already (same real path)? remembers it if not */
static int seen_place(struct search *s, const char *place)
{
	char *r = realpath(place, NULL);
	int i;

	if (!r)
		return 0;
	for (i = 0; i < s->nplace; i++)
		if (!strcmp(s->place[i], r)) {
			free(r);
			return 1;
		}
	if (s->nplace < MAX_PLACES)
		s->place[s->nplace++] = r;
	else
		free(r);
	return 0;
}

static void search_place(struct search *s, const char *place, const char *mod)
{
	struct oc_walk w = { 0 };
	struct stat st;
	char b[SHOWN_MAX];

	if (!place || !*place)
		return;
	if (stat(place, &st)) {
		fprintf(s->logf, "  %s: does not exist\n", shown(place, b));
		return;
	}
	if (seen_place(s, place)) {
		fprintf(s->logf, "  %s: searched above\n", shown(place, b));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(s->logf, "  %s: searched\n", shown(place, b));
		add_candidate(s, place);
		return;
	}
	oc_find_module_files(place, mod, &w, found_file, s);
	fprintf(s->logf, "  %s: searched (%ld entries", shown(place, b), w.entries);
	if (w.links_skipped)
		fprintf(s->logf, ", %d symlinks leading out of it not followed", w.links_skipped);
	if (w.loops_skipped)
		fprintf(s->logf, ", %d directories met again (symlink loops) not walked again",
			w.loops_skipped);
	if (w.pseudo_skipped)
		fprintf(s->logf, ", %d entries on /proc, /sys or /dev not searched", w.pseudo_skipped);
	if (w.deep_skipped)
		fprintf(s->logf, ", %d directories deeper than %d levels skipped", w.deep_skipped,
			w.max_depth);
	if (w.truncated)
		fprintf(s->logf, ", stopped after %ld entries", w.max_entries);
	fprintf(s->logf, ")\n");
}

static void dirname_of(const char *path, char *out, size_t n)
{
	char *slash;

	snprintf(out, n, "%s", path);
	slash = strrchr(out, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(out, n, ".");
}

/*
 * Module files are handed to crash as /proc/self/fd/<fd> of an fd this
 * process holds open for the rest of the session: the file crash loads
 * is the one whose build-id was read (a rename or a new file at the path
 * in between changes nothing), its path reaches crash's command line
 * with no character crash would parse (space, quote, |, >), and a
 * decompressed copy is an unnamed temporary that goes with the process,
 * SIGKILL included.  held[] maps those names back to the file found.
 */
#define MAX_HELD 16
static struct {
	int fd;
	char path[4096];
} held[MAX_HELD];
static int nheld;

static void fd_view(int fd, char *out, size_t n)
{
	snprintf(out, n, "/proc/self/fd/%d", fd);
}

/* the file found behind a /proc/self/fd name crash holds, else name */
static const char *held_path(const char *name)
{
	char view[64];
	int i;

	for (i = 0; i < nheld; i++) {
		fd_view(held[i].fd, view, sizeof(view));
		if (!strcmp(view, name))
			return held[i].path;
	}
	return name;
}

/* crash dropped the symbols it loaded by name: if ours, close the fd */
static void release_held(const char *name)
{
	char view[64];
	int i;

	for (i = 0; i < nheld; i++) {
		fd_view(held[i].fd, view, sizeof(view));
		if (!strcmp(view, name)) {
			close(held[i].fd);
			held[i] = held[--nheld];
			return;
		}
	}
}

/* err of an elfinfo call on view, without the view's name */
static const char *reason(const char *err, const char *view)
{
	size_t n = strlen(view);

	return !strncmp(err, view, n) && !strncmp(err + n, ": ", 2) ? err + n + 2 : err;
}

static int try_candidate(struct search *s, const char *path, const unsigned char *want,
			 size_t wantlen, const char *mod)
{
	struct oc_modsyms *ms = s->ms;
	unsigned char id[OC_BUILD_ID_MAX];
	char view[64], err[512], hex[2 * OC_BUILD_ID_MAX + 1], cmd[256], b[SHOWN_MAX];
	char e[SHOWN_MAX];
	size_t idlen;
	int has_debug, fd, ok = 0;
	char *out = NULL;

	if (nheld >= MAX_HELD) {
		fprintf(s->logf, "  rejected %s: %d module files loaded this session already\n",
			shown(path, b), MAX_HELD);
		return 0;
	}
	if (access("/proc/self/fd", X_OK)) {
		fprintf(s->logf, "  rejected %s: /proc/self/fd: %s (module files reach crash through it: mount /proc)\n",
			shown(path, b), strerror(errno));
		return 0;
	}
	fd = oc_module_open(path, err, sizeof(err));
	if (fd < 0) {
		fprintf(s->logf, "  rejected %s: %s\n", shown(path, b), shown(err, e));
		return 0;
	}
	fd_view(fd, view, sizeof(view));
	if (oc_elf_info(view, id, &idlen, &has_debug, err, sizeof(err))) {
		fprintf(s->logf, "  rejected %s: %s\n", shown(path, b), shown(reason(err, view), e));
	} else if (!has_debug) {
		fprintf(s->logf, "  rejected %s: no .debug_info (stripped module)\n", shown(path, b));
	} else if (wantlen && (idlen != wantlen || memcmp(id, want, idlen))) {
		fprintf(s->logf, "  rejected %s: build-id %s does not match the dump's\n", shown(path, b),
			oc_hex(id, idlen, hex, sizeof(hex)));
	} else {
		/* crash's mod -s keeps symbols already loaded: drop them first */
		if (s->replace) {
			snprintf(cmd, sizeof(cmd), "mod -d %s", mod);
			oc_run(cmd, NULL);
			release_held(s->replaced);
			s->replace = 0;
		}
		snprintf(cmd, sizeof(cmd), "mod -s %s %s", mod, view);
		if (oc_run(cmd, &out) == 0 && out && strstr(out, view)) {
			snprintf(ms->path, sizeof(ms->path), "%s", path);
			snprintf(ms->loaded, sizeof(ms->loaded), "%s", view);
			ms->verified = wantlen > 0;
			snprintf(ms->how, sizeof(ms->how), "%s",
				 wantlen ? "build-id match" : "unverified (no build-id in dump)");
			fprintf(s->logf, "  loaded %s (%s)\n", shown(path, b), ms->how);
			held[nheld].fd = fd;
			snprintf(held[nheld++].path, sizeof(held[0].path), "%s", path);
			ok = 1;
		} else {
			fprintf(s->logf, "  rejected %s: crash's mod -s failed: %s\n", shown(path, b),
				out ? shown(strtok(out, "\n") ?: "", e) : "no output");
		}
		free(out);
	}
	if (!ok)
		close(fd);
	return ok;
}

/*
 * Symbols of the module crash has already (a `mod -s` of the user's, or
 * of an earlier command): checked like any candidate against the dump's
 * build-id.  1 if they can be used (ms->how says whether verified), 0 if
 * they are of another build (a line in the search report names the file
 * and both build-ids, s->replace is set).
 */
static int check_loaded(struct search *s, const char *namelist, const unsigned char *want,
			size_t wantlen)
{
	struct oc_modsyms *ms = s->ms;
	unsigned char id[OC_BUILD_ID_MAX];
	char err[512], hex[2 * OC_BUILD_ID_MAX + 1], b[SHOWN_MAX], e[SHOWN_MAX];
	size_t idlen;
	int dbg;

	snprintf(ms->path, sizeof(ms->path), "%s", held_path(namelist));
	snprintf(ms->loaded, sizeof(ms->loaded), "%s", namelist);
	if (!wantlen) {
		snprintf(ms->how, sizeof(ms->how),
			 "already loaded, unverified: the dump's module has no build-id note");
		return 1;
	}
	if (oc_elf_info(namelist, id, &idlen, &dbg, err, sizeof(err))) {
		snprintf(ms->how, sizeof(ms->how), "already loaded, unverified: %s",
			 shown(reason(err, namelist), e));
		return 1;
	}
	if (idlen == wantlen && !memcmp(id, want, idlen)) {
		snprintf(ms->how, sizeof(ms->how), "already loaded, build-id match");
		snprintf(ms->replaced, sizeof(ms->replaced), "%s", oc_sess.replaced);
		ms->verified = 1;
		return 1;
	}
	oc_hex(id, idlen, hex, sizeof(hex));
	snprintf(ms->mismatch, sizeof(ms->mismatch),
		 "%s (loaded before) has build-id %s, the dump's %s has %s: not used",
		 shown(ms->path, b), hex, shown(ms->module, e), ms->build_id);
	fprintf(s->logf, "  %s\n", ms->mismatch);
	ms->path[0] = ms->loaded[0] = ms->how[0] = '\0';
	snprintf(s->replaced, sizeof(s->replaced), "%s", namelist);
	s->replace = 1;
	return 0;
}

/*
 * Unpacked -dbg packages the vmlinux sits in: crash's namelist as given
 * and its real path (a vmlinux symlinked out of such a tree), when either
 * is <tree>/usr/lib/debug/boot/vmlinux-<release>.  The system's own tree
 * ("") is searched anyway and not counted.
 */
static int dbg_trees(char trees[2][PATH_MAX], char rels[2][128])
{
	const char *paths[2] = { oc_namelist(), NULL };
	char *real = realpath(oc_namelist(), NULL);
	int i, n = 0;

	paths[1] = real;
	for (i = 0; i < 2; i++) {
		if (!paths[i] || oc_dbg_tree_of(paths[i], trees[n], PATH_MAX, rels[n], 128) ||
		    !trees[n][0])
			continue;
		if (n == 1 && !strcmp(trees[0], trees[1]) && !strcmp(rels[0], rels[1]))
			continue;
		n++;
	}
	free(real);
	return n;
}

/* url list from the environment as printed: printable ASCII only */
static void printable(const char *in, char *out, size_t n)
{
	size_t i = 0;

	for (; *in && i + 1 < n; in++)
		out[i++] = (*in >= 0x20 && *in < 0x7f) ? *in : '?';
	out[i] = '\0';
}

/* the build-ids debuginfod gave nothing for in this session, with why:
 * one entry per module ovscrash asks for (openvswitch, veth), a few
 * spare; the oldest is forgotten when full */
#define DFD_FAILED_MAX 8

static struct {
	char build_id[2 * OC_BUILD_ID_MAX + 1];
	char why[512];
} dfd_failed[DFD_FAILED_MAX];
static unsigned int dfd_failed_next;

static const char *dfd_failed_reason(const char *build_id)
{
	int i;

	for (i = 0; i < DFD_FAILED_MAX; i++)
		if (dfd_failed[i].build_id[0] && !strcmp(dfd_failed[i].build_id, build_id))
			return dfd_failed[i].why;
	return NULL;
}

static void dfd_failed_keep(const char *build_id, const char *why)
{
	unsigned int i = dfd_failed_next++ % DFD_FAILED_MAX;

	snprintf(dfd_failed[i].build_id, sizeof(dfd_failed[i].build_id), "%s", build_id);
	snprintf(dfd_failed[i].why, sizeof(dfd_failed[i].why), "%s", why);
}

struct dfd_clock {
	struct timespec deadline;
	int expired;
};

static int dfd_progress(debuginfod_client *c, long a, long b)
{
	struct dfd_clock *k = debuginfod_get_user_data(c);
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > k->deadline.tv_sec ||
	    (now.tv_sec == k->deadline.tv_sec && now.tv_nsec >= k->deadline.tv_nsec)) {
		k->expired = 1;
		return 1;	/* abort the transfer */
	}
	return 0;
}

/*
 * libdebuginfod (0.188) answers a query its progress callback aborted with
 * -ENOENT and leaves an empty <cache>/<build-id>/debuginfo, which it then
 * takes for "not found" for cache_miss_s (600 s): a server that was slow
 * once would read as one that lacks the file.  Remove that empty file (a
 * regular file of size 0 only).  The cache is found as the client finds it:
 * $DEBUGINFOD_CACHE_PATH, else $XDG_CACHE_HOME/debuginfod_client, else
 * ~/.cache/debuginfod_client.
 */
static void forget_aborted(const char *hex)
{
	const char *env;
	char dir[PATH_MAX], p[PATH_MAX + 160];
	struct stat st;

	if ((env = getenv(DEBUGINFOD_CACHE_PATH_ENV_VAR)) && *env)
		snprintf(dir, sizeof(dir), "%s", env);
	else if ((env = getenv("XDG_CACHE_HOME")) && *env)
		snprintf(dir, sizeof(dir), "%s/debuginfod_client", env);
	else if ((env = getenv("HOME")) && *env)
		snprintf(dir, sizeof(dir), "%s/.cache/debuginfod_client", env);
	else
		return;
	snprintf(p, sizeof(p), "%s/%s/debuginfo", dir, hex);
	if (!lstat(p, &st) && S_ISREG(st.st_mode) && st.st_size == 0)
		unlink(p);
}

/*
 * Fetch the module's debuginfo by the dump's build-id from the servers in
 * DEBUGINFOD_URLS (libdebuginfod, its cache), inside a bound of
 * DEBUGINFOD_BOUND_S seconds for the whole query.  The file is verified
 * like any candidate.  On failure a one-line reason goes to ms->debuginfod.
 */
static int from_debuginfod(struct search *s, const char *urls, const unsigned char *want,
			   size_t wantlen, const char *mod)
{
	struct oc_modsyms *ms = s->ms;
	struct dfd_clock k = { 0 };
	struct timespec t0, t1;
	debuginfod_client *c;
	char u[256], *path = NULL, *env, b[SHOWN_MAX];
	long bound = DEBUGINFOD_BOUND_S;
	const char *why;
	int fd, ok = 0;
	double took;

	if ((env = getenv("OVSCRASH_DEBUGINFOD_TIMEOUT")) && atol(env) > 0 && atol(env) <= 600)
		bound = atol(env);
	printable(urls, u, sizeof(u));
	/* one query per build-id and session: three commands need the module,
	 * a server that is down costs its bound once */
	if ((why = dfd_failed_reason(ms->build_id))) {
		snprintf(ms->debuginfod, sizeof(ms->debuginfod), "%s", why);
		fprintf(s->logf, "  %s (earlier in this session; not asked again)\n", ms->debuginfod);
		return 0;
	}
	c = debuginfod_begin();
	if (!c) {
		snprintf(ms->debuginfod, sizeof(ms->debuginfod),
			 "debuginfod: %s: cannot start the client", u);
		fprintf(s->logf, "  %s\n", ms->debuginfod);
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	k.deadline = t0;
	k.deadline.tv_sec += bound;
	debuginfod_set_user_data(c, &k);
	debuginfod_set_progressfn(c, dfd_progress);
	fd = debuginfod_find_debuginfo(c, want, (int)wantlen, &path);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (fd >= 0) {
		close(fd);
		fprintf(s->logf, "  debuginfod: %s: build-id %s fetched in %.1f s: %s\n", u,
			ms->build_id, took, shown(path, b));
		ok = try_candidate(s, path, want, wantlen, mod);
		if (ok)
			snprintf(ms->how, sizeof(ms->how), "build-id match (debuginfod)");
		else
			snprintf(ms->debuginfod, sizeof(ms->debuginfod),
				 "debuginfod: %s: the file served for build-id %s was refused (see ovsmod)",
				 u, ms->build_id);
	} else if (k.expired) {
		forget_aborted(ms->build_id);
		snprintf(ms->debuginfod, sizeof(ms->debuginfod),
			 "debuginfod: %s: no answer for build-id %s within %ld s", u, ms->build_id,
			 bound);
	} else if (fd == -ENOENT) {
		snprintf(ms->debuginfod, sizeof(ms->debuginfod),
			 "debuginfod: %s: build-id %s not found", u, ms->build_id);
	} else {
		snprintf(ms->debuginfod, sizeof(ms->debuginfod),
			 "debuginfod: %s: %s (build-id %s, after %.1f s)", u, strerror(-fd),
			 ms->build_id, took);
	}
	if (!ok) {
		fprintf(s->logf, "  %s\n", ms->debuginfod);
		dfd_failed_keep(ms->build_id, ms->debuginfod);
	}
	free(path);
	debuginfod_end(c);
	return ok;
}

int oc_modsyms_ensure(const char *name, const char *user_path, struct oc_modsyms *ms)
{
	struct search s = { .ms = ms };
	oc_addr mod;
	unsigned char want[OC_BUILD_ID_MAX];
	size_t wantlen = 0;
	char place[4096], namelist[512], *env, *tok, *save;
	char trees[2][PATH_MAX], trels[2][128];
	const char *rel = oc_kernel_release();
	char nm[SHOWN_MAX];
	int i, ntrees, ok = 0;

	oc_offsets_resolve();
	memset(ms, 0, sizeof(*ms));
	snprintf(ms->module, sizeof(ms->module), "%s", name);
	shown(name, nm);
	if (oc_module_info(name, &mod, NULL, &ms->symbols_loaded, namelist, sizeof(namelist))) {
		snprintf(ms->err, sizeof(ms->err), "module %s is not loaded in this dump", nm);
		return -1;
	}
	ms->loaded_in_dump = 1;
	if (!dump_build_id(mod, want, &wantlen))
		oc_hex(want, wantlen, ms->build_id, sizeof(ms->build_id));
	s.logf = open_memstream(&s.log, &s.loglen);
	if (!s.logf) {
		snprintf(ms->err, sizeof(ms->err), "out of memory");
		return -1;
	}
	if (ms->symbols_loaded && check_loaded(&s, namelist, want, wantlen)) {
		if (!user_path) {
			fclose(s.logf);
			free(s.log);
			return 0;
		}
		/* the user names another file: it replaces these */
		ms->path[0] = ms->loaded[0] = ms->how[0] = '\0';
		ms->verified = 0;
		snprintf(s.replaced, sizeof(s.replaced), "%s", namelist);
		s.replace = 1;
	}
	fprintf(s.logf, "searched for %s debuginfo (dump build-id %s):\n", nm,
		ms->build_id[0] ? ms->build_id : "unknown");
	/* a path the user names is the only place searched: a wrong file
	 * there is reported, not silently replaced by another one */
	search_place(&s, user_path, name);
	if (user_path)
		goto try;
	if ((env = getenv("OVSCRASH_DEBUG_PATH"))) {
		char *copy = strdup(env);

		for (tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save))
			search_place(&s, tok, name);
		free(copy);
	}
	dirname_of(oc_dumpfile(), place, sizeof(place));
	search_place(&s, place, name);
	dirname_of(oc_namelist(), place, sizeof(place));
	search_place(&s, place, name);
	ntrees = dbg_trees(trees, trels);
	for (i = 0; i < ntrees; i++) {
		snprintf(place, sizeof(place), "%s/usr/lib/debug/lib/modules/%s", trees[i], trels[i]);
		search_place(&s, place, name);
		if (strcmp(trels[i], rel)) {
			snprintf(place, sizeof(place), "%s/usr/lib/debug/lib/modules/%s", trees[i], rel);
			search_place(&s, place, name);
		}
	}
	snprintf(place, sizeof(place), "/usr/lib/debug/lib/modules/%s", rel);
	search_place(&s, place, name);
	snprintf(place, sizeof(place), "/lib/modules/%s", rel);
	search_place(&s, place, name);
	if (wantlen > 1) {
		for (i = 0; i < ntrees; i++)
			if (!oc_build_id_path(trees[i], ms->build_id, place, sizeof(place)))
				search_place(&s, place, name);
		if (!oc_build_id_path("", ms->build_id, place, sizeof(place)))
			search_place(&s, place, name);
	}
try:
	if (!s.ncand)
		fprintf(s.logf, "  no candidate file named %s.ko[.debug|.xz|.zst] found\n", nm);
	for (i = 0; i < s.ncand && !ok; i++)
		ok = try_candidate(&s, s.cand[i], want, wantlen, name);
	/* nothing local matched: the dump's build-id from debuginfod */
	if (!ok && !user_path && wantlen > 1 && (env = getenv(DEBUGINFOD_URLS_ENV_VAR)) && *env)
		ok = from_debuginfod(&s, env, want, wantlen, name);
	for (i = 0; i < s.ncand; i++)
		free(s.cand[i]);
	for (i = 0; i < s.nplace; i++)
		free(s.place[i]);
	fclose(s.logf);
	ms->report = s.log;
	if (!ok) {
		snprintf(ms->err, sizeof(ms->err),
			 "%s%sno matching %s debuginfo found (%d candidates; set OVSCRASH_DEBUG_PATH or pass a path)%s%s",
			 ms->mismatch, ms->mismatch[0] ? "; " : "", nm, s.ncand,
			 ms->debuginfod[0] ? "; " : "", ms->debuginfod);
		return -1;
	}
	if (ms->mismatch[0]) {
		snprintf(ms->how + strlen(ms->how), sizeof(ms->how) - strlen(ms->how),
			 ", replacing a mismatched file loaded before");
		snprintf(oc_sess.replaced, sizeof(oc_sess.replaced), "%s", ms->mismatch);
		snprintf(ms->replaced, sizeof(ms->replaced), "%s", ms->mismatch);
	}
	ms->symbols_loaded = 1;
	if (!strcmp(name, "openvswitch")) {
		/* its types are known now (the vport walk's offsets) */
		oc_ovs_offsets_resolve(ms->err, sizeof(ms->err));
		ms->err[0] = '\0';
	}
	return 0;
}

void oc_modsyms_free(struct oc_modsyms *ms)
{
	free(ms->report);
	ms->report = NULL;
}

static oc_addr section_address(oc_addr mod, const char *secname)
{
	oc_addr sa, attr, np, addr;
	uint32_t nsec;
	char name[64];
	unsigned int i;

	if (!OC_HAVE(mod_sect_attrs) || !OC_HAVE(msas_nsections) || !OC_HAVE(msas_attrs) ||
	    !OC_HAVE(msa_address) || !OC_HAVE(msa_name) || oc_off.msa_sizeof <= 0)
		return 0;
	if (oc_read_ulong(mod + oc_off.mod_sect_attrs, &sa) || !sa ||
	    oc_read_u32(sa + oc_off.msas_nsections, &nsec) || nsec > 256)
		return 0;
	for (i = 0; i < nsec; i++) {
		attr = sa + oc_off.msas_attrs + i * oc_off.msa_sizeof;
		if (oc_read_ulong(attr + oc_off.msa_name, &np) ||
		    oc_read(np, name, sizeof(name), "section name"))
			continue;
		name[sizeof(name) - 1] = '\0';
		if (!strcmp(name, secname) && !oc_read_ulong(attr + oc_off.msa_address, &addr))
			return addr;
	}
	return 0;
}

oc_addr oc_module_symbol(const char *module, const char *debug_path, const char *sym,
			 char *why, size_t n)
{
	unsigned long long value;
	char sec[64], err[256];
	oc_addr mod, base;

	if (oc_sym_exists(sym))
		return oc_sym_value(sym);
	if (oc_module_info(module, &mod, NULL, NULL, NULL, 0)) {
		snprintf(why, n, "module %s is not loaded in this dump", module);
		return 0;
	}
	if (!debug_path || !*debug_path ||
	    oc_elf_symbol(debug_path, sym, sec, sizeof(sec), &value, err, sizeof(err))) {
		snprintf(why, n, "symbol %s unknown to crash and %s", sym,
			 debug_path && *debug_path ? err : "no debug file");
		return 0;
	}
	if (!(base = section_address(mod, sec))) {
		snprintf(why, n, "symbol %s: load address of section %s of %s not in the dump",
			 sym, sec, module);
		return 0;
	}
	return base + value;
}
