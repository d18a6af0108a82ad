#! /usr/bin/env atf-sh
#
# Crash safety of the life cycle (issue 11): the prison is killed (SIGKILL)
# at each step of creating and removing a jail, through the named crash
# points of prison/crash.c (JAIL_CRASH_AT).  Whatever the step, the
# command that was waiting returns, and once the next libjail call has
# swept the registry nothing of the jail is left: no prison or helper, no
# cgroup, record, socket, uid range, mount or process (jt_cleanup checks
# each and fails the case otherwise); and its name can be used again.

. "$(atf_get_srcdir)/common.subr"

BOUND=20	# seconds a command may take before it counts as hung

# Nothing of the registry's jails is left, after one libjail call.
settled()
{
	"$JLS" > /dev/null 2>&1
	[ -z "$(jt_leaks)" ]
}

check_gone()	# STEP
{
	jt_wait 10 settled || atf_fail "after a crash at $1: $(jt_leaks)"
	# The name is free, and a jail made with it works.
	atf_check -s exit:0 "$JAIL" -c name=c path="$ROOT" persist
	atf_check -o inline:"ok\n" "$JEXEC" c echo ok
	atf_check "$JAIL" -r c
}

# Creation, killed at STEP: jail -c fails, and does not hang.
crash_create()	# STEP
{
	jt_init
	atf_check -s exit:1 -o ignore -e not-empty env JAIL_CRASH_AT="$1" \
	    timeout $BOUND "$JAIL" -c name=c path="$ROOT" persist
	check_gone "$1"
}

# Removal, killed at STEP: jail -r returns (either way) in bounded time.
crash_remove()	# STEP
{
	jt_init
	atf_check -s exit:0 env JAIL_CRASH_AT="$1" \
	    "$JAIL" -c name=c path="$ROOT" persist
	"$JEXEC" c sleep 300 &
	jt_track $!
	sleep 0.2
	timeout $BOUND "$JAIL" -r c > /dev/null 2>&1
	[ $? -ne 124 ] || atf_fail "jail -r hung at $1"
	check_gone "$1"
}

for step in reserved ids recorded cgroup holder maps init built socket alive; do
	eval "jt_case create_$step \"the prison killed at '$step' while creating leaves nothing\"
	create_${step}_body() { crash_create $step; }"
done
for step in dying killing cgroup-removed released; do
	c=$(echo "$step" | tr - _)
	eval "jt_case remove_$c \"the prison killed at '$step' while removing leaves nothing\"
	remove_${c}_body() { crash_remove $step; }"
done

jt_case stopped_jexec "a stopped jexec neither hangs jail -r nor holds the jail's name"
stopped_jexec_body()
{
	jt_init
	mkjail s
	"$JEXEC" s sleep 300 &
	jp=$!
	jt_track $jp
	jt_wait 5 sh -c "pgrep -f -x 'sleep 300' > /dev/null"
	kill -STOP $jp
	jt_on_cleanup "kill -CONT $jp"
	atf_check -s exit:0 timeout $BOUND "$JAIL" -r s
	# The name is free at once, and the new jail works.
	atf_check -s exit:0 timeout $BOUND "$JAIL" -c name=s path="$ROOT" persist
	atf_check -o inline:"ok\n" timeout $BOUND "$JEXEC" s echo ok
	atf_check -s exit:0 timeout $BOUND "$JAIL" -r s
	# Once jexec can reap its command, the old jail ends entirely.
	kill -CONT $jp
	wait $jp
	jt_wait 10 settled || atf_fail "left after the jexec went on: $(jt_leaks)"
}

jt_case oneshot_client_killed "a killed jail -c ... command= leaves no jail once its command ends"
oneshot_client_killed_body()
{
	jt_init
	"$JAIL" -c name=o path="$ROOT" command=/bin/sh -c 'sleep 2' &
	jc=$!
	jt_track $jc
	jt_wait 5 "$JLS" -j o jid > /dev/null 2>&1 || atf_fail "the jail never appeared"
	atf_check -o inline:"false\n" "$JLS" -j o persist
	kill -9 $jc
	wait $jc
	# The command goes on in the jail; when it ends, so does the jail.
	atf_check -o ignore "$JLS" -j o jid
	jt_wait 10 sh -c "! '$JLS' -j o jid > /dev/null 2>&1" ||
	    atf_fail "the jail outlived its command"
	jt_wait 10 settled || atf_fail "left: $(jt_leaks)"
}

jt_case prison_fds "a prison holds none of its creator's descriptors"
prison_fds_body()
{
	jt_init
	# A pipe handed down by the caller would never see its end while the
	# jail lives, if the prison kept it.
	exec 7> "$JT_WORK/held"
	mkjail p
	exec 7>&-
	for pid in $(jt_prisons); do
		ls -l /proc/$pid/fd 2>/dev/null | grep -q "$JT_WORK/held" &&
		    atf_fail "prison $pid holds the caller's fd 7"
	done
	return 0
}

atf_init_test_cases()
{
	for _jt_c in $JT_CASES; do
		atf_add_test_case "$_jt_c"
	done
}
