#! /usr/bin/env atf-sh
#
# make install as a distribution's package runs it (DESTDIR, PREFIX=/usr, a
# multiarch LIBDIR, LIBEXECDIR=/usr/libexec): the files and their modes,
# the manual's links, the paths compiled in, an ABI of the public API
# alone (lib/libjail.map), make uninstall; and a program written to
# FreeBSD's jail(2) and libjail(3), built against an installed tree with
# libjail.a and with libjail.so, run against real jails.
#
# Each case builds in a directory of its own (make B=...): the tree's
# build/ is what the other tests run, and the paths compiled into it are
# not the ones a case asks for.

. "$(atf_get_srcdir)/common.subr"

MULTIARCH=x86_64-linux-gnu
# The layout of a Debian package.
DEB_VARS="PREFIX=/usr LIBDIR=/usr/lib/$MULTIARCH LIBEXECDIR=/usr/libexec"

# it_case NAME DESCRIPTION...: jt_case with the time a build needs.
it_case()
{
	jt_case "$@"
	eval "${1}_head() {
		atf_set descr \"\$_jt_descr_${1}\"
		atf_set require.user root
		atf_set require.progs 'cc nm readelf objcopy strings pkg-config'
		atf_set timeout 900
	}"
}

# it_make TARGET [VAR=value...]: make in the source tree, building into
# $JT_WORK/build.
it_make()
{
	make -s -j2 -C "$JT_TOP" B="$JT_WORK/build" "$@" \
	    > "$JT_WORK/make.log" 2>&1 ||
	    atf_fail "make $*: $(tail -c 800 "$JT_WORK/make.log" | tr '\n' ' ')"
}

# The public API: what the installed headers declare.
it_api()
{
	sed -n \
	    -e 's/^[a-z][a-z_ ]*[[:space:]*]\{1,\}\([a-z_][a-z0-9_]*\)(.*/\1/p' \
	    -e 's/^extern [a-z ]*[[:space:]*]\([a-z_][a-z0-9_]*\)\[\];$/\1/p' \
	    "$JT_TOP/include/sys/jail.h" "$JT_TOP/include/jail.h" \
	    "$JT_TOP/include/jaildesc.h" | sort
}

# systemd's directory for a package's units, as the Makefile finds it.
it_unitdir()
{
	_it_u=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null)
	echo "${_it_u:-/usr/lib/systemd/system}"
}

# it_no_build_paths FILE...: none of FILEs holds a path of the source or
# the build tree (debug information aside: it names the sources, and a
# package strips it into a -dbgsym package).
it_no_build_paths()
{
	for _it_f; do
		if readelf -h "$_it_f" > /dev/null 2>&1; then
			objcopy --strip-debug "$_it_f" "$JT_WORK/stripped" ||
			    atf_fail "objcopy --strip-debug $_it_f"
		else
			cp "$_it_f" "$JT_WORK/stripped"
		fi
		for _it_p in "$JT_TOP" "$JT_WORK"; do
			! strings -a "$JT_WORK/stripped" | grep -qF "$_it_p" ||
			    atf_fail "$_it_f holds $_it_p"
		done
	done
}

