# ovscrash - top-level Makefile
#
#   make            build extension/ovscrash.so against the project's crash,
#                   and tools/ovscrash-log (log-only triage, no crash needed)
#   make tools      only tools/ovscrash-log
#   make man        the man pages (man/*.scd -> build/man/, scdoc)
#   make demo       install deps, build, make the fixtures, triage the lockup, write the batch report
#   make check      unit + integration + e2e tests (builds both crashes and fixtures, cached)
#   make install    the installed layout (docs/packaging.md): private crash builds,
#                   ovscrash.so per target, the ovscrash-crash wrapper, the tools,
#                   the batch package, man pages, systemd units, docs (DESTDIR=...)
#   make deb        the Debian package (debian/) into build/deb/
#   make check-asan the extension built with ASan + UBSan, loaded into crash
#                   with the runtime preloaded, on the integration fixtures;
#                   the unit tests under valgrind (make check runs it too)
#   make fuzz       each libFuzzer target of tests/fuzz for FUZZ_SECONDS (300)
#   make bench      timings as ratios against baselines measured in the same run
#                   (crash session with/without ovscrash; batch with/without index)
#                   on the fixtures and the scale fixtures
#   make watch      build/watch/ovscrash-watch, the live watcher (watch/, docs/watch.md):
#                   CO-RE BPF object + static loader; clang, bpftool, libbpf-dev;
#                   WATCH_ARCH=arm64: cross-built into build/watch-arm64/
#   make scale-fixtures  the scale set: the lockup on hosts of ~100, ~1,000 and
#                   ~11,000 devices (amd64 6.1; not built by fixtures or check)
#
# Against an installed crash instead:  make CRASH_INCLUDE=/usr/include/crash
#                                      (its version and GDB_DEFINE come from the
#                                      crash package owning that defs.h)
SHELL := /bin/bash
# `make` alone builds `all`, whichever rule comes first below
.DEFAULT_GOAL := all
PREFIX ?= /usr
# where `make install` puts the batch's Python package (the installed
# ovscrash-batch / ovscrash-report shims look there)
PYDIR ?= $(PREFIX)/lib/python3/dist-packages
OVSCRASH_CACHE ?= /var/cache/ovscrash
export OVSCRASH_CACHE
TARGET ?= X86_64
VERSION := 0.1.0

# The project's own crash (built from Debian's source package, cached)
CRASH_DIR ?= $(shell ls -d $(OVSCRASH_CACHE)/crash/$(shell echo $(TARGET) | tr A-Z a-z)-sid-* 2>/dev/null | tail -n1)
CRASH_INCLUDE ?= $(CRASH_DIR)

# The crash the extension is built for, recorded in it: extension/guard.c
# refuses to register in any other crash (docs/guard.md).  The version is
# that crash's build_version, as `crash --version` prints it; it comes
# from scripts/crash-version.sh (the crash beside defs.h, the Debian
# package owning defs.h, or the build dir's version file), else the build
# fails: set OVSCRASH_CRASH_VERSION=X.Y.Z to say it.  Asked once per make.
crash_version = $(shell ./scripts/crash-version.sh $(1))
OVSCRASH_CRASH_VERSION ?= $(eval OVSCRASH_CRASH_VERSION := $(call crash_version,$(CRASH_INCLUDE)))$(OVSCRASH_CRASH_VERSION)
# gdb 16.3 from crash 9, 10.2 before
gdb_of = $(shell echo '$(1)' | awk -F. '{ print ($$1 >= 9) ? "GDB_16_3" : "GDB_10_2" }')
GDB_DEFINE ?= $(shell cat $(CRASH_INCLUDE)/gdb-define 2>/dev/null || echo $(call gdb_of,$(OVSCRASH_CRASH_VERSION)))

