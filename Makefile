# Build of jail for Linux: libjail, the prison helper, jail/jls/jexec, tests.
#
#   make                      build everything into build/
#   make install PREFIX=dir   install (default PREFIX=/usr/local)
#   make uninstall            remove what install installed (same variables)
#   make check                run the test suite (see tools/check)
#
# Where things are installed, each settable on the command line (of make
# and of make install alike), as a distribution's package needs, e.g.
#   make install DESTDIR=debian/tmp PREFIX=/usr \
#       LIBDIR=/usr/lib/x86_64-linux-gnu LIBEXECDIR=/usr/libexec
# libjail starts the prison from LIBEXECDIR/jail/prison, compiled in: not
# from a place found at run time beside the library or the program, which
# a static link or a multiarch LIBDIR would make wrong.  The build tree's
# own programs therefore find their prison through $JAIL_PRISON (the tests
# and tools/demo set it to build/libexec/jail/prison).

PREFIX	?= /usr/local
DESTDIR	?=
SBINDIR	?= $(PREFIX)/sbin
LIBDIR	?= $(PREFIX)/lib
LIBEXECDIR ?= $(PREFIX)/libexec
INCLUDEDIR ?= $(PREFIX)/include
DATADIR	?= $(PREFIX)/share
MANDIR	?= $(DATADIR)/man
DOCDIR	?= $(DATADIR)/doc/jail
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# systemd's units (jail.service, jail@.service): where systemd looks for the
# administrator's, PREFIX/lib/systemd/system, for /usr/local (systemd.unit(5));
# where systemd.pc says for a package, PREFIX=/usr.  Other prefixes need
# SYSTEMDUNITDIR= (e.g. /etc/systemd/system) or systemctl link.  Their
# settings, /etc/default/jail, are the administrator's: install puts an
# example in PREFIX/share/doc/jail/examples/default/jail, never the file.
SYSTEMDUNITDIR ?= $(if $(filter /usr,$(PREFIX)),$(or $(shell pkg-config \
	--variable=systemdsystemunitdir systemd 2>/dev/null),/usr/lib/systemd/system),$(PREFIX)/lib/systemd/system)
CC	?= cc
OBJCOPY	?= objcopy
B	:= build
VERSION	:= 0.1

# Paths compiled into the programs and libraries must be absolute: a
# relative one would be looked up from whatever directory the caller is in.
PRISON_PATH := $(LIBEXECDIR)/jail/prison
ifneq ($(filter-out /%,$(LIBEXECDIR) $(SBINDIR)),)
$(error LIBEXECDIR and SBINDIR must be absolute paths)
endif

WARN	:= -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter -Wmissing-prototypes
CFLAGS	?= -O2 -g
CFLAGS	+= -std=gnu11 $(WARN) -D_GNU_SOURCE -fstack-protector-strong -D_FORTIFY_SOURCE=2
CPPFLAGS += -Iinclude -Ilib -DJAIL_PRISON_PATH='"$(PRISON_PATH)"'
LDFLAGS	+= -Wl,-z,relro,-z,now

