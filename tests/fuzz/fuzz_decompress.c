// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_decompress - module decompression (.ko.xz with liblzma, .ko.zst
 * with libzstd) of core/elfinfo.c on random compressed streams.  The
 * first input byte picks the format (its low bit: xz or zst), the rest
 * is the stream.  oc_decompress_fd writes to /dev/null with an output
 * limit of OUT_LIMIT (a bomb is its "more than" error); RLIMIT_FSIZE
 * also caps what one input may write to the private TMPDIR.
 */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "elfinfo.h"

#define OUT_LIMIT	(64UL << 20)

static char dir[64];
static int devnull = -1;

static void cleanup(void)
{
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct rlimit rl = { OUT_LIMIT, OUT_LIMIT };

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/ovscrash-fuzz-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	atexit(cleanup);
	setenv("TMPDIR", dir, 1);
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &rl);
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0) {
		perror("/dev/null");
		exit(1);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[128], err[512];
	FILE *f;

	if (!size)
		return 0;
	snprintf(in, sizeof(in), "%s/in.ko.%s", dir,
		 data[0] & 1 ? "zst" : "xz");
	f = fopen(in, "wb");
	if (!f)
		abort();
	if (fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f))
		abort();
	oc_decompress_fd(in, devnull, OUT_LIMIT, err, sizeof(err));
	unlink(in);
	return 0;
}
