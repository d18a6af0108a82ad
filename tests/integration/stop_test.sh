#! /usr/bin/env atf-sh
#
# Stopping a jail's processes before it is removed: jail(8)'s stop.timeout.
# SIGTERM goes to every process of the jail but its init, and the removal
# waits up to stop.timeout seconds (10 by default, 0: no SIGTERM) for them
# to exit.  jail__stop (lib/run.h) is the library's call, driven here by
# helpers/jstop, which prints what it returned and how long it took.
# Spec: freebsd-jail.md section 4.3 ("Remove"), the stop.timeout row.

. "$(atf_get_srcdir)/common.subr"

# A process that ends on SIGTERM, leaving /tmp/got_term behind.
TRAPS_TERM='trap "echo got TERM > /tmp/got_term; exit 0" TERM
	echo > /tmp/ready; while :; do sleep 1; done'
# One that ignores it (as does its sleep, which inherits that).
IGNORES_TERM='trap "" TERM; echo > /tmp/ready; while :; do sleep 1; done'

# The helper, $JSTOP JAIL TIMEOUT, built for the host against the build
# (jail__stop is internal: the build's archive of the library that keeps
# its internals global, not the installed libjail.a).
jstop_init()
{
	jt_init
	jt_cc_host jstop -I"$JT_TOP/include" -I"$JT_TOP/lib" \
	    "$JT_TOP/build/obj/libjail-internal.a"
	JSTOP=$JT_WORK/jstop
}

# in_jail JAIL SCRIPT: start SCRIPT in JAIL in the background with jexec
# (its pid, jexec's, in $bg) and wait until it is ready.
in_jail()
{
	rm -f "$ROOT/tmp/ready" "$ROOT/tmp/got_term"
	"$JEXEC" "$1" sh -c "$2" < /dev/null > /dev/null 2>&1 &
	bg=$!
	jt_track "$bg"
	jt_wait 10 test -f "$ROOT/tmp/ready" || atf_fail "the process did not start"
}

# check_stop OUTPUT RC MIN_MS MAX_MS: jstop printed "RC MS" with MS in range.
check_stop()
{
	set -- $1 "$2" "$3" "$4"
	[ "$1" = "$3" ] || atf_fail "jail__stop returned $1 (in $2 ms), not $3"
	[ "$2" -ge "$4" ] && [ "$2" -le "$5" ] ||
	    atf_fail "jail__stop took $2 ms, not $4 to $5"
}

gone() { ! kill -0 "$1" 2> /dev/null; }

jt_case term_exits "jail__stop: processes that exit on SIGTERM end it at once"
term_exits_body()
{
	jstop_init
	mkjail s
	in_jail s "$TRAPS_TERM"
	atf_check -s exit:0 -o save:out -e empty "$JSTOP" s 10
	check_stop "$(cat out)" 0 0 3000
	atf_check -o inline:"got TERM\n" cat "$ROOT/tmp/got_term"
	jt_wait 5 gone "$bg" || atf_fail "jexec of the stopped process still runs"
	# The jail itself (persist) is still there, its init too.
	atf_check -o inline:"1\n" "$JLS" -j s jid
	atf_check -s exit:0 -o inline:"ok\n" -e empty "$JEXEC" s echo ok
}

jt_case term_ignored "jail__stop: a process that ignores SIGTERM makes it time out"
term_ignored_body()
{
	jstop_init
	mkjail s
	in_jail s "$IGNORES_TERM"
	atf_check -s exit:0 -o save:out -e empty "$JSTOP" s 2
	check_stop "$(cat out)" 1 1800 6000
	gone "$bg" && atf_fail "the process that ignores SIGTERM is gone"
	# Removal then kills it (at once: with stop.timeout=0).
	atf_check -s exit:0 -o empty -e empty "$JAIL" -rc name=s path="$ROOT" \
	    persist stop.timeout=0
	jt_wait 5 gone "$bg" || atf_fail "the jail's removal left the process"
}

jt_case timeout_zero "jail__stop with timeout 0 signals nothing and returns at once"
timeout_zero_body()
{
	jstop_init
	mkjail s
	in_jail s "$TRAPS_TERM"
	atf_check -s exit:0 -o save:out -e empty "$JSTOP" s 0
	check_stop "$(cat out)" 0 0 1000
	sleep 0.5
	[ -e "$ROOT/tmp/got_term" ] && atf_fail "timeout 0 sent SIGTERM"
	gone "$bg" && atf_fail "timeout 0 stopped the process"
	return 0
}

jt_case empty_jail "jail__stop of a jail without processes returns 0 at once"
empty_jail_body()
{
	jstop_init
	mkjail s
	atf_check -s exit:0 -o save:out -e empty "$JSTOP" s 10
	check_stop "$(cat out)" 0 0 1000
	atf_check -o inline:"1\n" "$JLS" -j s jid
}

