#! /usr/bin/env atf-sh
#
# One jail cannot starve the host or other jails (jail(8), LIMITS): each
# case exhausts one kind of kernel object inside a jail, then checks that
# the limit stopped it where jail(8) says, and that the host and a second
# jail still get that object.
#
# Each case runs under an outer bound of its own, a pids cgroup around
# the whole test (cgroup v1 on hybrid hosts, else cgroup2 when its pids
# controller is there), so that a broken limit fails the test instead of
# taking down the machine the suite runs on.

. "$(atf_get_srcdir)/../integration/common.subr"

MAXPROC=4096	# JAIL_MAXPROC
MAXPTY=256	# JAIL_MAXPTY
OUTER=6000	# well above MAXPROC, well below the host's pid_max

# Put this test, and so every jail it starts, under pids.max=OUTER.
outer_bound()
{
	_pc=$(awk '$9 == "cgroup" && $NF ~ /(^|,)pids(,|$)/ { print $5; exit }' \
	    /proc/self/mountinfo)
	if [ -z "$_pc" ]; then
		_pc=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
		grep -qw pids "$_pc/cgroup.controllers" 2>/dev/null ||
		    atf_skip "no pids controller to bound the test with"
	fi
	OUTER_CG=$_pc/jail-test.$$
	mkdir "$OUTER_CG" || atf_fail "cannot make $OUTER_CG"
	jt_on_cleanup "(for i in \$(seq 100); do rmdir $OUTER_CG && break; sleep 0.1; done) &"
	echo $OUTER > "$OUTER_CG/pids.max"
	echo $$ > "$OUTER_CG/cgroup.procs"
	OUTER_PARENT=$_pc
}

outer_release()
{
	echo $$ > "$OUTER_PARENT/cgroup.procs"
}

# exhaust KIND inside jail $1 in the background; wait for its report.
exhaust_in()	# JAIL KIND OUT
{
	"$JEXEC" "$1" /bin/exhaust "$2" > "$3" 2>&1 &
	jt_track $!
	jt_wait 60 grep -q "^$2 " "$3" || atf_fail "exhaust $2 never reported: $(cat "$3")"
}

field()	# FILE N
{
	awk -v n="$2" '{ print $n; exit }' "$1"
}

setup_two()
{
	jt_init
	outer_bound
	jt_cc exhaust
	mkjail a
	mkjail b
}

jt_case processes "a fork bomb stops at the jail's process limit; the host and another jail fork"
processes_body()
{
	setup_two
	exhaust_in a proc out
	n=$(field out 2)
	e=$(field out 3)
	[ "$e" = 11 ] || atf_fail "fork failed with errno $e, not EAGAIN: $(cat out)"
	# init and the exhausting process count too.
	[ "$n" -le $MAXPROC ] && [ "$n" -ge $((MAXPROC - 8)) ] ||
	    atf_fail "the jail forked $n processes; its limit is $MAXPROC"
	atf_check -o inline:"ok\n" sh -c 'echo ok'
	atf_check -o inline:"ok\n" "$JEXEC" b echo ok
	atf_check -o match:"^proc 50 0\$" "$JEXEC" b /bin/exhaust proc 50 once
	atf_check "$JAIL" -r a
	outer_release
}

jt_case ptys "ptys stop at the jail's devpts limit; the host and another jail get ptys"
ptys_body()
{
	setup_two
	exhaust_in a pty out
	atf_check_equal "pty $MAXPTY 28" "$(cat out)"	# ENOSPC
	atf_check -o inline:"pty 1 0\n" "$JEXEC" b /bin/exhaust pty 1 once
	atf_check -o inline:"pty 1 0\n" "$ROOT/bin/exhaust" pty 1 once
	atf_check "$JAIL" -r a
	outer_release
}

jt_case inotify "inotify instances are counted per jail, not as host root's"
inotify_body()
{
	setup_two
	max=$(cat /proc/sys/fs/inotify/max_user_instances)
	exhaust_in a inotify out
	atf_check_equal "inotify $max 24" "$(cat out)"	# EMFILE
	atf_check -o inline:"inotify 1 0\n" "$JEXEC" b /bin/exhaust inotify 1 once
	atf_check -o inline:"inotify 1 0\n" "$ROOT/bin/exhaust" inotify 1 once
	atf_check "$JAIL" -r a
	outer_release
}

atf_init_test_cases()
{
	for _jt_c in $JT_CASES; do
		atf_add_test_case "$_jt_c"
	done
}
