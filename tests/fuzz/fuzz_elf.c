// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_elf - the ELF readers of core/elfinfo.c (build-id note, debuginfo
 * presence, a symbol's section and value) and core/dwcheck.c (a
 * function's inlined callees from DWARF), and the raw note parser.  They
 * take a path: the input is written to a memfd and read through
 * /proc/self/fd/N, as a file on disk would be.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dwcheck.h"
#include "elfinfo.h"

static const char *const callees[] = { "ovs_vport_send", "dev_queue_xmit" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char id[OC_BUILD_ID_MAX];
	char path[64], err[512], sec[128], hex[2 * OC_BUILD_ID_MAX + 1];
	unsigned long long value;
	size_t idlen;
	int fd, dbg, present[2];

	if (oc_notes_build_id(data, size, id, sizeof(id)) > 0)
		oc_hex(id, sizeof(id), hex, sizeof(hex));

	fd = memfd_create("fuzz-elf", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (!oc_elf_info(path, id, &idlen, &dbg, err, sizeof(err)))
		oc_hex(id, idlen, hex, sizeof(hex));
	oc_elf_symbol(path, "do_output", sec, sizeof(sec), &value, err,
		      sizeof(err));
	oc_dwarf_func_uses(path, "do_output", callees, 2, present, err,
			   sizeof(err));
	close(fd);
	return 0;
}
