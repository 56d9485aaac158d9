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

/* If path ends in .xz/.zst, decompress it (liblzma/libzstd) into a
 * private temporary file and put its name in out; else copy path.
 * Returns 1 if a temporary was made, 0 if not, -1 on error. */
int oc_decompress_to_temp(const char *path, char *out, size_t outsz, char *err, size_t errsz);

#endif