it_case debian_layout "make install DESTDIR= PREFIX=/usr LIBDIR=/usr/lib/$MULTIARCH LIBEXECDIR=/usr/libexec: the files, modes, man links and compiled-in paths a package needs; make uninstall removes them all"
debian_layout_body()
{
	jt_paths
	d=$JT_WORK/dest
	lib=usr/lib/$MULTIARCH
	units=$(it_unitdir)
	units=${units#/}
	it_make install DESTDIR="$d" $DEB_VARS

	# Every file, and nothing else (nothing in /etc, nothing left at
	# PREFIX/lib or PREFIX/libexec/jail): path, mode or link target.
	{
		for f in usr/sbin/jail usr/sbin/jexec usr/sbin/jls \
		    usr/sbin/jail-sysctl usr/sbin/jail-oci usr/libexec/jail/prison \
		    usr/libexec/jail/jail-boot; do
			echo "$f 755"
		done
		for f in $lib/libjail.a $lib/libjail.so.1 $lib/pkgconfig/jail.pc \
		    usr/include/jail.h usr/include/jaildesc.h \
		    usr/include/sys/jail.h usr/share/man/man2/jail.2 \
		    usr/share/man/man3/jail.3 usr/share/man/man4/jaildesc.4 \
		    usr/share/man/man5/jail.conf.5 usr/share/man/man8/jail.8 \
		    usr/share/man/man8/jls.8 usr/share/man/man8/jexec.8 \
		    usr/share/man/man8/jail-sysctl.8 usr/share/man/man8/jail-oci.8 \
		    usr/share/doc/jail/examples/default/jail \
		    "$units/jail.service" "$units/jail@.service"; do
			echo "$f 644"
		done
		echo "$lib/libjail.so -> libjail.so.1"
		it_api | while read -r f; do
			case $f in
			jail_errmsg) ;;
			jail|jail_set|jail_get|jail_attach|jail_remove|\
			    jail_attach_jd|jail_remove_jd)
				[ "$f" = jail ] ||
				    echo "usr/share/man/man2/$f.2 -> jail.2" ;;
			jaildesc_*|jail_spawn_*)
				echo "usr/share/man/man3/$f.3 -> ../man4/jaildesc.4" ;;
			*)	echo "usr/share/man/man3/$f.3 -> jail.3" ;;
			esac
		done
	} | sort > want
	(cd "$d" && find . ! -type d | sed 's|^\./||' | sort | while read -r f; do
		if [ -L "$f" ]; then
			echo "$f -> $(readlink "$f")"
		else
			echo "$f $(stat -c %a "$f")"
		fi
	done) > got
	atf_check -o empty diff want got

	# The manual of every function of the API: a page of its own name.
	for f in $(it_api); do
		[ "$f" = jail_errmsg ] && continue
		p=$d/usr/share/man/man2/$f.2
		[ -e "$p" ] || p=$d/usr/share/man/man3/$f.3
		[ -f "$p" ] || atf_fail "no manual page for $f"
		grep -Eq "^\.(Nm|Fn) $f( |\$)" "$p" ||
		    atf_fail "$p does not document $f"
	done

	# The paths compiled in are the configured ones, and only those.
	for f in usr/sbin/jail usr/sbin/jexec usr/sbin/jls \
	    "$lib/libjail.so.1" "$lib/libjail.a"; do
		strings -a "$d/$f" | grep -qF /usr/libexec/jail/prison ||
		    atf_fail "$f does not start /usr/libexec/jail/prison"
	done
	it_no_build_paths $(find "$d" -type f)
	atf_check -o inline:"libdir=/$lib\nincludedir=/usr/include\n" \
	    grep -E '^(libdir|includedir)=' "$d/$lib/pkgconfig/jail.pc"
	atf_check -o inline:"ExecStart=/usr/libexec/jail/jail-boot start\n" \
	    grep '^ExecStart' "$d/$units/jail.service"
	atf_check -o inline:"JAIL=/usr/sbin/jail\nJLS=/usr/sbin/jls\n" \
	    grep -E '^(JAIL|JLS)=' "$d/usr/libexec/jail/jail-boot"

	# Uninstalled with the same variables: not a file left, nor a
	# directory of ours.
	it_make uninstall DESTDIR="$d" $DEB_VARS
	atf_check -o empty find "$d" ! -type d
	for f in usr/libexec/jail usr/share/doc/jail; do
		[ ! -e "$d/$f" ] || atf_fail "make uninstall left $f"
	done
}

it_case public_abi "libjail.so exports the API of the installed headers and nothing else, versioned JAIL_1.0; libjail.a has no other global symbol; a FreeBSD program builds against the installed tree through pkg-config"
public_abi_body()
{
	jt_paths
	d=$JT_WORK/dest
	lib=$d/usr/lib/$MULTIARCH
	it_make install DESTDIR="$d" $DEB_VARS
	it_api > api
	[ "$(wc -l < api)" -ge 26 ] || atf_fail "the headers' API: $(cat api)"

	# lib/libjail.map lists exactly the API.
	sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\);$/\1/p' \
	    "$JT_TOP/lib/libjail.map" | sort > map
	atf_check -o empty diff api map

	# libjail.so: every symbol it defines is the API's, at JAIL_1.0.
	atf_check -o inline:"libjail.so.1\n" sh -c "readelf -d '$lib/libjail.so.1' |
	    sed -n 's/.*Library soname: \[\(.*\)\]/\1/p'"
	nm -D --defined-only "$lib/libjail.so.1" |
	    awk '$2 != "A" { print $3 }' | sort > so
	sed 's/$/@@JAIL_1.0/' api > want
	atf_check -o empty diff want so
	atf_check -o inline:"JAIL_1.0\n" sh -c "nm -D --defined-only \
	    '$lib/libjail.so.1' | awk '\$2 == \"A\" { print \$3 }'"

	# libjail.a: one object whose only globals are the API's; what it
	# needs besides is libc's (the program below links nothing else).
	nm -g --defined-only "$lib/libjail.a" | awk 'NF == 3 { print $3 }' |
	    sort > archive
	atf_check -o empty diff api archive

	# A FreeBSD program, built against the installed tree as a package's
	# users would (pkg-config, here rooted at DESTDIR); only built: its
	# prison is to be at /usr/libexec, which this test does not install.
	src=$(atf_get_srcdir)/helpers/fbsd_libjail.c
	export PKG_CONFIG_SYSROOT_DIR="$d" PKG_CONFIG_LIBDIR="$lib/pkgconfig"
	atf_check cc -Wall -Wextra -Werror -o shared "$src" \
	    $(pkg-config --cflags --libs jail)
	atf_check -o match:'libjail\.so\.1' readelf -d shared
	atf_check cc -Wall -Wextra -Werror -o static "$src" \
	    $(pkg-config --cflags jail) "$lib/libjail.a"
	! readelf -d static | grep -q libjail ||
	    atf_fail "the program linked with libjail.a needs libjail.so"
}