jt_case nopersist "jail__stop of a jail without persist: it ends with its processes"
nopersist_body()
{
	jstop_init
	mkjail s
	in_jail s "$TRAPS_TERM"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=s nopersist
	atf_check -s exit:0 -o save:out -e empty "$JSTOP" s 10
	check_stop "$(cat out)" 0 0 3000
	jt_wait 5 jt_no_prisons || atf_fail "the jail outlived its processes"
	atf_check -o inline:"got TERM\n" cat "$ROOT/tmp/got_term"
}

jt_case errors "jail__stop: no such jail, not root, a negative timeout"
errors_body()
{
	jstop_init
	mkjail s
	atf_check -s exit:1 -o inline:"fail ENOENT: jail 7 not found\n" \
	    -e empty "$JSTOP" 7 10
	atf_check -s exit:1 -o match:"^fail EINVAL: stop.timeout: -1: " \
	    -e empty "$JSTOP" s -1
	command -v setpriv > /dev/null || atf_skip "no setpriv"
	atf_check -s exit:1 -o match:"^fail EPERM: jail 1: only root" \
	    -e empty setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$JSTOP" s 10
}

jt_case many "jail__stop stops many processes, and several callers at once"
many_body()
{
	jstop_init
	mkjail s
	in_jail s 'for i in $(seq 50); do sleep 1000 & done
	    echo > /tmp/ready; wait'
	"$JSTOP" s 10 > out1 &
	p1=$!
	"$JSTOP" s 10 > out2
	wait "$p1"
	check_stop "$(cat out1)" 0 0 5000
	check_stop "$(cat out2)" 0 0 5000
	jt_wait 5 gone "$bg" || atf_fail "jexec of the stopped processes still runs"
}

jt_case caller_killed "a caller killed while it waits leaves the prison serving"
caller_killed_body()
{
	jstop_init
	mkjail s
	in_jail s "$IGNORES_TERM"
	"$JSTOP" s 60 > /dev/null &
	waiter=$!
	jt_track "$waiter"
	sleep 0.5
	kill -9 "$waiter"
	wait "$waiter" 2> /dev/null
	# The prison let the waiter go, and answers the next ones.
	atf_check -o inline:"1\n" "$JLS" -j s jid
	atf_check -s exit:0 -o inline:"ok\n" -e empty "$JEXEC" s echo ok
	atf_check -s exit:0 -o save:out -e empty "$JSTOP" s 1
	check_stop "$(cat out)" 1 900 5000
	atf_check -s exit:0 -o empty -e empty "$JAIL" -rc name=s path="$ROOT" \
	    persist stop.timeout=0
	jt_wait 5 gone "$bg" || atf_fail "the jail's removal left the process"
}

# ---------------------------------------------------------------------------
# jail(8)

jt_case jail_r "jail -r sends SIGTERM first: a process that traps it exits cleanly"
jail_r_body()
{
	jt_init
	mkjail s
	in_jail s "$TRAPS_TERM"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r s
	atf_check -o inline:"got TERM\n" cat "$ROOT/tmp/got_term"
	atf_check -s exit:1 -o ignore -e ignore "$JLS" -j s
}

jt_case jail_r_nopersist "jail -r of a jail that ends with its processes is a success"
jail_r_nopersist_body()
{
	jt_init
	mkjail s
	in_jail s "$TRAPS_TERM"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -m name=s nopersist
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r s
	atf_check -o inline:"got TERM\n" cat "$ROOT/tmp/got_term"
	jt_wait 5 jt_no_prisons || atf_fail "the jail is still there"
}

jt_case jail_rc_timeout "jail -rc: stop.timeout bounds the wait, 0 sends no SIGTERM"
jail_rc_timeout_body()
{
	jt_init
	mkjail s
	in_jail s "$IGNORES_TERM"
	start=$(date +%s%N)
	atf_check -s exit:0 -o save:notes -e empty "$JAIL" -v -rc name=s \
	    path="$ROOT" persist stop.timeout=1
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ "$ms" -ge 900 ] && [ "$ms" -le 6000 ] ||
	    atf_fail "removal with stop.timeout=1 took $ms ms"
	atf_check -o match:"^timed out$" cat notes
	jt_wait 5 gone "$bg" || atf_fail "the old jail's process survived"
	in_jail s "$TRAPS_TERM"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -rc name=s \
	    path="$ROOT" persist stop.timeout=0
	[ -e "$ROOT/tmp/got_term" ] && atf_fail "stop.timeout=0 sent SIGTERM"
	jt_wait 5 gone "$bg" || atf_fail "the old jail's process survived"
	atf_check -o inline:"s\n" "$JLS" -j s name
	atf_check -s exit:1 -o empty -e inline:"jail: stop.timeout: non-integer value \"x\"\n" \
	    "$JAIL" -rc name=s path="$ROOT" persist stop.timeout=x
}