LIB_SRC	:= $(sort $(wildcard lib/*.c))
LIB_OBJ	:= $(LIB_SRC:%.c=$(B)/obj/%.o)
LIB_PIC	:= $(LIB_SRC:%.c=$(B)/pic/%.o)
PRISON_SRC := $(sort $(wildcard prison/*.c))
PRISON_OBJ := $(PRISON_SRC:%.c=$(B)/obj/%.o)
CMDS	:= jail jls jexec jail-sysctl jail-oci
UNIT_SRC := $(sort $(wildcard tests/unit/*_test.c))
# Kyua finds test programs beside their Kyuafile: unit tests build in place.
UNIT_BIN := $(UNIT_SRC:%.c=%)
# The same unit tests again under AddressSanitizer and UBSan, with the
# library compiled in: parsers and codecs are where memory errors hide.
ASAN_BIN := $(UNIT_SRC:tests/unit/%.c=tests/unit/asan/%)
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# Jail descriptors, through the installed interface only, beside their Kyuafile.
DESC_SRC := $(sort $(wildcard tests/descriptor/*_test.c))
DESC_BIN := $(DESC_SRC:%.c=%)
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(B)/tests/tools/%)
# The escape suite's attack helpers run inside jails that have only busybox.
SEC_SRC := $(sort $(wildcard tests/security/helpers/*.c))
SEC_BIN := $(SEC_SRC:tests/security/helpers/%.c=$(B)/tests/security/%) \
	    $(B)/tests/security/libnss_jtesc.so.2 $(B)/tests/security/nss_probe
MAN_SRC	:= $(sort $(wildcard man/*.[0-9].in) $(wildcard man/*.[0-9]))

SONAME	:= libjail.so.1
# libjail's public symbols, versioned (lib/libjail.map): all that
# libjail.so exports and all that libjail.a leaves global.
LIBMAP	:= lib/libjail.map
# The library with its internals global, for what is built here and
# reaches into it (the prison, the commands, tests of internal parts);
# never installed.
LIBJAIL_INT := $(B)/obj/libjail-internal.a

all: $(B)/lib/libjail.a $(B)/lib/libjail.so $(B)/libexec/jail/prison \
	$(CMDS:%=$(B)/sbin/%) man

$(B)/obj/%.o: %.c $(wildcard include/*.h include/sys/*.h lib/*.h prison/*.h cmd/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(B)/pic/%.o: %.c $(wildcard include/*.h include/sys/*.h lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -DJAIL_SHARED -c $< -o $@

# The configured paths that are compiled in: the file changes only when
# they do, so that what holds them (client.o) is rebuilt then and only then
# (make install LIBEXECDIR=... after a plain make, for one).
$(B)/paths: FORCE
	@mkdir -p $(@D)
	@echo '$(PRISON_PATH)' | cmp -s - $@ || echo '$(PRISON_PATH)' > $@

$(B)/obj/lib/client.o $(B)/pic/lib/client.o: $(B)/paths

$(LIBJAIL_INT): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# The installed archive is one object, made of the library's objects with
# every symbol but the public ones made local: a program linked with it
# sees libjail's API and nothing of its internals, as with libjail.so.
$(B)/lib/libjail.a: $(LIB_OBJ) $(LIBMAP)
	@mkdir -p $(@D) $(B)/obj
	sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\);$$/\1/p' $(LIBMAP) \
	    > $(B)/obj/libjail.syms
	$(CC) -r -nostdlib -o $(B)/obj/libjail.o $(LIB_OBJ)
	$(OBJCOPY) --keep-global-symbols=$(B)/obj/libjail.syms $(B)/obj/libjail.o
	rm -f $@ && ar rcs $@ $(B)/obj/libjail.o

$(B)/lib/libjail.so: $(LIB_PIC) $(LIBMAP)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=$(LIBMAP) \
	    -Wl,--no-undefined-version -Wl,-z,defs $(LDFLAGS) \
	    -o $(B)/lib/$(SONAME) $(LIB_PIC)
	ln -sf $(SONAME) $@

# The prison is static where libmnl comes as an archive; Debian ships only
# the shared library (libmnl-dev has no libmnl.a), so there the prison links
# libc and libmnl dynamically and libseccomp statically: 0.25 ms more to
# start it, measured.  It runs with an environment of its own, so nothing
# from its caller's (LD_PRELOAD, LD_LIBRARY_PATH) reaches the loader.
MNL_A	:= $(shell $(CC) -print-file-name=libmnl.a)
ifeq ($(MNL_A),libmnl.a)
PRISON_LINK := -Wl,-Bstatic -lseccomp -Wl,-Bdynamic -lmnl
else
PRISON_LINK := -static -lseccomp $(MNL_A)
endif

$(B)/libexec/jail/prison: $(PRISON_OBJ) $(LIBJAIL_INT)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(PRISON_OBJ) $(LIBJAIL_INT) $(PRISON_LINK)

# The commands link libjail statically: they are the system's jail tools and
# must not load code from anywhere but their own binary and libc.  jail(8)
# is a directory of its own, with jail.conf(5)'s grammar generated by bison
# and flex as FreeBSD's is by yacc and lex.
JAIL8_SRC := $(sort $(wildcard cmd/jail/*.c))
JAIL8_OBJ := $(JAIL8_SRC:%.c=$(B)/obj/%.o) $(B)/obj/gen/parse.o $(B)/obj/gen/lex.o
JAIL8_HDR := $(wildcard cmd/jail/*.h) $(B)/gen/parse.h
# Generated code is not held to our warnings.
GEN_CFLAGS := $(filter-out -Wmissing-prototypes -Wshadow,$(CFLAGS)) \
	-Wno-unused-function -Wno-sign-compare -Wno-unused-but-set-variable

$(B)/gen/parse.c $(B)/gen/parse.h: cmd/jail/parse.y
	@mkdir -p $(@D)
	bison -Wall -o $(B)/gen/parse.c --defines=$(B)/gen/parse.h $<

$(B)/gen/lex.c: cmd/jail/lex.l $(B)/gen/parse.h
	@mkdir -p $(@D)
	flex -o $@ $<

$(B)/obj/gen/%.o: $(B)/gen/%.c $(JAIL8_HDR) $(wildcard include/*.h lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Icmd/jail -I$(B)/gen $(GEN_CFLAGS) -c $< -o $@

$(B)/obj/cmd/jail/%.o: cmd/jail/%.c $(JAIL8_HDR) $(wildcard include/*.h lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Icmd/jail -I$(B)/gen $(CFLAGS) -c $< -o $@

$(B)/sbin/jail: $(JAIL8_OBJ) $(LIBJAIL_INT)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(JAIL8_OBJ) $(LIBJAIL_INT)

# jail-sysctl is read inside jails, whose trees need not have the host's
# C library: it is linked statically.
$(B)/sbin/jail-sysctl: $(B)/obj/cmd/jail-sysctl.o $(LIBJAIL_INT)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -static -o $@ $< $(LIBJAIL_INT)

# jail-oci(8), the OCI runtime face: a directory of its own, and the one
# command that reads JSON (libjansson, linked dynamically: Debian ships no
# archive of it).
JAILOCI_SRC := $(sort $(wildcard cmd/jail-oci/*.c))
JAILOCI_OBJ := $(JAILOCI_SRC:%.c=$(B)/obj/%.o)

$(B)/obj/cmd/jail-oci/%.o: cmd/jail-oci/%.c $(wildcard cmd/jail-oci/*.h include/*.h lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DJAIL_VERSION='"$(VERSION)"' $(CFLAGS) -c $< -o $@

$(B)/sbin/jail-oci: $(JAILOCI_OBJ) $(LIBJAIL_INT)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(JAILOCI_OBJ) $(LIBJAIL_INT) -ljansson -lseccomp

$(B)/sbin/%: $(B)/obj/cmd/%.o $(LIBJAIL_INT)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBJAIL_INT)

$(B)/lib/pkgconfig/jail.pc: tools/jail.pc.in Makefile
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@

# Man pages: *.in pages get the parameter list generated from the table.
$(B)/tools/mkparams: tools/mkparams.c lib/param_table.c lib/param.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ tools/mkparams.c lib/param_table.c

$(B)/man/%: man/%.in $(B)/tools/mkparams
	@mkdir -p $(@D)
	$(B)/tools/mkparams $< > $@

$(B)/man/%: man/%
	@mkdir -p $(@D)
	cp $< $@

man: $(patsubst man/%.in,$(B)/man/%,$(filter %.in,$(MAN_SRC))) \
     $(patsubst man/%,$(B)/man/%,$(filter-out %.in,$(MAN_SRC)))

tests/unit/%: tests/unit/%.c $(LIBJAIL_INT)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIBJAIL_INT) -latf-c

$(B)/tests/tools/%: tests/tools/%.c $(LIBJAIL_INT)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIBJAIL_INT)

# jail(8)'s mount steps, driven on their own (tests/integration/jail8_mount_test.sh).
MOUNTRUN_OBJ := $(addprefix $(B)/obj/cmd/jail/,cfjail.o intparam.o note.o \
    mount.o fstab.o fsopts.o devfs.o)

$(B)/tests/tools/mountrun: tests/tools/mountrun.c $(MOUNTRUN_OBJ) $(LIBJAIL_INT)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Icmd/jail -I$(B)/gen $(CFLAGS) -o $@ $< $(MOUNTRUN_OBJ) \
	    $(LIBJAIL_INT)

# The driver of jail(8)'s commands runs command.c with the jail object and
# messages it needs, without the rest of jail(8) (main, state machine).
CMDRUN_OBJ := $(addprefix $(B)/obj/cmd/jail/,cfjail.o intparam.o note.o command.o)

$(B)/tests/tools/cmdrun: tests/tools/cmdrun.c $(CMDRUN_OBJ) $(JAIL8_HDR) $(LIBJAIL_INT)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Icmd/jail -I$(B)/gen $(CFLAGS) -o $@ $< \
	    $(CMDRUN_OBJ) $(LIBJAIL_INT)

# The sequence fuzzer of the prison protocol is a few files of its own.
SEQFUZZ_SRC := $(sort $(wildcard tests/tools/seqfuzz/*.c))

$(B)/tests/tools/seqfuzz: tests/tools/seqfuzz.c $(SEQFUZZ_SRC) \
    tests/tools/seqfuzz/seqfuzz.h $(LIBJAIL_INT)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/tools/seqfuzz $(CFLAGS) -o $@ $< \
	    $(SEQFUZZ_SRC) $(LIBJAIL_INT)

# jail.conf(5)'s tests link jail(8)'s reading of it, without its main: the
# unit test as it is built, and again sanitized with the fuzzer, which
# runs the parser on garbage.
CONF_SRC := $(addprefix cmd/jail/,cfjail.c intparam.c note.c config.c \
	confstr.c expand.c) $(B)/gen/parse.c $(B)/gen/lex.c
CONF_OBJ := $(CONF_SRC:cmd/jail/%.c=$(B)/obj/cmd/jail/%.o)
CONF_OBJ := $(CONF_OBJ:$(B)/gen/%.c=$(B)/obj/gen/%.o)
CONF_SAN := $(CPPFLAGS) -Icmd/jail -I$(B)/gen -std=gnu11 -D_GNU_SOURCE -g -O1 \
	$(SANITIZE)

tests/unit/jailconf_test: tests/unit/jailconf_test.c $(CONF_OBJ) $(LIBJAIL_INT)
	$(CC) $(CPPFLAGS) -Icmd/jail -I$(B)/gen $(CFLAGS) -o $@ $< $(CONF_OBJ) \
	    $(LIBJAIL_INT) -latf-c

tests/unit/asan/jailconf_test: tests/unit/jailconf_test.c \
    tests/unit/asan/options.c $(CONF_SRC) $(LIB_SRC) $(JAIL8_HDR) \
    $(wildcard lib/*.h include/*.h include/sys/*.h)
	@mkdir -p $(@D)
	$(CC) $(CONF_SAN) -o $@ $< tests/unit/asan/options.c $(CONF_SRC) \
	    $(LIB_SRC) -latf-c

$(B)/tests/tools/conffuzz: tests/tools/conffuzz.c $(CONF_SRC) $(LIB_SRC) \
    $(JAIL8_HDR) $(wildcard lib/*.h include/*.h include/sys/*.h)
	@mkdir -p $(@D)
	$(CC) $(CONF_SAN) -o $@ $< $(CONF_SRC) $(LIB_SRC)

# The seccomp program is the prison's: its test and the measuring tool link
# the prison's policy.c and libseccomp, and run the program in a BPF
# interpreter (tests/unit/bpfsim.h).
POLICY_OBJ := $(B)/obj/prison/policy.o $(B)/obj/prison/compact.o
POLICY_DEPS := tests/unit/bpfsim.h $(POLICY_OBJ) $(LIBJAIL_INT)

tests/unit/policy_test: tests/unit/policy_test.c $(POLICY_DEPS)
	$(CC) $(CPPFLAGS) -Iprison $(CFLAGS) -o $@ $< $(POLICY_OBJ) \
	    $(LIBJAIL_INT) -lseccomp -latf-c

$(B)/tests/tools/seccomp_dump: tests/tools/seccomp_dump.c $(POLICY_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Iprison -Itests/unit $(CFLAGS) -o $@ $< \
	    $(POLICY_OBJ) $(LIBJAIL_INT) -lseccomp

tests/unit/asan/policy_test: tests/unit/policy_test.c tests/unit/bpfsim.h \
    tests/unit/asan/options.c prison/policy.c prison/compact.c $(LIB_SRC) \
    $(wildcard lib/*.h prison/*.h include/*.h include/sys/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Iprison -std=gnu11 -D_GNU_SOURCE -g -O1 $(SANITIZE) \
	    -o $@ $< tests/unit/asan/options.c prison/policy.c prison/compact.c $(LIB_SRC) \
	    -lseccomp -latf-c

tests/unit/asan/%: tests/unit/%.c tests/unit/asan/options.c $(LIB_SRC) $(wildcard lib/*.h include/*.h include/sys/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=gnu11 -D_GNU_SOURCE -g -O1 $(SANITIZE) -o $@ $< \
	    tests/unit/asan/options.c $(LIB_SRC) -latf-c

# Static: they are copied into jail roots.
$(B)/tests/security/%: tests/security/helpers/%.c $(LIBJAIL_INT)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -static -o $@ $< $(LIBJAIL_INT)

# A name-service module planted in jail roots: jail tools must never load it.
$(B)/tests/security/libnss_jtesc.so.2: tests/security/helpers/nss/libnss_jtesc.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -shared -Wl,-soname,libnss_jtesc.so.2 -o $@ $<

# ... and the control that shows a careless tool would load it.
$(B)/tests/security/nss_probe: tests/security/helpers/nss/nss_probe.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $<

tests/descriptor/%: tests/descriptor/%.c tests/descriptor/jdtest.h $(B)/lib/libjail.a include/jaildesc.h include/jail.h include/sys/jail.h
	$(CC) -Iinclude $(CFLAGS) -o $@ $< $(B)/lib/libjail.a -latf-c

# The descriptor benchmark's driver (bench/desc), against the installed
# interface only, as the descriptor tests.
$(B)/bench/descbench: bench/descbench.c $(B)/lib/libjail.a include/jaildesc.h include/jail.h include/sys/jail.h
	@mkdir -p $(@D)
	$(CC) -Iinclude $(CFLAGS) -pthread -o $@ $< $(B)/lib/libjail.a

# The TCP service of bench/net runs in busybox jails: static.
$(B)/bench/netbench: bench/netbench.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $<

bench: $(B)/bench/descbench $(B)/bench/netbench

tests: $(UNIT_BIN) $(ASAN_BIN) $(DESC_BIN) $(TOOL_BIN) $(SEC_BIN) bench

# Files made from templates at install time, with the paths given then.
SUBST	= sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@SBINDIR@|$(SBINDIR)|g' \
	    -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g'

# Every function a manual page documents is a name of that page, as in
# FreeBSD's MLINKS: PAGE:LINK, installed as a relative symbolic link (what
# Debian's policy prefers to .so stubs).  The functions of <jaildesc.h> are
# library functions (section 3) documented in jaildesc(4).
MLINKS	:= $(addprefix jail.2:,jail_get.2 jail_set.2 jail_remove.2 \
	    jail_attach.2 jail_remove_jd.2 jail_attach_jd.2) \
	   $(addprefix jail.3:,jail_getid.3 jail_getname.3 jail_setv.3 \
	    jail_getv.3 jailparam_all.3 jailparam_init.3 jailparam_import.3 \
	    jailparam_import_raw.3 jailparam_set.3 jailparam_get.3 \
	    jailparam_export.3 jailparam_free.3 jail_sysctlbyname.3 \
	    jail_pid_getid.3) \
	   $(addprefix jaildesc.4:,jaildesc_limit.3 jaildesc_watch.3 \
	    jaildesc_event.3 jail_spawn_jd.3 jail_spawn_kill.3 jail_spawn_wait.3)
MANPAGES = $(notdir $(patsubst %.in,%,$(MAN_SRC)))

# What install makes, for uninstall (the directories it may have created
# for its own use only: never a shared one such as sbin or man8).
INSTALLED = $(CMDS:%=$(SBINDIR)/%) $(LIBEXECDIR)/jail/prison \
	$(LIBEXECDIR)/jail/jail-boot $(LIBDIR)/libjail.a $(LIBDIR)/$(SONAME) \
	$(LIBDIR)/libjail.so $(PKGCONFIGDIR)/jail.pc $(INCLUDEDIR)/jail.h \
	$(INCLUDEDIR)/jaildesc.h $(INCLUDEDIR)/sys/jail.h \
	$(foreach m,$(MANPAGES) $(foreach l,$(MLINKS),$(lastword $(subst :, ,$(l)))),\
	    $(MANDIR)/man$(subst .,,$(suffix $(m)))/$(m)) \
	$(SYSTEMDUNITDIR)/jail.service $(SYSTEMDUNITDIR)/jail@.service \
	$(DOCDIR)/examples/default/jail
OWNDIRS	= $(LIBEXECDIR)/jail $(DOCDIR)/examples/default $(DOCDIR)/examples \
	$(DOCDIR)

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(LIBEXECDIR)/jail \
	    $(DESTDIR)$(INCLUDEDIR)/sys $(DESTDIR)$(SYSTEMDUNITDIR) \
	    $(DESTDIR)$(DOCDIR)/examples/default
	install -m 0755 $(CMDS:%=$(B)/sbin/%) $(DESTDIR)$(SBINDIR)/
	install -m 0755 $(B)/libexec/jail/prison $(DESTDIR)$(LIBEXECDIR)/jail/
	install -m 0644 $(B)/lib/libjail.a $(B)/lib/$(SONAME) $(DESTDIR)$(LIBDIR)/
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libjail.so
	$(SUBST) tools/jail.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/jail.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/jail.pc
	install -m 0644 include/jail.h include/jaildesc.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 0644 include/sys/jail.h $(DESTDIR)$(INCLUDEDIR)/sys/
	for m in $(MANPAGES); do s=$${m##*.}; \
	    install -d $(DESTDIR)$(MANDIR)/man$$s && \
	    install -m 0644 $(B)/man/$$m $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; done
	for l in $(MLINKS); do p=$${l%%:*} n=$${l#*:}; \
	    ps=$${p##*.} ns=$${n##*.}; t=$$p; \
	    [ "$$ps" = "$$ns" ] || t=../man$$ps/$$p; \
	    install -d $(DESTDIR)$(MANDIR)/man$$ns && \
	    ln -sfn $$t $(DESTDIR)$(MANDIR)/man$$ns/$$n || exit 1; done
	for u in jail.service jail@.service; do \
	    $(SUBST) tools/systemd/$$u.in > $(DESTDIR)$(SYSTEMDUNITDIR)/$$u && \
	    chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$u || exit 1; done
	$(SUBST) tools/systemd/jail-boot.in > $(DESTDIR)$(LIBEXECDIR)/jail/jail-boot
	chmod 0755 $(DESTDIR)$(LIBEXECDIR)/jail/jail-boot
	install -m 0644 tools/systemd/default.jail \
	    $(DESTDIR)$(DOCDIR)/examples/default/jail

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	for d in $(addprefix $(DESTDIR),$(OWNDIRS)); do \
	    [ ! -d $$d ] || rmdir --ignore-fail-on-non-empty $$d || exit 1; done

check: all tests
	tools/check

# What the build made, and nothing else: tests/unit/asan holds sources too.
clean:
	rm -rf $(B)
	rm -f $(UNIT_BIN) $(ASAN_BIN) $(DESC_BIN)

FORCE:

.PHONY: all man tests bench install uninstall check clean FORCE
.SUFFIXES:
.DELETE_ON_ERROR:
