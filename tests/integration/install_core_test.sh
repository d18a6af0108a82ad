#! /usr/bin/env atf-sh
#
# make install PREFIX=dir gives a working tree, and programs written for
# FreeBSD's jail API and its jail descriptors (data/freebsd_prog.c,
# data/freebsd_desc.c) compile against it unchanged, through pkg-config
# and against the static library.  Spec: DESIGN.md section 1.

. "$(atf_get_srcdir)/common.subr"

jt_case installed_tree "install, compile a FreeBSD program with pkg-config, run"
installed_tree_body()
{
	jt_init
	command -v cc > /dev/null 2>&1 || atf_skip "no C compiler"
	command -v pkg-config > /dev/null 2>&1 || atf_skip "no pkg-config"
	# The installed tree's libjail finds its own prison.
	unset JAIL_PRISON
	inst=$JT_WORK/inst
	data=$(atf_get_srcdir)/data
	atf_check -o ignore -e ignore make -C "$JT_TOP" install PREFIX="$inst"
	for f in sbin/jail sbin/jls sbin/jexec libexec/jail/prison lib/libjail.a \
	    lib/libjail.so lib/libjail.so.1 lib/pkgconfig/jail.pc include/jail.h \
	    include/sys/jail.h include/jaildesc.h share/man/man8/jail.8 \
	    share/man/man8/jls.8 share/man/man8/jexec.8 share/man/man2/jail.2 \
	    share/man/man3/jail.3 share/man/man4/jaildesc.4; do
		[ -e "$inst/$f" ] || atf_fail "$f not installed"
	done
	export PKG_CONFIG_PATH=$inst/lib/pkgconfig
	atf_check cc -Wall -Werror -o prog "$data/freebsd_prog.c" \
	    $(pkg-config --cflags --libs jail) -Wl,-rpath,"$inst/lib"
	atf_check -o inline:"1 fbsd.example persist\n" ./prog "$ROOT"
	# And one written for FreeBSD's jail descriptors.
	atf_check cc -Wall -Werror -o desc "$data/freebsd_desc.c" \
	    $(pkg-config --cflags --libs jail) -Wl,-rpath,"$inst/lib"
	atf_check -o inline:"2 viadesc removed\n" ./desc "$ROOT"
	# The static library too.
	atf_check cc -o prog-static "$data/freebsd_prog.c" \
	    -I"$inst/include" "$inst/lib/libjail.a" -ldl
	atf_check "$inst"/sbin/jail -c name=i path="$ROOT" host.hostname=inst persist
	atf_check -o inline:"inst\n" "$inst"/sbin/jexec i hostname
	atf_check -o inline:"i\n" "$inst"/sbin/jls name
	atf_check "$inst"/sbin/jail -r i
}
