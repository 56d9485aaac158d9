// SPDX-License-Identifier: GPL-2.0
/*
 * vmdis.c - one function of a debug vmlinux, disassembled by libopcodes
 * and printed in crash's `dis -l` format (see vmdis.h).
 *
 * Debian's libopcodes.so (binutils-dev) only knows the host's own
 * architecture; the other one comes from the cross binutils package
 * (binutils-aarch64-linux-gnu ships libopcodes-<ver>-arm64.so).  That
 * library exports the same names, so it is dlopen()ed privately
 * (RTLD_LOCAL | RTLD_DEEPBIND) and its entry points are taken with
 * dlsym(); its name is derived from the host library actually loaded, so
 * both come from the same binutils version (dis-asm.h's ABI).
 */
#define _GNU_SOURCE
#define PACKAGE "ovscrash"
#define PACKAGE_VERSION "0"
#include <dis-asm.h>
#include <dlfcn.h>
#include <elf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmdis.h"

#define FUNC_MAX_BYTES	(1UL << 20)	/* no kernel function is larger */
#define MAX_SYMS	(8UL << 20)

struct sbuf {
	char *buf;
	size_t len, cap;
	int err;
};

static void sb_vadd(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	if (sb->err)
		return;
	va_copy(cp, ap);
	n = vsnprintf(sb->buf ? sb->buf + sb->len : NULL,
		      sb->buf ? sb->cap - sb->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		sb->err = 1;
		return;
	}
	if (!sb->buf || sb->len + (size_t)n + 1 > sb->cap) {
		size_t ncap = sb->cap ? sb->cap : 4096;
		char *nb;

		while (ncap < sb->len + (size_t)n + 1)
			ncap *= 2;
		nb = realloc(sb->buf, ncap);
		if (!nb) {
			sb->err = 1;
			return;
		}
		sb->buf = nb;
		sb->cap = ncap;
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

__attribute__((format(printf, 2, 3)))
static void sb_add(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vadd(sb, fmt, ap);
	va_end(ap);
}

/* libopcodes' printers: everything goes to the current line */
static int dis_printf(void *stream, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vadd(stream, fmt, ap);
	va_end(ap);
	return 0;
}

static int dis_styled(void *stream, enum disassembler_style style,
		      const char *fmt, ...)
{
	va_list ap;

	(void)style;
	va_start(ap, fmt);
	sb_vadd(stream, fmt, ap);
	va_end(ap);
	return 0;
}

struct sym {
	uint64_t value, size;
	const char *name;	/* points into libelf's string table */
};

struct ctx {
	struct sym *syms;	/* sorted by value */
	size_t nsyms;
	struct sbuf *line;
};

static int sym_cmp(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	/* sized symbols first */
	return (x->size == 0) - (y->size == 0);
}

static const struct sym *sym_at(const struct ctx *c, uint64_t addr)
{
	size_t lo = 0, hi = c->nsyms;
	const struct sym *s;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->syms[mid].value <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = &c->syms[lo - 1];
	/* the first symbol at that value (sized ones sort first) */
	while (s > c->syms && s[-1].value == s->value)
		s--;
	if (s->size && addr >= s->value + s->size)
		return NULL;
	if (!s->size && addr - s->value > 0x10000)
		return NULL;
	return s;
}

/* gdb's form: `0xffffffff81a2b3cd <netdev_pick_tx+621>` */
static void dis_print_address(bfd_vma addr, struct disassemble_info *di)
{
	const struct ctx *c = di->application_data;
	const struct sym *s = sym_at(c, addr);

	if (!s)
		sb_add(c->line, "0x%llx", (unsigned long long)addr);
	else if (addr == s->value)
		sb_add(c->line, "0x%llx <%s>", (unsigned long long)addr,
		       s->name);
	else
		sb_add(c->line, "0x%llx <%s+%llu>", (unsigned long long)addr,
		       s->name, (unsigned long long)(addr - s->value));
}

struct opcodes {
	void (*init)(struct disassemble_info *, void *, fprintf_ftype,
		     fprintf_styled_ftype);
	void (*init_target)(struct disassemble_info *);
	void (*free_target)(struct disassemble_info *);
	disassembler_ftype (*get)(enum bfd_architecture, bool,
				  unsigned long, bfd *);
	void *handle;		/* dlopen()ed cross library, or NULL */
	char name[64];
};

#if defined(__x86_64__)
#define HOST_EM		EM_X86_64
#elif defined(__aarch64__)
#define HOST_EM		EM_AARCH64
#else
#define HOST_EM		EM_NONE
#endif

static const char *em_debian_arch(int em)
{
	return em == EM_X86_64 ? "amd64" : em == EM_AARCH64 ? "arm64" : "?";
}

static int opcodes_open(int em, struct opcodes *o, char *err, size_t errsz)
{
	Dl_info info;
	char path[512];
	const char *base, *dash;
	size_t dirlen;

	memset(o, 0, sizeof(*o));
	if (em == HOST_EM) {
		o->init = init_disassemble_info;
		o->init_target = disassemble_init_for_target;
		o->free_target = disassemble_free_target;
		o->get = disassembler;
		if (dladdr((void *)disassembler, &info) && info.dli_fname) {
			base = strrchr(info.dli_fname, '/');
			snprintf(o->name, sizeof(o->name), "%s",
				 base ? base + 1 : info.dli_fname);
		} else {
			snprintf(o->name, sizeof(o->name), "libopcodes");
		}
		return 0;
	}
	/* libopcodes-2.40-system.so -> libopcodes-2.40-arm64.so */
	if (!dladdr((void *)disassembler, &info) || !info.dli_fname ||
	    !(base = strrchr(info.dli_fname, '/')) ||
	    strncmp(base + 1, "libopcodes-", 11) ||
	    !(dash = strrchr(base + 1, '-'))) {
		snprintf(err, errsz,
			 "cannot locate the host's libopcodes to find the %s one",
			 em_debian_arch(em));
		return -1;
	}
	dirlen = (size_t)(dash - info.dli_fname);
	if (dirlen + 16 >= sizeof(path)) {
		snprintf(err, errsz, "libopcodes path too long");
		return -1;
	}
	snprintf(path, sizeof(path), "%.*s-%s.so", (int)dirlen,
		 info.dli_fname, em_debian_arch(em));
	o->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
	if (!o->handle) {
		snprintf(err, errsz,
			 "no %s disassembler: %s (install binutils-%s-linux-gnu)",
			 em_debian_arch(em), path,
			 em == EM_AARCH64 ? "aarch64" : "x86-64");
		return -1;
	}
	*(void **)&o->init = dlsym(o->handle, "init_disassemble_info");
	*(void **)&o->init_target = dlsym(o->handle,
					  "disassemble_init_for_target");
	*(void **)&o->free_target = dlsym(o->handle,
					  "disassemble_free_target");
	*(void **)&o->get = dlsym(o->handle, "disassembler");
	if (!o->init || !o->init_target || !o->free_target || !o->get) {
		snprintf(err, errsz, "%s lacks the disassembler entry points",
			 path);
		dlclose(o->handle);
		o->handle = NULL;
		return -1;
	}
	base = strrchr(path, '/');
	snprintf(o->name, sizeof(o->name), "%s", base ? base + 1 : path);
	return 0;
}

static void opcodes_close(struct opcodes *o)
{
	if (o->handle)
		dlclose(o->handle);
	o->handle = NULL;
}

/* FUNC/NOTYPE symbols of executable sections, for branch-target names */
static int load_syms(Elf *elf, Elf_Scn *symscn, GElf_Shdr *symsh,
		     struct ctx *c, char *err, size_t errsz)
{
	Elf_Data *data = elf_getdata(symscn, NULL);
	size_t n, i, k = 0;

	if (!data || !symsh->sh_entsize) {
		snprintf(err, errsz, "unreadable .symtab");
		return -1;
	}
	n = symsh->sh_size / symsh->sh_entsize;
	if (n > MAX_SYMS) {
		snprintf(err, errsz, ".symtab has %zu symbols", n);
		return -1;
	}
	c->syms = calloc(n ? n : 1, sizeof(*c->syms));
	if (!c->syms) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		GElf_Sym s;
		const char *name;
		int t;

		if (!gelf_getsym(data, (int)i, &s))
			continue;
		t = GELF_ST_TYPE(s.st_info);
		if ((t != STT_FUNC && t != STT_NOTYPE) || !s.st_value ||
		    s.st_shndx == SHN_UNDEF || s.st_shndx >= SHN_LORESERVE)
			continue;
		name = elf_strptr(elf, symsh->sh_link, s.st_name);
		/* arm64 mapping symbols ($x, $d) and empty names */
		if (!name || !name[0] || name[0] == '$')
			continue;
		c->syms[k].value = s.st_value;
		c->syms[k].size = s.st_size;
		c->syms[k].name = name;
		k++;
	}
	c->nsyms = k;
	qsort(c->syms, k, sizeof(*c->syms), sym_cmp);
	return 0;
}

/* The FUNC symbol @func; with several, the one whose size fits @want. */
static const struct sym *pick_func(const struct ctx *c, const char *func,
				   unsigned long want, int *count)
{
	const struct sym *best = NULL;
	uint64_t best_d = UINT64_MAX;
	size_t i;

	*count = 0;
	for (i = 0; i < c->nsyms; i++) {
		const struct sym *s = &c->syms[i];
		uint64_t d;

		if (!s->size || strcmp(s->name, func))
			continue;
		(*count)++;
		if (!want)
			d = 0;
		else if (s->size <= want)	/* kallsyms pads to the next */
			d = want - s->size;
		else
			d = (s->size - want) + (1ULL << 32);
		if (d < best_d) {
			best_d = d;
			best = s;
		}
	}
	return best;
}

/* Bytes of [addr, addr+size) from the section holding them. */
static const unsigned char *func_bytes(Elf *elf, uint64_t addr,
				       uint64_t size, char *err,
				       size_t errsz)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    !(sh.sh_flags & SHF_EXECINSTR) || addr < sh.sh_addr ||
		    addr - sh.sh_addr >= sh.sh_size ||
		    size > sh.sh_size - (addr - sh.sh_addr))
			continue;
		data = elf_rawdata(scn, NULL);
		if (!data || !data->d_buf ||
		    data->d_size < addr - sh.sh_addr + size) {
			snprintf(err, errsz, "section data unreadable");
			return NULL;
		}
		return (const unsigned char *)data->d_buf +
		       (addr - sh.sh_addr);
	}
	snprintf(err, errsz, "no executable section holds 0x%llx",
		 (unsigned long long)addr);
	return NULL;
}

