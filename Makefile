# Build of jail for Linux: libjail, the prison helper, jail/jls/jexec, tests.
#
#   make                      build everything into build/
#   make install PREFIX=dir   install (default PREFIX=/usr/local)
#   make check                run the test suite (see tools/check)
#
# build/ mirrors the installed tree (sbin, lib, libexec/jail), so libjail finds
# the prison helper at ../libexec/jail/prison relative to itself in both.

PREFIX	?= /usr/local
DESTDIR	?=
CC	?= cc
B	:= build
VERSION	:= 0.1

WARN	:= -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter -Wmissing-prototypes
CFLAGS	?= -O2 -g
CFLAGS	+= -std=gnu11 $(WARN) -D_GNU_SOURCE -fstack-protector-strong -D_FORTIFY_SOURCE=2
CPPFLAGS += -Iinclude -Ilib
LDFLAGS	+= -Wl,-z,relro,-z,now

LIB_SRC	:= $(sort $(wildcard lib/*.c))
LIB_OBJ	:= $(LIB_SRC:%.c=$(B)/obj/%.o)
LIB_PIC	:= $(LIB_SRC:%.c=$(B)/pic/%.o)
PRISON_SRC := $(sort $(wildcard prison/*.c))
PRISON_OBJ := $(PRISON_SRC:%.c=$(B)/obj/%.o)
CMDS	:= jail jls jexec
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

all: $(B)/lib/libjail.a $(B)/lib/libjail.so $(B)/libexec/jail/prison \
	$(CMDS:%=$(B)/sbin/%) $(B)/lib/pkgconfig/jail.pc man

$(B)/obj/%.o: %.c $(wildcard include/*.h include/sys/*.h lib/*.h prison/*.h cmd/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(B)/pic/%.o: %.c $(wildcard include/*.h include/sys/*.h lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -DJAIL_SHARED -c $< -o $@

$(B)/lib/libjail.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(B)/lib/libjail.so: $(LIB_PIC)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(SONAME) $(LDFLAGS) -o $(B)/lib/$(SONAME) $^ -ldl
	ln -sf $(SONAME) $@

$(B)/libexec/jail/prison: $(PRISON_OBJ) $(B)/lib/libjail.a
	@mkdir -p $(@D)
	$(CC) -static $(LDFLAGS) -o $@ $(PRISON_OBJ) $(B)/lib/libjail.a -lseccomp

# The commands link libjail statically: they are the system's jail tools and
# must not load code from anywhere but their own binary and libc.  jail(8)
# is more than one file.
JAIL_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(filter-out cmd/jail.c cmd/jls.c cmd/jexec.c,$(wildcard cmd/*.c)))
$(B)/sbin/jail: $(B)/obj/cmd/jail.o $(JAIL_OBJ) $(B)/lib/libjail.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(B)/obj/cmd/jail.o $(JAIL_OBJ) $(B)/lib/libjail.a -ldl

$(B)/sbin/%: $(B)/obj/cmd/%.o $(B)/lib/libjail.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(B)/lib/libjail.a -ldl

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

tests/unit/%: tests/unit/%.c $(B)/lib/libjail.a
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(B)/lib/libjail.a -latf-c -ldl

$(B)/tests/tools/%: tests/tools/%.c $(B)/lib/libjail.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(B)/lib/libjail.a -ldl

# The sequence fuzzer of the prison protocol is a few files of its own.
SEQFUZZ_SRC := $(sort $(wildcard tests/tools/seqfuzz/*.c))

$(B)/tests/tools/seqfuzz: tests/tools/seqfuzz.c $(SEQFUZZ_SRC) \
    tests/tools/seqfuzz/seqfuzz.h $(B)/lib/libjail.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/tools/seqfuzz $(CFLAGS) -o $@ $< \
	    $(SEQFUZZ_SRC) $(B)/lib/libjail.a -ldl

# The seccomp program is the prison's: its test and the measuring tool link
# the prison's policy.c and libseccomp, and run the program in a BPF
# interpreter (tests/unit/bpfsim.h).
POLICY_DEPS := tests/unit/bpfsim.h $(B)/obj/prison/policy.o $(B)/lib/libjail.a

tests/unit/policy_test: tests/unit/policy_test.c $(POLICY_DEPS)
	$(CC) $(CPPFLAGS) -Iprison $(CFLAGS) -o $@ $< $(B)/obj/prison/policy.o \
	    $(B)/lib/libjail.a -lseccomp -latf-c -ldl

$(B)/tests/tools/seccomp_dump: tests/tools/seccomp_dump.c $(POLICY_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Iprison -Itests/unit $(CFLAGS) -o $@ $< \
	    $(B)/obj/prison/policy.o $(B)/lib/libjail.a -lseccomp -ldl

tests/unit/asan/policy_test: tests/unit/policy_test.c tests/unit/bpfsim.h \
    tests/unit/asan/options.c prison/policy.c $(LIB_SRC) \
    $(wildcard lib/*.h prison/*.h include/*.h include/sys/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Iprison -std=gnu11 -D_GNU_SOURCE -g -O1 $(SANITIZE) \
	    -o $@ $< tests/unit/asan/options.c prison/policy.c $(LIB_SRC) \
	    -lseccomp -latf-c -ldl

tests/unit/asan/%: tests/unit/%.c tests/unit/asan/options.c $(LIB_SRC) $(wildcard lib/*.h include/*.h include/sys/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=gnu11 -D_GNU_SOURCE -g -O1 $(SANITIZE) -o $@ $< \
	    tests/unit/asan/options.c $(LIB_SRC) -latf-c -ldl

# Static: they are copied into jail roots.
$(B)/tests/security/%: tests/security/helpers/%.c $(B)/lib/libjail.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -static -o $@ $< $(B)/lib/libjail.a

# A name-service module planted in jail roots: jail tools must never load it.
$(B)/tests/security/libnss_jtesc.so.2: tests/security/helpers/nss/libnss_jtesc.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -shared -Wl,-soname,libnss_jtesc.so.2 -o $@ $<

# ... and the control that shows a careless tool would load it.
$(B)/tests/security/nss_probe: tests/security/helpers/nss/nss_probe.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $<

tests/descriptor/%: tests/descriptor/%.c tests/descriptor/jdtest.h $(B)/lib/libjail.a include/jaildesc.h include/jail.h include/sys/jail.h
	$(CC) -Iinclude $(CFLAGS) -o $@ $< $(B)/lib/libjail.a -latf-c -ldl

# The descriptor benchmark's driver (bench/desc), against the installed
# interface only, as the descriptor tests.
$(B)/bench/descbench: bench/descbench.c $(B)/lib/libjail.a include/jaildesc.h include/jail.h include/sys/jail.h
	@mkdir -p $(@D)
	$(CC) -Iinclude $(CFLAGS) -pthread -o $@ $< $(B)/lib/libjail.a -ldl

bench: $(B)/bench/descbench

tests: $(UNIT_BIN) $(ASAN_BIN) $(DESC_BIN) $(TOOL_BIN) $(SEC_BIN) bench

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/libexec/jail $(DESTDIR)$(PREFIX)/include/sys
	install -m 0755 $(CMDS:%=$(B)/sbin/%) $(DESTDIR)$(PREFIX)/sbin/
	install -m 0755 $(B)/libexec/jail/prison $(DESTDIR)$(PREFIX)/libexec/jail/
	install -m 0644 $(B)/lib/libjail.a $(DESTDIR)$(PREFIX)/lib/
	install -m 0755 $(B)/lib/$(SONAME) $(DESTDIR)$(PREFIX)/lib/
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libjail.so
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' tools/jail.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/jail.pc
	install -m 0644 include/jail.h include/jaildesc.h $(DESTDIR)$(PREFIX)/include/
	install -m 0644 include/sys/jail.h $(DESTDIR)$(PREFIX)/include/sys/
	for m in $(B)/man/*; do s=$${m##*.}; \
	    install -d $(DESTDIR)$(PREFIX)/share/man/man$$s; \
	    install -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/; done

check: all tests
	tools/check

clean:
	rm -rf $(B) $(UNIT_BIN) $(DESC_BIN) tests/unit/asan

.PHONY: all man tests bench install check clean
.SUFFIXES:
.DELETE_ON_ERROR:
