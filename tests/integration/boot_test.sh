#! /usr/bin/env atf-sh
#
# Jails at boot: the systemd units (jail.service, jail@.service) and the
# script they run, jail-boot (tools/systemd), as make install installs
# them.  The script's arguments, settings and the jail(8) commands it runs
# are checked against a stand-in jail(8); the jails of a jail.conf started
# and stopped in depend order, against the installed jail(8) itself.

. "$(atf_get_srcdir)/common.subr"

# bt_install [VAR=value...]: make install with these variables, from the
# build as it is (make -o all: a test does not rebuild the tree).
bt_install()
{
	make -s -C "$JT_TOP" -o all install "$@" > "$JT_WORK/install.log" 2>&1 ||
	    atf_fail "make install $*: $(tail -c 600 "$JT_WORK/install.log" |
	    tr '\n' ' ')"
}

# bt_prefix: install into $JT_WORK/p (units in $JT_WORK/u), so that the
# installed jail-boot, $BOOT, runs the installed jail(8) and jls(8).
bt_prefix()
{
	bt_install PREFIX="$JT_WORK/p" SYSTEMDUNITDIR="$JT_WORK/u"
	BOOT=$JT_WORK/p/libexec/jail/jail-boot
	[ -x "$BOOT" ] || atf_fail "$BOOT not installed"
}

# bt_stubs: bt_prefix, then put stand-ins in place of jail(8) and jls(8).
# The stand-in jail logs each call to $STUB_LOG, an argument a <word>; it
# fails for an argument named in STUB_FAIL (and with STUB_RACE set, the
# jail runs all the same, as if made meanwhile by another), and for -e
# when STUB_BADCONF is set.  The stand-in jls says a jail runs (jid 7) if
# STUB_RUNNING names it.
bt_stubs()
{
	bt_prefix
	STUB_LOG=$JT_WORK/calls
	export STUB_LOG
	cat > "$JT_WORK/p/sbin/jail" <<'EOF'
#!/bin/sh
{ printf 'jail'; printf ' <%s>' "$@"; echo; } >> "$STUB_LOG"
for a; do
	[ "$a" = -e ] && { [ -z "${STUB_BADCONF-}" ]; exit; }
done
for a; do
	case " ${STUB_FAIL-} " in
	*" $a "*)
		echo "jail: $a: cannot start" >&2
		[ -n "${STUB_RACE-}" ] && echo "$a" >> "$STUB_LOG.up"
		exit 1 ;;
	esac
done
exit 0
EOF
	cat > "$JT_WORK/p/sbin/jls" <<'EOF'
#!/bin/sh
if [ "$1" = -j ]; then
	case " ${STUB_RUNNING-} $(cat "$STUB_LOG.up" 2>/dev/null) " in
	*" $2 "*) echo 7; exit 0 ;;
	esac
	echo "jls: jail \"$2\" not found" >&2
	exit 1
fi
echo "jls $*"
EOF
	chmod 0755 "$JT_WORK/p/sbin/jail" "$JT_WORK/p/sbin/jls"
	# A configuration path with a space: it must reach jail(8) as one word.
	mkdir -p "$JT_WORK/my conf"
	CONF="$JT_WORK/my conf/jail.conf"
	: > "$CONF"
	export JAIL_CONF="$CONF"
	unset JAIL_LIST JAIL_FLAGS JAIL_PARALLEL STUB_FAIL STUB_RUNNING STUB_BADCONF
}

# bt_calls: what jail(8) was asked, since the last bt_calls.
bt_calls()
{
	cat "$STUB_LOG" 2>/dev/null
	rm -f "$STUB_LOG"
}

# bt_check_calls FILE: jail(8) was asked what FILE says, since the last time.
bt_check_calls()
{
	bt_calls > "$JT_WORK/calls.got"
	atf_check -o file:"$1" cat "$JT_WORK/calls.got"
}

# ---------------------------------------------------------------------------
# Installation

jt_case install_layout "make install puts the units, jail-boot and an example of /etc/default/jail where they belong, @PREFIX@ replaced, and nothing in /etc"
install_layout_body()
{
	jt_paths
	d=$JT_WORK/d
	bt_install DESTDIR="$d"
	u=$d/usr/local/lib/systemd/system
	for f in "$u/jail.service" "$u/jail@.service" \
	    "$d/usr/local/share/doc/jail/examples/default/jail"; do
		atf_check -o inline:"644\n" stat -c %a "$f"
	done
	atf_check -o inline:"755\n" stat -c %a "$d/usr/local/libexec/jail/jail-boot"
	[ ! -e "$d/etc" ] || atf_fail "make install wrote into /etc: $(find "$d/etc")"
	atf_check -s exit:1 grep -r @PREFIX@ "$u" "$d/usr/local/libexec/jail/jail-boot"
	atf_check -o inline:"ExecStart=/usr/local/libexec/jail/jail-boot start\nExecStop=/usr/local/libexec/jail/jail-boot stop\n" \
	    grep '^Exec' "$u/jail.service"
	atf_check -o inline:"ExecStart=/usr/local/libexec/jail/jail-boot start %I\nExecStop=/usr/local/libexec/jail/jail-boot stop %I\n" \
	    grep '^Exec' "$u/jail@.service"
	atf_check -o inline:"JAIL=/usr/local/sbin/jail\nJLS=/usr/local/sbin/jls\n" \
	    grep -E '^(JAIL|JLS)=' "$d/usr/local/libexec/jail/jail-boot"
	atf_check sh -n "$d/usr/local/libexec/jail/jail-boot"

	# A package (PREFIX=/usr): where systemd.pc says.
	want=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null)
	[ -n "$want" ] || want=/usr/lib/systemd/system
	bt_install DESTDIR="$JT_WORK/d2" PREFIX=/usr
	[ -f "$JT_WORK/d2$want/jail.service" ] ||
	    atf_fail "PREFIX=/usr: no $want/jail.service"
	atf_check -o inline:"ExecStart=/usr/libexec/jail/jail-boot start\n" \
	    grep '^ExecStart' "$JT_WORK/d2$want/jail.service"

	# SYSTEMDUNITDIR= chosen.
	bt_install DESTDIR="$JT_WORK/d3" SYSTEMDUNITDIR=/etc/systemd/system
	[ -f "$JT_WORK/d3/etc/systemd/system/jail@.service" ] ||
	    atf_fail "SYSTEMDUNITDIR= not honoured"
}

jt_case install_keeps_files "make install again replaces the units and the script, and never creates or overwrites /etc/default/jail"
install_keeps_files_body()
{
	jt_paths
	d=$JT_WORK/d
	bt_install DESTDIR="$d"
	mkdir -p "$d/etc/default"
	echo 'JAIL_LIST="mine"' > "$d/etc/default/jail"
	bt_install DESTDIR="$d"
	atf_check -o inline:'JAIL_LIST="mine"\n' cat "$d/etc/default/jail"
	atf_check -o inline:"default\n" ls "$d/etc"
}

jt_case units_verify "systemd-analyze verify finds nothing wrong with the installed units"
units_verify_body()
{
	jt_paths
	command -v systemd-analyze > /dev/null 2>&1 ||
	    atf_skip "no systemd-analyze"
	bt_prefix
	# The template through an instance of it; no man pages (jail(8) is
	# not installed where man looks).
	systemd-analyze verify --man=no "$JT_WORK/u/jail.service" \
	    "$JT_WORK/u/jail@www.service" > out 2> err
	rc=$?
	if grep -i jail err > /dev/null || [ $rc -ne 0 ]; then
		cat err >&2
		atf_fail "systemd-analyze verify: exit $rc"
	fi
}

# ---------------------------------------------------------------------------
# jail-boot against stand-ins: arguments, settings, commands

jt_case script_usage "jail-boot refuses bad arguments and settings with exit 2, before it runs anything"
script_usage_body()
{
	jt_paths
	bt_stubs
	atf_check -s exit:2 -e match:'^usage: jail-boot start' "$BOOT"
	atf_check -s exit:2 -e match:'^usage:' "$BOOT" reload
	atf_check -s exit:2 -e match:'^usage:' "$BOOT" ''
	for n in '*' 'a*' 'a?' '[a]' -c -- '-r' 'a b' '' .hidden a/b 'a;b' \
	    '$(id)' "a'b" 'a
b'; do
		for c in start stop restart status; do
			atf_check -s exit:2 -e match:'not a jail name' \
			    "$BOOT" "$c" good "$n"
		done
	done
	# JAIL_LIST is split at white space.
	for n in '*' 'a*' 'a?' '[a]' -c -- .hidden a/b 'a;b' '$(id)' "a'b"; do
		atf_check -s exit:2 -e match:'JAIL_LIST ".*": not a jail name' \
		    env JAIL_LIST="good $n" "$BOOT" start
	done
	atf_check -s exit:2 -e match:'JAIL_FLAGS: -l: only -q and -v' \
	    env JAIL_FLAGS="-v -l" "$BOOT" start
	atf_check -s exit:2 -e match:'JAIL_FLAGS: name=x' \
	    env JAIL_FLAGS="name=x" "$BOOT" stop
	atf_check -s exit:2 -e match:'JAIL_PARALLEL=maybe: neither yes nor no' \
	    env JAIL_PARALLEL=maybe "$BOOT" start
	atf_check -s exit:2 -e match:'not an absolute path' \
	    env JAIL_CONF=jail.conf "$BOOT" start
	atf_check -s exit:2 -e match:'not an absolute path' \
	    env JAIL_CONF=- "$BOOT" stop
	atf_check -s exit:2 -e match:'not a readable file' \
	    env JAIL_CONF="$JT_WORK/none.conf" "$BOOT" stop
	atf_check -s exit:2 -e match:'not a readable file' \
	    env JAIL_CONF="$JT_WORK" "$BOOT" start a
	# None of it reached jail(8).
	bt_check_calls /dev/null
	# Without any configuration, no jail -r '*': it would remove every
	# jail on the system.
	if [ ! -e /etc/jail.conf ] && [ ! -e /etc/jail.conf.d ]; then
		atf_check -s exit:2 -e match:'no configuration' \
		    env -u JAIL_CONF "$BOOT" stop
		atf_check -s exit:2 -e match:'no configuration' \
		    env -u JAIL_CONF "$BOOT" start
		bt_check_calls /dev/null
	fi
}

jt_case script_start_all "jail-boot start with no list checks the configuration, then creates every configured jail with one jail -c"
script_start_all_body()
{
	jt_paths
	bt_stubs
	atf_check -s exit:0 -o empty -e empty "$BOOT" start
	printf 'jail <-f> <%s> <-e> < >\njail <-p> <1> <-f> <%s> <-c>\n' \
	    "$CONF" "$CONF" > want
	bt_check_calls want
	# Flags, in parallel.
	atf_check -s exit:0 env JAIL_FLAGS="-v -q" JAIL_PARALLEL=YES "$BOOT" start
	printf 'jail <-f> <%s> <-e> < >\njail <-v> <-q> <-f> <%s> <-c>\n' \
	    "$CONF" "$CONF" > want
	bt_check_calls want
	# jail(8)'s own configuration.
	if [ -e /etc/jail.conf ] || [ -d /etc/jail.conf.d ]; then
		atf_check -s exit:0 env -u JAIL_CONF "$BOOT" start
		printf 'jail <-e> < >\njail <-p> <1> <-c>\n' > want
		bt_check_calls want
	fi
	# A jail that fails: exit 1, for the unit's SuccessExitStatus.
	atf_check -s exit:1 -e match:'not every configured jail was started' \
	    env STUB_FAIL=-c "$BOOT" start
	printf 'jail <-f> <%s> <-e> < >\njail <-p> <1> <-f> <%s> <-c>\n' \
	    "$CONF" "$CONF" > want
	bt_check_calls want
	# A configuration that does not read: exit 2, nothing created.
	atf_check -s exit:2 -e match:'cannot be read' \
	    env STUB_BADCONF=1 "$BOOT" start
	printf 'jail <-f> <%s> <-e> < >\n' "$CONF" > want
	bt_check_calls want
}

jt_case script_start_list "jail-boot start with JAIL_LIST or names creates each in turn, skips those running, goes on after a failure and then exits 1"
script_start_list_body()
{
	jt_paths
	bt_stubs
	atf_check -s exit:0 -o inline:"b: already running\n" -e empty \
	    env JAIL_LIST="a b  c" STUB_RUNNING=b "$BOOT" start
	printf 'jail <-f> <%s> <-e> < >\n' "$CONF" > want
	printf 'jail <-p> <1> <-f> <%s> <-c> <%s>\n' "$CONF" a "$CONF" c >> want
	bt_check_calls want
	# Names given replace JAIL_LIST; each once.
	atf_check -s exit:0 env JAIL_LIST="a b" "$BOOT" start c d c
	printf 'jail <-f> <%s> <-e> < >\n' "$CONF" > want
	printf 'jail <-p> <1> <-f> <%s> <-c> <%s>\n' "$CONF" c "$CONF" d >> want
	bt_check_calls want
	# The first fails, the others are still started.
	atf_check -s exit:1 -e match:'^jail-boot: a: not started$' \
	    env JAIL_LIST="a b c" STUB_FAIL=a "$BOOT" start
	printf 'jail <-f> <%s> <-e> < >\n' "$CONF" > want
	printf 'jail <-p> <1> <-f> <%s> <-c> <%s>\n' \
	    "$CONF" a "$CONF" b "$CONF" c >> want
	bt_check_calls want
	# In parallel: without -p, but still one after the other (two jail(8)
	# at once would race to create a jail both depend on).
	atf_check -s exit:1 -e match:'^jail-boot: b: not started$' \
	    env JAIL_LIST="a b c" JAIL_PARALLEL=yes STUB_FAIL=b "$BOOT" start
	printf 'jail <-f> <%s> <-e> < >\n' "$CONF" > want
	printf 'jail <-f> <%s> <-c> <%s>\n' "$CONF" a "$CONF" b "$CONF" c >> want
	bt_check_calls want
	# A jail that failed to start but runs (made meanwhile by another):
	# no failure.
	atf_check -s exit:0 -e match:'jail: b: cannot start' \
	    -e not-match:'not started' \
	    env JAIL_LIST=b STUB_FAIL=b STUB_RACE=1 "$BOOT" start
	rm -f "$STUB_LOG.up"
	printf 'jail <-f> <%s> <-e> < >\n' "$CONF" > want
	printf 'jail <-p> <1> <-f> <%s> <-c> <b>\n' "$CONF" >> want
	bt_check_calls want
}

jt_case script_stop "jail-boot stop removes the configured jails with jail -r '*', or those of the list that run, last first, with one jail -r"
script_stop_body()
{
	jt_paths
	bt_stubs
	atf_check -s exit:0 -o empty -e empty "$BOOT" stop
	printf 'jail <-p> <1> <-f> <%s> <-r> <*>\n' "$CONF" > want
	bt_check_calls want
	atf_check -s exit:0 -o empty -e empty \
	    env JAIL_LIST="a b c d" STUB_RUNNING="d a c" "$BOOT" stop
	printf 'jail <-p> <1> <-f> <%s> <-r> <d> <c> <a>\n' "$CONF" > want
	bt_check_calls want
	# None of them runs: nothing to do.
	atf_check -s exit:0 -o empty -e empty env JAIL_LIST="a b" "$BOOT" stop
	bt_check_calls /dev/null
	# Names given, in parallel, with a failure.
	atf_check -s exit:1 -e match:'not every jail of b a was stopped' \
	    env JAIL_LIST=x JAIL_PARALLEL=on STUB_RUNNING="a b x" STUB_FAIL=b \
	    "$BOOT" stop a b
	printf 'jail <-f> <%s> <-r> <b> <a>\n' "$CONF" > want
	bt_check_calls want
	atf_check -s exit:1 -e match:'not every configured jail was stopped' \
	    env STUB_FAIL='*' "$BOOT" stop
}

jt_case script_restart_status "jail-boot restart stops then starts; a configuration that does not read stops nothing; status reports each jail"
script_restart_status_body()
{
	jt_paths
	bt_stubs
	atf_check -s exit:0 -o inline:"a: already running\n" \
	    env JAIL_LIST="a b" STUB_RUNNING=a "$BOOT" restart
	# (The stand-in jls still says a runs after jail -r a.)
	printf 'jail <-f> <%s> <-e> < >\n' "$CONF" > want
	printf 'jail <-p> <1> <-f> <%s> <-r> <a>\n' "$CONF" >> want
	printf 'jail <-f> <%s> <-e> < >\n' "$CONF" >> want
	printf 'jail <-p> <1> <-f> <%s> <-c> <b>\n' "$CONF" >> want
	bt_check_calls want
	atf_check -s exit:2 -e match:'cannot be read' \
	    env STUB_BADCONF=1 STUB_RUNNING=a "$BOOT" restart a
	printf 'jail <-f> <%s> <-e> < >\n' "$CONF" > want
	bt_check_calls want

	atf_check -s exit:0 -o inline:"a: running, jid 7\nb: running, jid 7\n" \
	    env STUB_RUNNING="a b" "$BOOT" status a b
	atf_check -s exit:1 -o inline:"a: running, jid 7\nb: not running\n" \
	    env JAIL_LIST="a b" STUB_RUNNING=a "$BOOT" status
	atf_check -s exit:0 -o inline:"jls -N\n" "$BOOT" status
	bt_check_calls /dev/null
}

# ---------------------------------------------------------------------------
# jail-boot with jail(8): the jails of a jail.conf

# bt_conf [EXTRA]: $CONF with jails a and b (b depends on a), persistent, in
# $ROOT, whose exec.poststart and exec.poststop write to $ORDER; EXTRA is
# added at the end.
bt_conf()
{
	CONF=$JT_WORK/jail.conf
	ORDER=$JT_WORK/order
	: > "$ORDER"
	cat > "$CONF" <<EOF
a {
	path = "$ROOT";
	persist;
	exec.poststart = "echo start a >> $ORDER";
	exec.poststop = "echo stop a >> $ORDER";
}
b {
	path = "$ROOT";
	persist;
	depend = a;
	exec.poststart = "echo start b >> $ORDER";
	exec.poststop = "echo stop b >> $ORDER";
}
${1-}
EOF
	export JAIL_CONF="$CONF"
	unset JAIL_LIST JAIL_FLAGS JAIL_PARALLEL
}

jt_case boot_all "jail-boot start with no list starts every configured jail, dependencies first; status shows them; stop removes them, dependents first"
boot_all_body()
{
	jt_init
	bt_prefix
	bt_conf
	atf_check -s exit:0 -o ignore -e ignore "$BOOT" start
	atf_check -o inline:"a\nb\n" "$JLS" name
	atf_check -o inline:"start a\nstart b\n" cat "$ORDER"
	atf_check -s exit:0 -o match:'^ *a ' -o match:'^ *b ' -e empty "$BOOT" status
	atf_check -s exit:0 -o inline:"a: running, jid 1\nb: running, jid 2\n" \
	    "$BOOT" status a b
	# Again: those running are left alone.
	atf_check -s exit:0 -o ignore -e ignore "$BOOT" start
	atf_check -o inline:"a\nb\n" "$JLS" name
	atf_check -o inline:"start a\nstart b\n" cat "$ORDER"
	atf_check -s exit:0 -o ignore -e ignore "$BOOT" stop
	atf_check -o empty "$JLS" name
	atf_check -o inline:"start a\nstart b\nstop b\nstop a\n" cat "$ORDER"
	atf_check -s exit:1 -o inline:"a: not running\nb: not running\n" \
	    "$BOOT" status a b
	# Nothing left to stop.
	atf_check -s exit:0 -o ignore -e ignore "$BOOT" stop
}