/* The CU of the function: try a few addresses (arm64 skips the NOPs). */
static int find_cu(Dwarf *dw, uint64_t start, uint64_t size, Dwarf_Die *cu)
{
	uint64_t probes[3] = { start, start + 8, start + size / 2 };
	int i;

	if (!dw)
		return -1;
	for (i = 0; i < 3; i++)
		if (dwarf_addrdie(dw, probes[i], cu))
			return 0;
	return -1;
}

/*
 * Disassemble @size bytes at @vma into @text, one `0xaddr <func+off>:`
 * line per instruction (offsets from @func_start), with `file: line`
 * lines from @cu when given.  Returns 0, or -1 (memory, no instruction).
 */
static int dis_run(struct opcodes *op, enum bfd_architecture barch,
		   unsigned long mach, const unsigned char *bytes,
		   uint64_t size, uint64_t vma, const char *func,
		   uint64_t func_start, struct ctx *c, Dwarf_Die *cu,
		   struct sbuf *text, struct oc_vmdis *out)
{
	struct disassemble_info di;
	struct sbuf line = { 0 };
	disassembler_ftype fn = op->get(barch, false, mach, NULL);
	const char *last_file = NULL;
	int last_line = 0;
	uint64_t pc;

	if (!fn)
		return -1;
	c->line = &line;
	op->init(&di, &line, dis_printf, dis_styled);
	di.arch = barch;
	di.mach = mach;
	di.endian = BFD_ENDIAN_LITTLE;
	di.endian_code = BFD_ENDIAN_LITTLE;
	di.buffer = (bfd_byte *)bytes;
	di.buffer_vma = vma;
	di.buffer_length = size;
	di.print_address_func = dis_print_address;
	di.application_data = c;
	op->init_target(&di);

