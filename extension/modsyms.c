// SPDX-License-Identifier: GPL-2.0
/*
 * modsyms.c - load a module's debuginfo as `mod -s` does, but find the
 * file ourselves and refuse one whose GNU build-id differs from the
 * module in the dump (read from the module's notes in memory).
 */
#include "modsyms.h"
#include "target.h"
#include "../core/elfinfo.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CANDIDATES 64
#define MAX_DEPTH 8

struct search {
	struct oc_modsyms *ms;
	char *cand[MAX_CANDIDATES];
	int ncand;
	char *log;
	size_t loglen;
	FILE *logf;
};

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

static void add_candidate(struct search *s, const char *path)
{
	int i;

	for (i = 0; i < s->ncand; i++)
		if (!strcmp(s->cand[i], path))
			return;
	if (s->ncand < MAX_CANDIDATES)
		s->cand[s->ncand++] = strdup(path);
}

/* does file name fn name module mod (openvswitch.ko, openvswitch.ko.debug,
 * .ko.xz, .ko.zst; '-' and '_' are the same in module names)? */
static int names_module(const char *fn, const char *mod)
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

static void scan_dir(struct search *s, const char *dir, int depth, const char *mod)
{
	DIR *d;
	struct dirent *de;
	char p[4096];
	struct stat st;

	if (depth > MAX_DEPTH || !(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (stat(p, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			scan_dir(s, p, depth + 1, mod);
		else if (S_ISREG(st.st_mode) && names_module(de->d_name, mod))
			add_candidate(s, p);
	}
	closedir(d);
}

static void search_place(struct search *s, const char *place, const char *mod)
{
	struct stat st;

	if (!place || !*place)
		return;
	if (stat(place, &st)) {
		fprintf(s->logf, "  %s: does not exist\n", place);
		return;
	}
	fprintf(s->logf, "  %s: searched\n", place);
	if (S_ISDIR(st.st_mode))
		scan_dir(s, place, 0, mod);
	else
		add_candidate(s, place);
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

#define MAX_TEMPS 16
static char *temps[MAX_TEMPS];
static int ntemps;

static void remove_temps(void)
{
	while (ntemps > 0)
		unlink(temps[--ntemps]);
}

static void remember_temp(const char *path)
{
	if (!ntemps)
		atexit(remove_temps);
	if (ntemps < MAX_TEMPS)
		temps[ntemps++] = strdup(path);
}

static int try_candidate(struct search *s, const char *path, const unsigned char *want,
			 size_t wantlen, const char *mod)
{
	struct oc_modsyms *ms = s->ms;
	unsigned char id[OC_BUILD_ID_MAX];
	char plain[4096], err[512], hex[2 * OC_BUILD_ID_MAX + 1], cmd[4352];
	size_t idlen;
	int has_debug, tmp, ok = 0;
	char *out = NULL;

	tmp = oc_decompress_to_temp(path, plain, sizeof(plain), err, sizeof(err));
	if (tmp < 0) {
		fprintf(s->logf, "  rejected %s: %s\n", path, err);
		return 0;
	}
	if (oc_elf_info(plain, id, &idlen, &has_debug, err, sizeof(err))) {
		fprintf(s->logf, "  rejected %s: %s\n", path, err);
	} else if (!has_debug) {
		fprintf(s->logf, "  rejected %s: no .debug_info (stripped module)\n", path);
	} else if (wantlen && (idlen != wantlen || memcmp(id, want, idlen))) {
		fprintf(s->logf, "  rejected %s: build-id %s does not match the dump's\n", path,
			oc_hex(id, idlen, hex, sizeof(hex)));
	} else {
		snprintf(cmd, sizeof(cmd), "mod -s %s %s", mod, plain);
		if (oc_run(cmd, &out) == 0 && out && strstr(out, mod)) {
			snprintf(ms->path, sizeof(ms->path), "%s", path);
			snprintf(ms->loaded, sizeof(ms->loaded), "%s", plain);
			snprintf(ms->how, sizeof(ms->how), "%s",
				 wantlen ? "build-id match" : "unverified (no build-id in dump)");
			fprintf(s->logf, "  loaded %s (%s)\n", path, ms->how);
			ok = 1;
		} else {
			fprintf(s->logf, "  rejected %s: crash's mod -s failed: %s\n", path,
				out ? strtok(out, "\n") : "no output");
		}
		free(out);
	}
	/* crash's gdb reads the loaded file lazily, by name: a decompressed
	 * copy stays until crash exits, then is removed */
	if (tmp == 1 && !ok)
		unlink(plain);
	else if (tmp == 1)
		remember_temp(plain);
	return ok;
}

int oc_modsyms_ensure(const char *name, const char *user_path, struct oc_modsyms *ms)
{
	struct search s = { .ms = ms };
	oc_addr mod;
	unsigned char want[OC_BUILD_ID_MAX];
	size_t wantlen = 0;
	char place[4096], namelist[512], *env, *tok, *save;
	const char *rel = oc_kernel_release();
	int i, ok = 0;

	oc_offsets_resolve();
	memset(ms, 0, sizeof(*ms));
	snprintf(ms->module, sizeof(ms->module), "%s", name);
	if (oc_module_info(name, &mod, NULL, &ms->symbols_loaded, namelist, sizeof(namelist))) {
		snprintf(ms->err, sizeof(ms->err), "module %s is not loaded in this dump", name);
		return -1;
	}
	ms->loaded_in_dump = 1;
	if (!dump_build_id(mod, want, &wantlen))
		oc_hex(want, wantlen, ms->build_id, sizeof(ms->build_id));
	if (ms->symbols_loaded && !user_path) {
		unsigned char id[OC_BUILD_ID_MAX];
		size_t idlen;
		int dbg;
		char err[256];

		snprintf(ms->path, sizeof(ms->path), "%s", namelist);
		snprintf(ms->loaded, sizeof(ms->loaded), "%s", namelist);
		if (!wantlen || oc_elf_info(namelist, id, &idlen, &dbg, err, sizeof(err)))
			snprintf(ms->how, sizeof(ms->how), "already loaded, unverified");
		else if (idlen == wantlen && !memcmp(id, want, idlen))
			snprintf(ms->how, sizeof(ms->how), "already loaded, build-id match");
		else
			snprintf(ms->how, sizeof(ms->how), "already loaded, BUILD-ID MISMATCH");
		return 0;
	}
	s.logf = open_memstream(&s.log, &s.loglen);
	if (!s.logf) {
		snprintf(ms->err, sizeof(ms->err), "out of memory");
		return -1;
	}
	fprintf(s.logf, "searched for %s debuginfo (dump build-id %s):\n", name,
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
	snprintf(place, sizeof(place), "/usr/lib/debug/lib/modules/%s", rel);
	search_place(&s, place, name);
	snprintf(place, sizeof(place), "/lib/modules/%s", rel);
	search_place(&s, place, name);
	if (wantlen > 1) {
		char hex[2 * OC_BUILD_ID_MAX + 1];

		oc_hex(want, wantlen, hex, sizeof(hex));
		snprintf(place, sizeof(place), "/usr/lib/debug/.build-id/%.2s/%s.debug", hex, hex + 2);
		search_place(&s, place, name);
	}
try:
	if (!s.ncand)
		fprintf(s.logf, "  no candidate file named %s.ko[.debug|.xz|.zst] found\n", name);
	for (i = 0; i < s.ncand && !ok; i++)
		ok = try_candidate(&s, s.cand[i], want, wantlen, name);
	for (i = 0; i < s.ncand; i++)
		free(s.cand[i]);
	fclose(s.logf);
	ms->report = s.log;
	if (!ok) {
		snprintf(ms->err, sizeof(ms->err),
			 "no matching %s debuginfo found (%d candidates; set OVSCRASH_DEBUG_PATH or pass a path)",
			 name, s.ncand);
		return -1;
	}
	ms->symbols_loaded = 1;
	oc_ovs_offsets_resolve(ms->err, sizeof(ms->err));
	ms->err[0] = '\0';
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