jt_case boot_list "jail-boot start with JAIL_LIST starts the jails in that order, in parallel too; stop removes them in the reverse order; one jail alone (jail@.service) brings its dependency"
boot_list_body()
{
	jt_init
	bt_prefix
	bt_conf
	export JAIL_LIST="a b"
	atf_check -s exit:0 -o ignore -e ignore "$BOOT" start
	atf_check -o inline:"a\nb\n" "$JLS" name
	atf_check -o inline:"start a\nstart b\n" cat "$ORDER"
	atf_check -s exit:0 -o ignore -e ignore "$BOOT" stop
	atf_check -o empty "$JLS" name
	atf_check -o inline:"start a\nstart b\nstop b\nstop a\n" cat "$ORDER"

	# In parallel, listed dependent first: jail -c b creates a, which is
	# then running already.
	: > "$ORDER"
	atf_check -s exit:0 -o match:'^a: already running$' -e empty \
	    env JAIL_PARALLEL=yes JAIL_LIST="b a" "$BOOT" start
	atf_check -o inline:"a\nb\n" "$JLS" name
	atf_check -o inline:"start a\nstart b\n" cat "$ORDER"
	atf_check -s exit:0 -o ignore -e ignore \
	    env JAIL_PARALLEL=yes JAIL_LIST="b a" "$BOOT" stop
	atf_check -o empty "$JLS" name
	atf_check -o inline:"start a\nstart b\nstop b\nstop a\n" cat "$ORDER"

	# As jail@b.service: jail -c b creates a first.
	: > "$ORDER"
	atf_check -s exit:0 -o ignore -e ignore "$BOOT" start b
	atf_check -o inline:"a\nb\n" "$JLS" name
	atf_check -o inline:"start a\nstart b\n" cat "$ORDER"
	atf_check -s exit:0 -o ignore -e ignore "$BOOT" stop b
	atf_check -o inline:"a\n" "$JLS" name
	atf_check -s exit:0 -o ignore -e ignore "$BOOT" stop a
	atf_check -o empty "$JLS" name
	atf_check -o inline:"start a\nstart b\nstop b\nstop a\n" cat "$ORDER"
}

jt_case boot_failure "a jail that cannot start makes jail-boot start exit 1, and the others start all the same; stop removes them"
boot_failure_body()
{
	jt_init
	bt_prefix
	bt_conf "c {
	path = \"$JT_WORK/no-such-root\";
	persist;
}"
	# Listed first.
	atf_check -s exit:1 -o ignore -e match:'^jail-boot: c: not started$' \
	    env JAIL_LIST="c a b" "$BOOT" start
	atf_check -o inline:"a\nb\n" "$JLS" name
	atf_check -o inline:"start a\nstart b\n" cat "$ORDER"
	atf_check -s exit:0 -o ignore -e ignore env JAIL_LIST="c a b" "$BOOT" stop
	atf_check -o empty "$JLS" name
	atf_check -o inline:"start a\nstart b\nstop b\nstop a\n" cat "$ORDER"
	# Every configured jail.
	: > "$ORDER"
	atf_check -s exit:1 -o ignore \
	    -e match:'^jail-boot: not every configured jail was started$' \
	    "$BOOT" start
	atf_check -o inline:"a\nb\n" "$JLS" name
	atf_check -o inline:"start a\nstart b\n" cat "$ORDER"
	atf_check -s exit:0 -o ignore -e ignore "$BOOT" stop
	atf_check -o empty "$JLS" name
}
