/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmdis.h - disassemble one function of a debug vmlinux with libopcodes
 * (binutils) and print it the way crash's `dis -l` does:
 *
 *	/build/linux-6.1.192/net/core/dev.c: 3294
 *	0xffffffff817a604d <netdev_pick_tx+621>:	sub    %eax,%edx
 *
 * so that core/disasm.c's one parser reads crash output, gdb excerpts and
 * this alike.  Symbols come from the ELF .symtab (libelf), source lines
 * from DWARF's line table (libdw).  Offsets count from the ELF symbol,
 * as kallsyms and oops lines do (on arm64 DWARF's low_pc is 8 higher).
 */
#ifndef OC_VMDIS_H
#define OC_VMDIS_H

#include <stddef.h>
#include <stdint.h>

struct oc_vmdis {
	const char *arch;	/* "x86_64" or "arm64" (oc_arch name) */
	uint64_t start;		/* ELF symbol value */
	uint64_t size;		/* ELF symbol size */
	int ncandidates;	/* FUNC symbols of that name */
	char *text;		/* dis -l text, NUL terminated, malloc'd */
	size_t len;
	size_t ninsns;
	size_t nlines;		/* instructions that got a source line */
	char disassembler[96];	/* "libopcodes 2.40 (libopcodes-...so)" */
};

/*
 * Disassemble FUNC symbol @func of the ELF file @path.  When several
 * symbols have that name, the one whose size fits @want_len (the
 * function length an oops line prints, 0 unknown) is taken.  Returns 0,
 * or -1 with a one-line reason in @err.
 */
int oc_vmdis_function(const char *path, const char *func,
		      unsigned long want_len, struct oc_vmdis *out,
		      char *err, size_t errsz);
/*
 * Disassemble @n raw bytes of @arch ("x86_64" or "arm64"), e.g. an oops
 * `Code:` line, as if they sat at @vma in @func starting at @func_start
 * (labels `<func+off>`, branch targets as bare addresses).  Returns 0, or
 * -1 with a reason in @err.
 */
int oc_vmdis_bytes(const char *arch, const unsigned char *bytes, size_t n,
		   uint64_t vma, const char *func, uint64_t func_start,
		   struct oc_vmdis *out, char *err, size_t errsz);
void oc_vmdis_free(struct oc_vmdis *d);

#endif /* OC_VMDIS_H */
