/* SPDX-License-Identifier: GPL-2.0 */
/* elfinfo.h - build-ids and debuginfo presence of ELF files, compressed
 * module files; no crash dependency. */
#ifndef OVSCRASH_ELFINFO_H
#define OVSCRASH_ELFINFO_H

#include <stddef.h>

#define OC_BUILD_ID_MAX 64

/* Find the GNU build-id in a buffer of ELF notes (as a module's
 * .note.gnu.build-id section sits in memory).  Returns its length or -1. */
int oc_notes_build_id(const unsigned char *notes, size_t len, unsigned char *id, size_t idmax);
/* hex string of id into out (2*len+1 bytes) */
char *oc_hex(const unsigned char *id, size_t len, char *out, size_t outsz);

/* Build-id of an ELF file (libelf); has_debug set if it has .debug_info
 * with contents.  0 on success, -1 with err filled. */
int oc_elf_info(const char *path, unsigned char *id, size_t *idlen, int *has_debug,
		char *err, size_t errsz);

/* Symbol sym of an ELF file (relocatable module or debug file): the name
 * of its section and its value (offset in that section for ET_REL).
 * 0 on success, -1 with err filled. */
int oc_elf_symbol(const char *path, const char *sym, char *secname, size_t secsz,
		  unsigned long long *value, char *err, size_t errsz);

/*
 * Compressed modules (.ko.xz, .ko.zst).  A debug openvswitch.ko is about
 * 20 MB; output beyond OC_DECOMPRESS_MAX is refused as a decompression
 * bomb, and an .xz whose dictionary needs more than OC_XZ_MEMLIMIT of
 * decoder memory is refused too.
 */
#define OC_DECOMPRESS_MAX (256ULL << 20)
#define OC_XZ_MEMLIMIT (128ULL << 20)

/* 1 if path's name ends in .xz or .zst */
int oc_is_compressed(const char *path);

/* Decompress the .xz/.zst file path (by its name) into fd out, at most
 * limit bytes; every write is checked (ENOSPC and short writes fail).
 * 0, or -1 with err: the reason, without the file name. */
int oc_decompress_fd(const char *path, int out, unsigned long long limit, char *err,
		     size_t errsz);

/*
 * A read-only view of a module file: an fd of path itself, or of a
 * temporary file with no name (O_TMPFILE in $TMPDIR, else /tmp; or a
 * mkstemp name unlinked at once) holding its decompressed contents, at
 * most OC_DECOMPRESS_MAX.  The temporary lives as long as the fd: nothing
 * is left on disk however the process ends.  Read it by name as
 * /proc/self/fd/<fd>.  The fd (O_CLOEXEC), or -1 with err: the reason,
 * without the file name.
 */
int oc_module_open(const char *path, char *err, size_t errsz);

#endif