# Recipe lines checking the crash an extension build tree is made for
# ($(1) include dir, $(2) version, $(3) build tree): defs.h is there, the
# version is known, the dir's target file (the project's crash builds have
# one) agrees with TARGET.  Then $(3)/crash.stamp names that crash; every
# object of the tree depends on it, so building against another crash
# rebuilds them all (before, `make CRASH_INCLUDE=...` reused the objects
# compiled against the previous defs.h).
define crash_check
	@test -f "$(1)/defs.h" || { echo "no crash defs.h in '$(1)': run 'make crash' or set CRASH_INCLUDE" >&2; exit 1; }
	@test -n "$(2)" || { echo "not building an unguarded extension: the crash version of '$(1)/defs.h' is unknown (set OVSCRASH_CRASH_VERSION)" >&2; exit 1; }
	@test ! -f "$(1)/target" || test "$$(cat "$(1)/target")" = "$(TARGET)" || { echo "'$(1)' is a crash for target $$(cat "$(1)/target"), not TARGET=$(TARGET)" >&2; exit 1; }
	@mkdir -p $(3)
	@echo '$(1) $(2) $(TARGET)' | cmp -s - $(3)/crash.stamp || echo '$(1) $(2) $(TARGET)' >$(3)/crash.stamp
endef

CC ?= gcc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers -Wno-format-truncation
CORE_SRCS := $(wildcard core/*.c)
EXT_SRCS := $(wildcard extension/*.c)
LIBS := -ljson-c -lelf -ldw -llzma -lzstd
# the extension only: module debuginfo by build-id from debuginfod servers
EXT_LIBS := -ldebuginfod

# One build tree and one .so per crash target: ovscrash.so for the host's
# own arch, ovscrash-arm64.so for the x86_64-hosted crash that reads arm64
# dumps (make arm64, i.e. make TARGET=ARM64).
lc = $(shell echo $(1) | tr A-Z a-z)
TARGET_LC := $(call lc,$(TARGET))
BUILD := build/$(TARGET_LC)
HOST_TARGET := $(shell uname -m | sed 's/aarch64/ARM64/; s/x86_64/X86_64/')
SO := extension/ovscrash$(if $(filter $(HOST_TARGET),$(TARGET)),,-$(TARGET_LC)).so
CORE_OBJS := $(patsubst core/%.c,$(BUILD)/core/%.o,$(CORE_SRCS))
EXT_OBJS := $(patsubst extension/%.c,$(BUILD)/ext/%.o,$(EXT_SRCS))

# The log-only triage tool: core/ built on its own (no crash), libopcodes
# and libbfd from binutils-dev for the vmlinux disassembly.
LOGTOOL := tools/ovscrash-log
TOOL_SRCS := $(wildcard tools/*.c)
TOOL_OBJS := $(patsubst tools/%.c,build/tools/%.o,$(TOOL_SRCS))
TOOL_CORE_OBJS := $(patsubst core/%.c,build/tools/core/%.o,$(CORE_SRCS))
TOOL_LIBS := $(LIBS) -lopcodes -lbfd -ldl

.PHONY: FORCE all tools watch arm64 crash fixtures scale-fixtures demo check unit integration install deb bench clean deps ext-system \
	asan asan-canary check-asan fuzz man

all: $(SO) $(LOGTOOL)

tools: $(LOGTOOL)

# Man pages: man/NAME.SECTION.scd, rendered by scdoc (Debian's scdoc) to
# build/man/NAME.SECTION (man -l build/man/ovscrash.7); after all, which
# stays the default goal
MAN_SRCS := $(wildcard man/*.scd)
MAN_PAGES := $(patsubst man/%.scd,build/man/%,$(MAN_SRCS))

man: $(MAN_PAGES)

build/man/%: man/%.scd
	@mkdir -p $(dir $@)
	scdoc < $< > $@.tmp && mv $@.tmp $@

build/tools/core/%.o: core/%.c $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -std=gnu11 -c -o $@ $<

build/tools/%.o: tools/%.c $(wildcard tools/*.h core/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -std=gnu11 -Icore -DOVSCRASH_VERSION='"$(VERSION)"' -c -o $@ $<

$(LOGTOOL): $(TOOL_OBJS) $(TOOL_CORE_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TOOL_LIBS)

arm64:
	./scripts/build-crash.sh ARM64 >/dev/null
	$(MAKE) TARGET=ARM64

deps:
	./scripts/install-deps.sh

crash:
	./scripts/build-crash.sh $(TARGET) >/dev/null

$(BUILD)/core/%.o: core/%.c $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -fPIC -std=gnu11 -c -o $@ $<

$(BUILD)/crash.stamp: FORCE
	$(call crash_check,$(CRASH_INCLUDE),$(OVSCRASH_CRASH_VERSION),$(BUILD))

$(BUILD)/ext/%.o: extension/%.c $(wildcard extension/*.h core/*.h) $(BUILD)/crash.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Wno-unused-function -fPIC -D$(TARGET) -D$(GDB_DEFINE) \
		-DOVSCRASH_VERSION='"$(VERSION)"' -DOVSCRASH_CRASH_VERSION='"$(OVSCRASH_CRASH_VERSION)"' \
		-I$(CRASH_INCLUDE) -c -o $@ $<

$(SO): $(CORE_OBJS) $(EXT_OBJS)
	$(CC) $(LDFLAGS) -shared -rdynamic -o $@ $^ $(LIBS) $(EXT_LIBS)

# The same sources built against the crash installed from Debian
# (/usr/include/crash/defs.h), as a user without the project's crash would.
SYSTEM_INCLUDE ?= /usr/include/crash
SYSTEM_CRASH_VERSION ?= $(eval SYSTEM_CRASH_VERSION := $(call crash_version,$(SYSTEM_INCLUDE)))$(SYSTEM_CRASH_VERSION)
SYSTEM_GDB ?= $(call gdb_of,$(SYSTEM_CRASH_VERSION))
SYSTEM_OBJS := $(patsubst extension/%.c,build/system/%.o,$(EXT_SRCS))

ext-system: build/system/ovscrash.so

build/system/crash.stamp: FORCE
	$(call crash_check,$(SYSTEM_INCLUDE),$(SYSTEM_CRASH_VERSION),build/system)

build/system/%.o: extension/%.c $(wildcard extension/*.h core/*.h) build/system/crash.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -Wno-unused-function -fPIC -D$(TARGET) -D$(SYSTEM_GDB) \
		-DOVSCRASH_VERSION='"$(VERSION)"' -DOVSCRASH_CRASH_VERSION='"$(SYSTEM_CRASH_VERSION)"' \
		-I$(SYSTEM_INCLUDE) -c -o $@ $<

build/system/ovscrash.so: $(CORE_OBJS) $(SYSTEM_OBJS)
	$(CC) -shared -rdynamic -o $@ $^ $(LIBS) $(EXT_LIBS)

# The extension with AddressSanitizer + UBSan (gcc), in its own build tree,
# for crash with the ASan runtime preloaded (tests/asan/run.sh).
ASAN_BUILD := build/asan-$(TARGET_LC)
ASAN_SO := $(ASAN_BUILD)/ovscrash-asan.so
ASAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
# gcc's -Wrestrict misfires at -O1 with the sanitizers (picktx.c's
# snprintf into a struct member): warnings stay warnings in this build
ASAN_WARN := $(filter-out -Werror,$(WARN))
ASAN_CORE_OBJS := $(patsubst core/%.c,$(ASAN_BUILD)/core/%.o,$(CORE_SRCS))
ASAN_EXT_OBJS := $(patsubst extension/%.c,$(ASAN_BUILD)/ext/%.o,$(EXT_SRCS))

asan: $(ASAN_SO)

$(ASAN_BUILD)/core/%.o: core/%.c $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(ASAN_WARN) -fPIC -std=gnu11 -c -o $@ $<

$(ASAN_BUILD)/crash.stamp: FORCE
	$(call crash_check,$(CRASH_INCLUDE),$(OVSCRASH_CRASH_VERSION),$(ASAN_BUILD))

$(ASAN_BUILD)/ext/%.o: extension/%.c $(wildcard extension/*.h core/*.h) $(ASAN_BUILD)/crash.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(ASAN_WARN) -Wno-unused-function -fPIC -D$(TARGET) -D$(GDB_DEFINE) \
		-DOVSCRASH_VERSION='"$(VERSION)"' -DOVSCRASH_CRASH_VERSION='"$(OVSCRASH_CRASH_VERSION)"' \
		-I$(CRASH_INCLUDE) -c -o $@ $<

$(ASAN_SO): $(ASAN_CORE_OBJS) $(ASAN_EXT_OBJS)
	$(CC) -fsanitize=address,undefined -shared -rdynamic -o $@ $^ $(LIBS) $(EXT_LIBS)

# a planted fault, to show the sanitizers report from inside crash
$(ASAN_BUILD)/asan-canary.so: tests/asan/canary.c
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(ASAN_WARN) -Wno-unused-function -fPIC -shared -D$(TARGET) \
		-D$(GDB_DEFINE) -I$(CRASH_INCLUDE) -o $@ $<

asan-canary: $(ASAN_BUILD)/asan-canary.so

# the ASan/UBSan extension under the project's crash on the integration
# suite's fixtures, and the unit tests under valgrind (tests/asan/run.sh)
check-asan: asan asan-canary
	./tests/asan/run.sh

# each libFuzzer target for FUZZ_SECONDS (300) (tests/fuzz/run.sh)
fuzz:
	$(MAKE) -C tests/fuzz fuzz

# The installed layout (docs/packaging.md): the project's private crash
# builds under $(LIBEXEC) (crash: the host target; crash-arm64 on x86_64
# hosts), each target's ovscrash.so in $(LIBEXEC)/extensions/<arch>/ for
# the ovscrash-crash wrapper, the host build also in
# $(PREFIX)/lib/crash/extensions where a plain crash's `extend ovscrash.so`
# finds it; the tools on PATH, the batch package in PYDIR, the man pages,
# the systemd units (disabled: the Debian package's maintainer scripts or
# `systemctl enable --now ovscrash-triage.path` turn them on), the
# .crashrc snippet and the docs.  DESTDIR-aware; `make deb` uses it.
LIBEXEC ?= $(PREFIX)/lib/ovscrash
UNITDIR ?= /lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/ovscrash
MANDIR ?= $(PREFIX)/share/man
HOST_LC := $(call lc,$(HOST_TARGET))
OTHER_TARGETS := $(filter-out $(HOST_TARGET),X86_64 ARM64)
SYSTEMD_UNITS := $(wildcard data/systemd/*.path data/systemd/*.service)
INSTALL_DOCS := $(wildcard docs/*.md)
DOC_IMAGES := $(wildcard docs/img/*.png)

install: all man watch
	$(foreach t,$(OTHER_TARGETS),$(MAKE) TARGET=$(t) &&) true
	install -D -m 0755 $$(./scripts/build-crash.sh $(HOST_TARGET)) $(DESTDIR)$(LIBEXEC)/crash
	$(foreach t,$(OTHER_TARGETS),install -D -m 0755 $$(./scripts/build-crash.sh $(t)) \
		$(DESTDIR)$(LIBEXEC)/crash-$(call lc,$(t)) &&) true
	install -D -m 0644 $(SO) $(DESTDIR)$(LIBEXEC)/extensions/$(HOST_LC)/ovscrash.so
	$(foreach t,$(OTHER_TARGETS),install -D -m 0644 extension/ovscrash-$(call lc,$(t)).so \
		$(DESTDIR)$(LIBEXEC)/extensions/$(call lc,$(t))/ovscrash.so &&) true
	install -D -m 0644 $(SO) $(DESTDIR)$(PREFIX)/lib/crash/extensions/ovscrash.so
	install -d $(DESTDIR)$(PREFIX)/bin
	sed 's|^libexec=$${OVSCRASH_LIBEXEC:-/usr/lib/ovscrash}$$|libexec=$${OVSCRASH_LIBEXEC:-$(LIBEXEC)}|' \
		scripts/ovscrash-crash >$(DESTDIR)$(PREFIX)/bin/ovscrash-crash
	chmod 0755 $(DESTDIR)$(PREFIX)/bin/ovscrash-crash
	grep -q '^libexec=.*:-$(LIBEXEC)}$$' $(DESTDIR)$(PREFIX)/bin/ovscrash-crash
	install -D -m 0755 $(LOGTOOL) $(DESTDIR)$(PREFIX)/bin/ovscrash-log
	for s in ovscrash-batch ovscrash-report; do install -D -m 0755 scripts/$$s $(DESTDIR)$(PREFIX)/bin/$$s; done
	install -D -m 0755 scripts/ovscrash-arrival $(DESTDIR)$(PREFIX)/sbin/ovscrash-arrival
	install -D -m 0755 build/watch/ovscrash-watch $(DESTDIR)$(PREFIX)/sbin/ovscrash-watch
	install -d $(DESTDIR)$(PYDIR)/ovscrash_batch
	install -m 0644 ovscrash_batch/*.py $(DESTDIR)$(PYDIR)/ovscrash_batch/
	install -D -m 0755 scripts/ovscrash-array.sbatch $(DESTDIR)$(PREFIX)/share/ovscrash/ovscrash-array.sbatch
	for m in $(MAN_PAGES); do s=$${m##*.}; \
		install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/$$(basename $$m) || exit 1; done
	$(if $(SYSTEMD_UNITS),install -d $(DESTDIR)$(UNITDIR) && \
		install -m 0644 $(SYSTEMD_UNITS) $(DESTDIR)$(UNITDIR)/)
	install -D -m 0644 data/crashrc $(DESTDIR)$(DOCDIR)/examples/crashrc
	install -d $(DESTDIR)$(DOCDIR)
	install -m 0644 $(INSTALL_DOCS) $(DESTDIR)$(DOCDIR)/
	# README.md sits beside the docs there: its docs/ links lose the prefix
	sed 's|](docs/|](|g' README.md >$(DESTDIR)$(DOCDIR)/README.md
	$(if $(DOC_IMAGES),install -d $(DESTDIR)$(DOCDIR)/img && \
		install -m 0644 $(DOC_IMAGES) $(DESTDIR)$(DOCDIR)/img/)

# The Debian package (debian/): built from a copy of the tree's files
# (tracked and untracked, not ignored; without git, all but build
# products) in build/deb/src, so the tree's own
# build is left alone; the .deb, .changes and .buildinfo land in build/deb/.
# Needs the crash builds cached (scripts/build-crash.sh; the network if not).
deb:
	rm -rf build/deb && mkdir -p build/deb/src
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z -co --exclude-standard; \
	else \
		find . \( -path ./build -o -path ./tests/out -o -name '*.o' -o -name '*.so' \) -prune \
			-o \( -type f -o -type l \) -print0; \
	fi | tar --null -T - -cf - | tar -xf - -C build/deb/src
	cd build/deb/src && dpkg-buildpackage -us -uc -b
	ls build/deb/*.deb

# every kernel line of each arch (fixtures/lines.sh): 6.1, 5.10 [, 6.12]
fixtures:
	for a in amd64 arm64; do for l in $$(./fixtures/lines.sh $$a); do \
		./fixtures/mkfixture.sh $$a $$l >/dev/null || exit 1; done; done

# the scale set: the lockup on hosts of ~100, ~1,000 and ~11,000 devices
# (amd64, 6.1; docs/fixtures.md "Scale fixtures"); not part of fixtures/check
scale-fixtures:
	./fixtures/mkfixture.sh amd64 "" scale >/dev/null

unit:
	$(MAKE) -C tests/unit check

integration: all
	./tests/integration/run.sh

check: deps crash
	./scripts/build-crash.sh ARM64 >/dev/null
	$(MAKE) all
	$(MAKE) TARGET=ARM64
	$(MAKE) fixtures
	./tests/run-all.sh

# the built-in default is the x86_64 fixture set (ovscrash-demo builds it)
demo: deps crash
	$(MAKE) all
	./scripts/ovscrash-demo

# every part of tests/bench/parts/, one table of ratios against targets
# (build/bench/table.md); BENCH_RUNS=N runs per figure (default 3)
bench: deps crash all fixtures scale-fixtures
	./scripts/build-crash.sh ARM64 >/dev/null
	$(MAKE) TARGET=ARM64
	./tests/bench/run.sh

WATCH_STATIC ?= 1
watch:
	$(MAKE) -C watch OVSCRASH_CACHE=$(OVSCRASH_CACHE) WATCH_STATIC=$(WATCH_STATIC)

clean:
	rm -rf build extension/ovscrash*.so $(LOGTOOL)
	$(MAKE) -C tests/unit clean