	for (pc = vma; pc < vma + size;) {
		Dwarf_Line *dl = cu ? dwarf_getsrc_die(cu, pc) : NULL;
		int n;

		if (dl) {
			const char *file = dwarf_linesrc(dl, NULL, NULL);
			int ln = 0;

			if (dwarf_lineno(dl, &ln) == 0 && file && ln > 0 &&
			    (file != last_file || ln != last_line))
				sb_add(text, "%s: %d\n", file, ln);
			last_file = file;
			last_line = ln;
			out->nlines++;
		}
		line.len = 0;
		if (line.buf)
			line.buf[0] = '\0';
		n = fn(pc, &di);
		if (n <= 0 || line.err)
			break;
		if (pc == func_start)
			sb_add(text, "0x%llx <%s>:\t%s\n",
			       (unsigned long long)pc, func,
			       line.buf ? line.buf : "");
		else
			sb_add(text, "0x%llx <%s+%llu>:\t%s\n",
			       (unsigned long long)pc, func,
			       (unsigned long long)(pc - func_start),
			       line.buf ? line.buf : "");
		out->ninsns++;
		pc += (uint64_t)n;
	}
	op->free_target(&di);
	c->line = NULL;
	free(line.buf);
	if (text->err || line.err || !text->buf)
		return -1;
	return 0;
}