# it_run PROGRAM NAME: run an fbsd_libjail against $ROOT as jail NAME.
it_run()
{
	atf_check -o inline:"setv: created
getv: fbsd.example
getname: $2
get(2): ok
all: host.hostname found
get: name=$2 host.hostname=fbsd.example persist=true
set: host.hostname=jailed.example
attach: jailed.example
remove: ok
after: jail \"$2\" not found
" "$1" "$ROOT" "$2"
}

it_case freebsd_program "a FreeBSD libjail(3) program linked with the installed libjail.a, and one with libjail.so in a multiarch directory, start the installed prison and run against real jails"
freebsd_program_body()
{
	jt_init
	# Installed for running, not for packaging: no DESTDIR, so that the
	# prison's path compiled into the libraries is where it is installed
	# (a DESTDIR tree's would be /usr/libexec, outside this test).  LIBDIR
	# is a multiarch-like directory, whose ../libexec holds no prison.
	r=$JT_WORK/run
	lib=$r/lib/$MULTIARCH
	it_make install PREFIX="$r" LIBDIR="$lib"
	# The build's prison is not theirs: libjail must find its own.
	unset JAIL_PRISON
	src=$(atf_get_srcdir)/helpers/fbsd_libjail.c
	atf_check cc -Wall -Wextra -Werror -o static "$src" -I"$r/include" \
	    "$lib/libjail.a"
	export PKG_CONFIG_PATH="$lib/pkgconfig"
	atf_check cc -Wall -Wextra -Werror -o shared "$src" \
	    $(pkg-config --cflags --libs jail) -Wl,-rpath,"$lib"

	it_run ./static fbsd_static
	it_run ./shared fbsd_shared
	atf_check -o empty "$JLS" jid

	# The installed commands start it too.
	atf_check "$r/sbin/jail" -c name=cmds path="$ROOT" host.hostname=cmds \
	    persist
	atf_check -o inline:"cmds\n" "$r/sbin/jexec" cmds hostname
	atf_check -o inline:"cmds\n" "$r/sbin/jls" name
	atf_check -o ignore "$r/sbin/jail" -r cmds

	# It was the installed prison they ran: without it, nothing starts.
	mv "$r/libexec/jail/prison" "$r/libexec/jail/prison.off"
	atf_check -s exit:1 -e inline:"static: jail_setv: cannot start the prison: No such file or directory\n" \
	    ./static "$ROOT" gone
	mv "$r/libexec/jail/prison.off" "$r/libexec/jail/prison"
	# And $JAIL_PRISON, which a program that is not set-id honours,
	# is the one they run when set.
	atf_check -s exit:1 -e inline:"shared: jail_setv: cannot start the prison: No such file or directory\n" \
	    env JAIL_PRISON="$JT_WORK/none" ./shared "$ROOT" gone
	atf_check -o empty "$JLS" jid
}

jt_case clean_spares_sources "make clean removes what the build makes and no file of the sources (tests/unit/asan holds sources beside its binaries)"
clean_spares_sources_body()
{
	jt_paths
	command -v git > /dev/null 2>&1 &&
	    git -C "$JT_TOP" rev-parse --is-inside-work-tree > /dev/null 2>&1 ||
	    atf_skip "not a git checkout: no list of the sources"
	git -C "$JT_TOP" ls-files > tracked
	[ -s tracked ] || atf_fail "git ls-files: nothing"
	# What make clean would remove: every path its rm commands name, and
	# for rm -r, everything under it.
	make -s -n -C "$JT_TOP" clean > cmds ||
	    atf_fail "make -n clean: $(cat cmds)"
	grep -q '^rm ' cmds || atf_fail "make clean removes nothing: $(cat cmds)"
	awk '$1 == "rm" { for (i = 2; i <= NF; i++) if ($i !~ /^-/) print $i }' \
	    cmds | sort -u > removed
	awk 'NR == FNR { r[$0] = 1; next }
	    { for (p in r) if ($0 == p || index($0, p "/") == 1) print }' \
	    removed tracked > hit
	atf_check -o empty cat hit
}

