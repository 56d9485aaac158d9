// SPDX-License-Identifier: GPL-2.0
/*
 * elfinfo.c - ELF build-id and debuginfo checks with libelf, module
 * decompression with liblzma and libzstd (Debian's maintained libraries,
 * not hand-written parsers or decoders).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* O_TMPFILE, mkostemp */
#endif
#include "elfinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

int oc_notes_build_id(const unsigned char *notes, size_t len, unsigned char *id, size_t idmax)
{
	size_t off = 0;

	while (off + 12 <= len) {
		uint32_t namesz, descsz, type;
		size_t name_off, desc_off, next;

		memcpy(&namesz, notes + off, 4);
		memcpy(&descsz, notes + off + 4, 4);
		memcpy(&type, notes + off + 8, 4);
		name_off = off + 12;
		desc_off = name_off + ((namesz + 3) & ~3u);
		next = desc_off + ((descsz + 3) & ~3u);
		if (namesz > len || descsz > len || next > len || desc_off > len)
			return -1;
		if (type == NT_GNU_BUILD_ID && namesz == 4 &&
		    !memcmp(notes + name_off, "GNU", 4)) {
			if (descsz > idmax || descsz == 0)
				return -1;
			memcpy(id, notes + desc_off, descsz);
			return (int)descsz;
		}
		off = next;
	}
	return -1;
}

char *oc_hex(const unsigned char *id, size_t len, char *out, size_t outsz)
{
	size_t i;

	if (outsz)
		out[0] = '\0';
	for (i = 0; i < len && 2 * i + 2 < outsz; i++)
		sprintf(out + 2 * i, "%02x", id[i]);
	return out;
}

/* open path as ELF: 0 with *fd, *e and the section-name string index set */
static int elf_open(const char *path, int *fd, Elf **e, size_t *shstrndx, char *err, size_t errsz)
{
	elf_version(EV_CURRENT);
	*fd = open(path, O_RDONLY);
	if (*fd < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	*e = elf_begin(*fd, ELF_C_READ, NULL);
	if (!*e || elf_kind(*e) != ELF_K_ELF || elf_getshdrstrndx(*e, shstrndx)) {
		snprintf(err, errsz, "%s: not an ELF file", path);
		if (*e)
			elf_end(*e);
		close(*fd);
		return -1;
	}
	return 0;
}

int oc_elf_info(const char *path, unsigned char *id, size_t *idlen, int *has_debug,
		char *err, size_t errsz)
{
	Elf *e;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int fd, found = 0;

	*idlen = 0;
	*has_debug = 0;
	if (elf_open(path, &fd, &e, &shstrndx, err, errsz))
		return -1;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (name && !strcmp(name, ".debug_info") && sh.sh_type != SHT_NOBITS && sh.sh_size)
			*has_debug = 1;
		if (sh.sh_type == SHT_NOTE && !found) {
			Elf_Data *d = elf_getdata(scn, NULL);
			int n;

			if (d && d->d_buf &&
			    (n = oc_notes_build_id(d->d_buf, d->d_size, id, OC_BUILD_ID_MAX)) > 0) {
				*idlen = n;
				found = 1;
			}
		}
	}
	elf_end(e);
	close(fd);
	if (!found) {
		snprintf(err, errsz, "%s: no GNU build-id note", path);
		return -1;
	}
	return 0;
}

int oc_elf_symbol(const char *path, const char *sym, char *secname, size_t secsz,
		  unsigned long long *value, char *err, size_t errsz)
{
	Elf *e;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int fd, found = 0;

	if (elf_open(path, &fd, &e, &shstrndx, err, errsz))
		return -1;
	while (!found && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; d && i < n; i++) {
			GElf_Sym st;
			GElf_Shdr tsh;
			const char *name, *sec;
			Elf_Scn *ts;

			if (!gelf_getsym(d, (int)i, &st))
				continue;
			name = elf_strptr(e, sh.sh_link, st.st_name);
			if (!name || strcmp(name, sym) || st.st_shndx == SHN_UNDEF ||
			    st.st_shndx >= SHN_LORESERVE)
				continue;
			ts = elf_getscn(e, st.st_shndx);
			if (!ts || !gelf_getshdr(ts, &tsh) ||
			    !(sec = elf_strptr(e, shstrndx, tsh.sh_name)))
				continue;
			snprintf(secname, secsz, "%s", sec);
			*value = st.st_value;
			found = 1;
			break;
		}
	}
	elf_end(e);
	close(fd);
	if (!found) {
		snprintf(err, errsz, "%s: no symbol %s", path, sym);
		return -1;
	}
	return 0;
}

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && !strcmp(s + a - b, suf);
}

int oc_is_compressed(const char *path)
{
	return ends_with(path, ".xz") || ends_with(path, ".zst");
}

/* the decompressed bytes of one step: refused past limit, written whole */
struct sink {
	int fd;
	unsigned long long done, limit;
	char *err;
	size_t errsz;
};

static int put(struct sink *k, const uint8_t *b, size_t n)
{
	ssize_t w;

	if (n > k->limit - k->done) {
		snprintf(k->err, k->errsz,
			 "decompresses to more than %llu bytes (OC_DECOMPRESS_MAX): refused as a decompression bomb",
			 k->limit);
		return -1;
	}
	k->done += n;
	while (n) {
		w = write(k->fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(k->err, k->errsz, "writing its decompressed copy: %s",
				 w < 0 ? strerror(errno) : "short write");
			return -1;
		}
		b += w;
		n -= w;
	}
	return 0;
}

