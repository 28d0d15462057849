# SPDX-License-Identifier: GPL-2.0-or-later
# vhost-user-find: a plain Makefile; dependencies come from pkg-config.

VERSION = 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
# Where QEMU looks for descriptors: fixed by QEMU, not by our PREFIX.
QEMU_DATADIR ?= /usr/share/qemu
# Where the installed libvirt library is looked for first (SPEC §10).
MULTIARCH ?= $(shell $(CC) -print-multiarch 2>/dev/null)
SYSCONFDIR ?= /etc

PKG_CONFIG ?= pkg-config
CC ?= cc
INSTALL ?= install

# Completions, all under PREFIX so that a per-user PREFIX=$HOME/.local
# needs no root.  bash: bash-completion's completionsdir under our PREFIX
# (Debian's .pc file spells datadir out, so prefix alone would not move
# it), else the usual place.  fish: vendor_completions.d under the data
# directory, which fish reads from $XDG_DATA_DIRS and its user data dir
# (~/.local/share/fish).  zsh: Debian's vendor directory for /usr, else
# site-functions, which Debian's zsh has in fpath for /usr/local.
BASHCOMPDIR ?= $(strip $(or $(shell $(PKG_CONFIG) \
	--define-variable=prefix=$(PREFIX) \
	--define-variable=datadir=$(PREFIX)/share \
	--variable=completionsdir bash-completion 2>/dev/null), \
	$(PREFIX)/share/bash-completion/completions))
ifeq ($(patsubst %/,%,$(PREFIX)),/usr)
ZSHCOMPDIR ?= /usr/share/zsh/vendor-completions
else
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
endif
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

# Debian's hardening flags, as dpkg-buildflags gives them; override freely.
CFLAGS ?= -g -O2 -fstack-protector-strong -fstack-clash-protection \
	-Wformat -Werror=format-security
CPPFLAGS ?= -D_FORTIFY_SOURCE=2
LDFLAGS ?= -Wl,-z,relro -Wl,-z,now

WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wwrite-strings -Wformat=2 -Wundef -Wvla
DEPS_CFLAGS = $(shell $(PKG_CONFIG) --cflags jansson popt 2>/dev/null)
DEPS_LIBS = $(shell $(PKG_CONFIG) --libs jansson popt 2>/dev/null)

ALL_CFLAGS = -std=c11 $(WARNINGS) -fPIE $(CFLAGS) $(SAN_CFLAGS)
ALL_CPPFLAGS = -D_GNU_SOURCE -DVERSION='"$(VERSION)"' \
	-DQEMU_DATADIR='"$(QEMU_DATADIR)"' -DSYSCONFDIR='"$(SYSCONFDIR)"' \
	-DMULTIARCH='"$(MULTIARCH)"' \
	$(DEPS_CFLAGS) $(CPPFLAGS)
ALL_LDFLAGS = -pie $(LDFLAGS) $(SAN_CFLAGS)
LIBS = $(DEPS_LIBS) -lm

# make SANITIZE=1: AddressSanitizer and UBSan, stopping at the first error.
ifeq ($(SANITIZE),1)
SAN_CFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
endif

SRCS = $(wildcard src/*.c)
OBJS = $(SRCS:.c=.o)
PROG = src/vhost-user-find

# Debian packages: to build, and what the test suite uses (the
# completion, manual and install tests run zsh, fish and man;
# tests/real-libvirt.bats runs libvirt's daemon, libvirtd, by hand
# against a TCG guest).
BUILD_PKGS = gcc make pkg-config libjansson-dev libpopt-dev
TEST_PKGS = bats bats-support bats-assert bats-file bash-completion mandoc \
	jq util-linux procps qemu-system-common qemu-system-gui strace time \
	valgrind locales python3 zsh fish man-db acl binutils \
	libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86
BATS ?= bats
BATS_FLAGS ?=
# The test files or directories make check runs.
TESTS ?= tests/
# make fuzz: clang with libFuzzer.
FUZZ_PKGS = clang libclang-rt-dev

.PHONY: all check demo deps deps-build deps-test install uninstall clean \
	fuzz deps-fuzz bench

all: $(PROG)

$(PROG): $(OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $(OBJS) $(LIBS)

src/%.o: src/%.c
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# Objects depend on the flags too: a SANITIZE or prefix change rebuilds.
src/.flags: FORCE
	@echo '$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | \
		cmp -s - $@ || echo '$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@
$(OBJS): src/.flags
.PHONY: FORCE

-include $(OBJS:.o=.d)

# Install missing Debian packages when root; otherwise say how, and fail.
define install_pkgs
	@missing=$$(for p in $(1); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "installing:" $$missing; \
		apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $$missing; \
	else \
		echo "missing packages; run: sudo apt-get install" $$missing >&2; \
		exit 1; \
	fi
endef

deps: deps-build deps-test
deps-build:
	$(call install_pkgs,$(BUILD_PKGS))
deps-test:
	$(call install_pkgs,$(TEST_PKGS))

demo: deps-build
	$(MAKE) all
	@sh examples/demo.sh $(PROG)

# make check SANITIZE=1 rebuilds with ASan/UBSan (src/.flags sees the
# change); make check VALGRIND=1 runs every invocation under valgrind
# (tests/helpers.bash).  valgrind cannot run an ASan binary.
check: deps
ifeq ($(SANITIZE)$(VALGRIND),11)
	@echo "SANITIZE=1 and VALGRIND=1 do not mix; run them one at a time" >&2
	@exit 2
endif
	$(MAKE) all
	$(MAKE) lint-man
	VALGRIND=$(VALGRIND) $(BATS) $(BATS_FLAGS) $(TESTS)

# make fuzz: libFuzzer harnesses (clang), each run for FUZZ_TIME seconds
# on a corpus grown in fuzz/corpus-NAME from fuzz/seeds/NAME and the
# test fixtures, with fuzz/NAME.dict if there is one, else the JSON
# tokens.  A crash, leak or timeout stops with the input saved.
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_FLAGS ?=
FUZZ_CFLAGS = -std=c11 $(WARNINGS) -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# Each harness links only its parser and what that needs: no code that
# spawns or prints.
FUZZ_SRCS_descriptor = src/descriptor.c src/diag.c src/schema.c src/json-pos.c \
	src/json-shape.c src/output.c src/suggest.c src/util.c
FUZZ_SRCS_capabilities = src/capabilities.c src/json-shape.c src/output.c \
	src/util.c
FUZZ_SRCS_elf = src/elf.c src/util.c
FUZZ_SRCS_vhost-user = src/vhost-user.c src/util.c
FUZZ_NAMES = descriptor capabilities elf vhost-user

.SECONDEXPANSION:
fuzz/%-fuzzer: fuzz/%.c $$(FUZZ_SRCS_$$*) $(wildcard src/*.h)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRCS_$*) $(LIBS)

deps-fuzz:
	$(call install_pkgs,$(FUZZ_PKGS))

$(FUZZ_NAMES:%=fuzz/%-fuzzer): | deps-build deps-fuzz

fuzz: $(FUZZ_NAMES:%=fuzz/%-fuzzer)
	@for f in $(FUZZ_NAMES); do \
		mkdir -p fuzz/corpus-$$f && \
		cp -n fuzz/seeds/$$f/* fuzz/corpus-$$f/ && \
		if [ $$f = descriptor ]; then \
			find tests/fixtures examples -name '*.json' -type f \
				-size -64k 2>/dev/null | while read -r j; do \
				cp -n "$$j" fuzz/corpus-$$f/"$$(echo "$$j" | tr / _)"; \
			done; \
		fi; \
		dict=fuzz/$$f.dict; [ -f $$dict ] || dict=fuzz/json.dict; \
		echo "fuzz: $$f for $(FUZZ_TIME) s"; \
		./fuzz/$$f-fuzzer -max_total_time=$(FUZZ_TIME) -timeout=10 \
			-rss_limit_mb=1024 -max_len=8192 -print_final_stats=1 \
			-dict=$$dict -artifact_prefix=fuzz/$$f- \
			$(FUZZ_FLAGS) fuzz/corpus-$$f || exit 1; \
	done

# make bench: timings against a floor, jq and /bin/true (not part of
# check).  The floor is built as the tool is, optimized.
bench: deps all bench/floor
	bash bench/bench.sh $(PROG) bench/floor

bench/floor: bench/floor.c
	$(CC) -std=c11 $(WARNINGS) -O2 $(DEPS_CFLAGS) -o $@ bench/floor.c \
		$(DEPS_LIBS)

MANPAGES = man/vhost-user-find.1 man/vhost-user-backend.5

# The pages must stay clean: a warning fails the build like a test.
.PHONY: lint-man
lint-man:
	mandoc -Tlint -Wwarning $(MANPAGES)

# Exactly these files; uninstall removes them and nothing else (the
# directories may hold other packages' files).
INSTALLED = "$(DESTDIR)$(BINDIR)/vhost-user-find" \
	"$(DESTDIR)$(MANDIR)/man1/vhost-user-find.1" \
	"$(DESTDIR)$(MANDIR)/man5/vhost-user-backend.5" \
	"$(DESTDIR)$(BASHCOMPDIR)/vhost-user-find" \
	"$(DESTDIR)$(ZSHCOMPDIR)/_vhost-user-find" \
	"$(DESTDIR)$(FISHCOMPDIR)/vhost-user-find.fish"

install: all
	$(INSTALL) -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" \
		"$(DESTDIR)$(MANDIR)/man5" "$(DESTDIR)$(BASHCOMPDIR)" \
		"$(DESTDIR)$(ZSHCOMPDIR)" "$(DESTDIR)$(FISHCOMPDIR)"
	$(INSTALL) -m 755 $(PROG) "$(DESTDIR)$(BINDIR)/vhost-user-find"
	$(INSTALL) -m 644 man/vhost-user-find.1 "$(DESTDIR)$(MANDIR)/man1/vhost-user-find.1"
	$(INSTALL) -m 644 man/vhost-user-backend.5 "$(DESTDIR)$(MANDIR)/man5/vhost-user-backend.5"
	$(INSTALL) -m 644 completions/vhost-user-find "$(DESTDIR)$(BASHCOMPDIR)/vhost-user-find"
	$(INSTALL) -m 644 completions/_vhost-user-find "$(DESTDIR)$(ZSHCOMPDIR)/_vhost-user-find"
	$(INSTALL) -m 644 completions/vhost-user-find.fish "$(DESTDIR)$(FISHCOMPDIR)/vhost-user-find.fish"

uninstall:
	rm -f $(INSTALLED)

clean:
	rm -f $(PROG) src/*.o src/*.d src/.flags fuzz/*-fuzzer bench/floor