int oc_vmdis_function(const char *path, const char *func,
		      unsigned long want_len, struct oc_vmdis *out,
		      char *err, size_t errsz)
{
	struct sbuf text = { 0 };
	struct opcodes op;
	struct ctx c = { 0 };
	GElf_Ehdr eh;
	GElf_Shdr symsh;
	Elf_Scn *scn = NULL, *symscn = NULL;
	Elf *elf = NULL;
	Dwarf *dw = NULL;
	Dwarf_Die cu;
	const struct sym *fs;
	const unsigned char *bytes;
	enum bfd_architecture barch;
	unsigned long mach;
	int have_cu, fd, ret = -1, opened = 0;

	memset(out, 0, sizeof(*out));
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errsz, "%s", strerror(errno));
		return -1;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		snprintf(err, errsz, "not an ELF file");
		goto out;
	}
	if (eh.e_machine == EM_X86_64) {
		out->arch = "x86_64";
		barch = bfd_arch_i386;
		mach = bfd_mach_x86_64;
	} else if (eh.e_machine == EM_AARCH64) {
		out->arch = "arm64";
		barch = bfd_arch_aarch64;
		mach = bfd_mach_aarch64;
	} else {
		snprintf(err, errsz, "ELF machine %u is neither x86_64 nor arm64",
			 (unsigned int)eh.e_machine);
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		if (gelf_getshdr(scn, &symsh) && symsh.sh_type == SHT_SYMTAB) {
			symscn = scn;
			break;
		}
	}
	if (!symscn) {
		snprintf(err, errsz, "no .symtab (not a debug vmlinux?)");
		goto out;
	}
	if (load_syms(elf, symscn, &symsh, &c, err, errsz) < 0)
		goto out;
	fs = pick_func(&c, func, want_len, &out->ncandidates);
	if (!fs) {
		snprintf(err, errsz, "no function symbol %s", func);
		goto out;
	}
	if (fs->size > FUNC_MAX_BYTES) {
		snprintf(err, errsz, "%s is %llu bytes long", func,
			 (unsigned long long)fs->size);
		goto out;
	}
	out->start = fs->value;
	out->size = fs->size;
	bytes = func_bytes(elf, fs->value, fs->size, err, errsz);
	if (!bytes)
		goto out;
	if (opcodes_open(eh.e_machine, &op, err, errsz) < 0)
		goto out;
	opened = 1;
	snprintf(out->disassembler, sizeof(out->disassembler), "libopcodes (%s)",
		 op.name);
	if (!op.get(barch, false, mach, NULL)) {
		snprintf(err, errsz, "%s has no %s disassembler", op.name,
			 out->arch);
		goto out;
	}
	/* a vmlinux without DWARF still disassembles, without lines */
	dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	have_cu = find_cu(dw, fs->value, fs->size, &cu) == 0;

	if (dis_run(&op, barch, mach, bytes, fs->size, fs->value, func,
		    fs->value, &c, have_cu ? &cu : NULL, &text, out) < 0) {
		snprintf(err, errsz, "out of memory or no instructions");
		goto out;
	}
	out->text = text.buf;
	out->len = text.len;
	text.buf = NULL;
	ret = 0;
out:
	if (opened)
		opcodes_close(&op);
	free(text.buf);
	free(c.syms);
	if (dw)
		dwarf_end(dw);
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

void oc_vmdis_free(struct oc_vmdis *d)
{
	free(d->text);
	memset(d, 0, sizeof(*d));
}

int oc_vmdis_bytes(const char *arch, const unsigned char *bytes, size_t n,
		   uint64_t vma, const char *func, uint64_t func_start,
		   struct oc_vmdis *out, char *err, size_t errsz)
{
	struct sbuf text = { 0 };
	struct ctx c = { 0 };
	struct opcodes op;
	enum bfd_architecture barch;
	unsigned long mach;
	int em;

	memset(out, 0, sizeof(*out));
	if (arch && !strcmp(arch, "x86_64")) {
		em = EM_X86_64;
		barch = bfd_arch_i386;
		mach = bfd_mach_x86_64;
		out->arch = "x86_64";
	} else if (arch && !strcmp(arch, "arm64")) {
		em = EM_AARCH64;
		barch = bfd_arch_aarch64;
		mach = bfd_mach_aarch64;
		out->arch = "arm64";
	} else {
		snprintf(err, errsz, "unknown architecture");
		return -1;
	}
	if (!n || n > 4096) {
		snprintf(err, errsz, "%zu code bytes", n);
		return -1;
	}
	if (opcodes_open(em, &op, err, errsz) < 0)
		return -1;
	snprintf(out->disassembler, sizeof(out->disassembler),
		 "libopcodes (%s)", op.name);
	out->start = vma;
	out->size = n;
	if (dis_run(&op, barch, mach, bytes, n, vma, func, func_start, &c,
		    NULL, &text, out) < 0) {
		snprintf(err, errsz, "no instruction decoded");
		free(text.buf);
		opcodes_close(&op);
		return -1;
	}
	opcodes_close(&op);
	out->text = text.buf;
	out->len = text.len;
	return 0;
}