static int unxz(FILE *in, struct sink *k)
{
	lzma_stream s = LZMA_STREAM_INIT;
	static uint8_t ib[65536], ob[65536];
	lzma_ret r;

	if (lzma_stream_decoder(&s, OC_XZ_MEMLIMIT, LZMA_CONCATENATED) != LZMA_OK) {
		snprintf(k->err, k->errsz, "liblzma init failed");
		return -1;
	}
	s.avail_in = 0;
	do {
		if (!s.avail_in && !feof(in)) {
			s.next_in = ib;
			s.avail_in = fread(ib, 1, sizeof(ib), in);
			if (ferror(in)) {
				snprintf(k->err, k->errsz, "read error: %s", strerror(errno));
				lzma_end(&s);
				return -1;
			}
		}
		s.next_out = ob;
		s.avail_out = sizeof(ob);
		r = lzma_code(&s, feof(in) && !s.avail_in ? LZMA_FINISH : LZMA_RUN);
		if ((r == LZMA_OK || r == LZMA_STREAM_END) &&
		    put(k, ob, sizeof(ob) - s.avail_out)) {
			lzma_end(&s);
			return -1;
		}
	} while (r == LZMA_OK);
	lzma_end(&s);
	if (r == LZMA_MEMLIMIT_ERROR) {
		snprintf(k->err, k->errsz, "xz dictionary needs more than %llu MiB (OC_XZ_MEMLIMIT)",
			 (unsigned long long)OC_XZ_MEMLIMIT >> 20);
		return -1;
	}
	if (r != LZMA_STREAM_END) {
		snprintf(k->err, k->errsz, "xz data corrupt (liblzma error %d)", r);
		return -1;
	}
	return 0;
}

static int unzstd(FILE *in, struct sink *k)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	static uint8_t ib[131072], ob[131072];
	size_t r = 1, n;

	if (!z) {
		snprintf(k->err, k->errsz, "libzstd init failed");
		return -1;
	}
	ZSTD_initDStream(z);
	while ((n = fread(ib, 1, sizeof(ib), in)) > 0) {
		ZSTD_inBuffer i = { ib, n, 0 };

		while (i.pos < i.size) {
			ZSTD_outBuffer o = { ob, sizeof(ob), 0 };

			r = ZSTD_decompressStream(z, &o, &i);
			if (ZSTD_isError(r)) {
				snprintf(k->err, k->errsz, "zstd data corrupt (%s)",
					 ZSTD_getErrorName(r));
				ZSTD_freeDStream(z);
				return -1;
			}
			if (put(k, ob, o.pos)) {
				ZSTD_freeDStream(z);
				return -1;
			}
		}
	}
	ZSTD_freeDStream(z);
	if (ferror(in)) {
		snprintf(k->err, k->errsz, "read error: %s", strerror(errno));
		return -1;
	}
	if (r != 0) {
		snprintf(k->err, k->errsz, "zstd data truncated");
		return -1;
	}
	return 0;
}

/* fd of path if it is a regular file (a FIFO or a device planted under
 * a module's name must not block or stream forever) */
static int open_regular(const char *path, char *err, size_t errsz)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errsz, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "not a regular file");
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, 0);
	return fd;
}

int oc_decompress_fd(const char *path, int out, unsigned long long limit, char *err,
		     size_t errsz)
{
	struct sink k = { .fd = out, .limit = limit, .err = err, .errsz = errsz };
	FILE *in;
	int rc, fd;

	if (!oc_is_compressed(path)) {
		snprintf(err, errsz, "not named .xz or .zst");
		return -1;
	}
	fd = open_regular(path, err, errsz);
	if (fd < 0)
		return -1;
	in = fdopen(fd, "rb");
	if (!in) {
		snprintf(err, errsz, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	rc = ends_with(path, ".xz") ? unxz(in, &k) : unzstd(in, &k);
	fclose(in);
	return rc;
}

/*
 * A file with no name in dir: O_TMPFILE, or (a filesystem without it) a
 * mkstemp name unlinked at once.  Either way nothing is left on disk when
 * the process ends, SIGKILL included.
 */
static int unnamed_temp(const char *dir, char *err, size_t errsz)
{
	char p[4096];
	int fd;

	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	snprintf(p, sizeof(p), "%s/ovscrash-ko-XXXXXX", dir);
	fd = mkostemp(p, O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errsz, "cannot create a temporary file in %s: %s", dir,
			 strerror(errno));
		return -1;
	}
	unlink(p);
	return fd;
}

int oc_module_open(const char *path, char *err, size_t errsz)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (!oc_is_compressed(path))
		return open_regular(path, err, errsz);
	if (!dir || !*dir)
		dir = "/tmp";
	fd = unnamed_temp(dir, err, errsz);
	if (fd < 0)
		return -1;
	if (oc_decompress_fd(path, fd, OC_DECOMPRESS_MAX, err, errsz) ||
	    lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);	/* the partial copy goes with its last fd */
		return -1;
	}
	return fd;
}
