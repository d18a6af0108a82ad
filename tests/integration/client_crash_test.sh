#! /usr/bin/env atf-sh
#
# Crash safety of the clients and of the prison's helpers (issue 11): the
# client (jail(8), jexec) is killed (SIGKILL) at each step that matters,
# by strace's fault injection into the client alone (strace follows no
# child: the prison, its helpers and the jail's processes run untraced);
# the namespace holder and jail init die where the prison waits on them,
# at the crash points of prison/build.c (JAIL_CRASH_AT).  Whatever the
# step, no command waits forever, and either the jail exists whole (it is
# listed and a command runs in it) or, once the next libjail call has
# swept the registry, nothing of it is left: no prison or helper, cgroup,
# record, socket, uid range, mount or process (jt_leaks).  Its name can be
# used again.

. "$(atf_get_srcdir)/common.subr"

BOUND=20	# seconds a command may take before it counts as hung

# Nothing of the registry's jails is left, after one libjail call.
settled()
{
	"$JLS" > /dev/null 2>&1
	[ -z "$(jt_leaks)" ]
}

listed() { "$JLS" -j "$1" jid > /dev/null 2>&1; }
unlisted() { ! "$JLS" -j "$1" jid > /dev/null 2>&1; }

# The name makes a working jail again.
reuse()		# NAME
{
	atf_check -s exit:0 timeout $BOUND "$JAIL" -c name="$1" path="$ROOT" persist
	atf_check -o inline:"ok\n" timeout $BOUND "$JEXEC" "$1" echo ok
	atf_check -s exit:0 timeout $BOUND "$JAIL" -r "$1"
}

# Nothing is left, and the name is free.
check_gone()	# NAME STEP
{
	jt_wait 10 settled || atf_fail "left after a crash at $2: $(jt_leaks)"
	reuse "$1"
	jt_wait 10 settled || atf_fail "left after reusing $1: $(jt_leaks)"
}

# No process of the command (whose command line has $MARK) runs.
no_command() { [ -z "$(pgrep -f -- "$MARK")" ]; }

# A process in jail NAME for the length of the case, marked $MARK.
start_in()	# NAME
{
	MARK=$JT_WORK/sleeper
	"$JEXEC" "$1" /bin/sh -c 'touch /sleeping; sleep 300; :' "$MARK" &
	JEXEC_PID=$!
	jt_track $JEXEC_PID
	jt_wait 5 test -e "$ROOT/sleeping" ||
	    atf_fail "the process in jail $1 did not start"
}

# Jail NAME exists whole: listed, once, and a command runs in it.
check_whole()	# NAME STEP
{
	jt_wait 10 listed "$1" ||
	    atf_fail "after a crash at $2, $1 is not listed: $(jt_leaks)"
	[ "$("$JLS" jid | wc -l)" -eq 1 ] ||
	    atf_fail "after a crash at $2, jails: $("$JLS" jid name | tr '\n' ' ')"
	atf_check -o inline:"ok\n" timeout $BOUND "$JEXEC" "$1" echo ok
}

# ... and its removal leaves nothing.
check_whole_then_gone()	# NAME STEP
{
	check_whole "$1" "$2"
	atf_check -s exit:0 timeout $BOUND "$JAIL" -r "$1"
	check_gone "$1" "$2"
}

# kill_at CALL N REQUEST CMD...: run CMD under strace, which kills it on
# entering its Nth CALL.  REQUEST (CREATE, UPDATE, GET, REMOVE, ATTACH,
# TERM or none) is the last request to a prison it sent by then, which the trace
# must show: else the case would test another step than its name says.
kill_at()
{
	_ka_call=$1 _ka_n=$2 _ka_req=$3
	shift 3
	command -v strace > /dev/null 2>&1 || atf_skip "strace is needed"
	# No "Killed" notice from the shell: the kill is the point.
	{ timeout -k 5 $BOUND strace -o "$JT_WORK/trace" \
	    -e trace=clone,clone3,wait4,connect,sendmsg,recvmsg,poll,exit_group \
	    -e inject="$_ka_call":signal=KILL:when="$_ka_n" "$@" \
	    > "$JT_WORK/out" 2>&1; } 2> /dev/null
	_ka_st=$?
	[ $_ka_st -ne 124 ] || atf_fail "$* hung before its $_ka_call #$_ka_n"
	# strace dies of its tracee's signal.
	[ $_ka_st -eq 137 ] || atf_fail "$* was not killed at its" \
	    "$_ka_call #$_ka_n (exit $_ka_st): $(cat "$JT_WORK/out")"
	[ "$(tail -n 1 "$JT_WORK/trace")" = "+++ killed by SIGKILL +++" ] ||
	    atf_fail "$* did not die at its $_ka_call #$_ka_n: $(tail -n 3 "$JT_WORK/trace")"
	[ "$(grep -c "^$_ka_call(" "$JT_WORK/trace")" -eq "$_ka_n" ] &&
	    grep -v '^---' "$JT_WORK/trace" | tail -n 2 | head -n 1 |
	    grep -q "^$_ka_call(.* = ?\$" ||
	    atf_fail "$* was killed elsewhere than at its $_ka_call #$_ka_n"
	case $_ka_req in
	none)	_ka_t= ;;
	CREATE)	_ka_t=1 ;;
	UPDATE)	_ka_t=2 ;;
	GET)	_ka_t=3 ;;
	REMOVE)	_ka_t=4 ;;
	ATTACH)	_ka_t=5 ;;
	TERM)	_ka_t='r' ;;	# 13, which strace prints as \r
	*)	atf_fail "kill_at: unknown request $_ka_req" ;;
	esac
	# The header: "JAIL", the protocol's version (lib/proto.h), the
	# type, as strace prints the bytes.
	PROTO_VERSION=$(awk '$2 == "JPROTO_VERSION" { print $3 }' \
	    "$JT_TOP/lib/proto.h")
	_ka_last=$(grep '^sendmsg(' "$JT_WORK/trace" | tail -n 1)
	if [ -z "$_ka_t" ]; then
		[ -z "$_ka_last" ] || atf_fail "$* sent a request before its" \
		    "$_ka_call #$_ka_n: $_ka_last"
	else
		printf '%s\n' "$_ka_last" | grep -qF "iov_base=\"JAIL\\$PROTO_VERSION\\0\\$_ka_t\\0" ||
		    atf_fail "$*: the last request before its $_ka_call" \
		    "#$_ka_n is not $_ka_req: $_ka_last"
	fi
}

# ---------------------------------------------------------------------------
# jail -c of a persistent jail.

create_client()	# CALL N REQUEST
{
	jt_init
	kill_at "$1" "$2" "$3" "$JAIL" -c name=c path="$ROOT" persist
}

jt_case create_client_spawning \
    "jail -c killed while the prison detaches, before any request, leaves nothing"
create_client_spawning_body()
{
	# wait4 #1 reaps the helper that started the prison detached.
	create_client wait4 1 none
	check_gone c "wait4 #1"
}

jt_case create_client_before_request \
    "jail -c killed with the prison started but no request sent leaves nothing"
create_client_before_request_body()
{
	create_client sendmsg 1 CREATE
	check_gone c "sendmsg CREATE"
}

jt_case create_client_after_request \
    "jail -c killed awaiting the reply to its create: the persistent jail is whole"
create_client_after_request_body()
{
	# The request is whole in the prison's socket: the prison builds.
	create_client recvmsg 1 CREATE
	check_whole_then_gone c "recvmsg CREATE"
}

jt_case create_client_after_reply \
    "jail -c killed after the create reply (exiting): the jail is whole"
create_client_after_reply_body()
{
	create_client exit_group 1 CREATE
	check_whole_then_gone c "exit_group"
}

# ---------------------------------------------------------------------------
# jail -c ... command=, no persist: the client's connection holds the jail
# until the command is started; then the command does.  jail(8) starts the
# prison (clone #1, a helper that is gone at once), then forks a child
# that enters the jail and runs the command (clone #2; strace does not
# follow it), and waits for it in poll.

oneshot()	# CALL N REQUEST
{
	jt_init
	MARK=$JT_WORK/oneshot-marker
	kill_at "$1" "$2" "$3" "$JAIL" -c name=o path="$ROOT" command=/bin/sh \
	    -c 'touch /ran; while [ ! -e /go ]; do sleep 0.1; done' "$MARK"
}

# The command never ran, and nothing of the jail is left.
oneshot_never_ran()	# STEP
{
	[ ! -e "$ROOT/ran" ] || atf_fail "the command ran after a crash at $1"
	no_command || atf_fail "the command runs"
	check_gone o "$1"
}

jt_case oneshot_client_after_request \
    "jail -c command= killed awaiting the create reply leaves nothing"
oneshot_client_after_request_body()
{
	oneshot recvmsg 1 CREATE
	oneshot_never_ran "recvmsg CREATE"
}

jt_case oneshot_client_after_reply \
    "jail -c command= killed after the create reply, before forking its command, leaves nothing"
oneshot_client_after_reply_body()
{
	oneshot clone 2 CREATE
	oneshot_never_ran "clone #2"
}

jt_case oneshot_client_entering \
    "jail -c command= killed while its runner enters the jail: no jail once the command ends"
oneshot_client_entering_body()
{
	# The runner may or may not start the command first: if it does,
	# the command runs in the jail and ends at once.
	jt_init
	touch "$ROOT/go"
	MARK=$JT_WORK/oneshot-marker
	kill_at poll 1 CREATE "$JAIL" -c name=o path="$ROOT" command=/bin/sh \
	    -c 'touch /ran; while [ ! -e /go ]; do sleep 0.1; done' "$MARK"
	jt_wait 10 no_command || atf_fail "the command goes on"
	check_gone o "poll #1"
}

# The processes whose command line has MARK: there is one at least, and
# each is inside jail NAME: in its cgroup, and in the pid, user, mount and
# network namespaces of its init.
check_inside()	# NAME MARK
{
	_ci_jid=$("$JLS" -j "$1" jid) || atf_fail "jail $1 is not listed"
	_ci_pids=$(pgrep -f -- "$2")
	[ -n "$_ci_pids" ] || atf_fail "no process of the command"
	for _ci_p in $_ci_pids; do
		_ci_cg=$(sed -n 's/^0:://p' /proc/$_ci_p/cgroup)
		case $_ci_cg in
		*/jail/"$_ci_jid".*/jail|*/jail/"$_ci_jid".*/jail/*) ;;
		*) atf_fail "process $_ci_p is outside jail $_ci_jid's cgroup: $_ci_cg" ;;
		esac
		# <cgroup2>/jail/<jid>.<random>.<prison pid>/jail
		_ci_pr=${_ci_cg#*/jail/"$_ci_jid".}
		_ci_pr=${_ci_pr%%/*}
		_ci_pr=${_ci_pr##*.}
		_ci_init=$(pgrep -P "$_ci_pr" -x init)
		[ -n "$_ci_init" ] || atf_fail "no init under prison $_ci_pr"
		for _ci_ns in pid user mnt net; do
			[ "$(readlink /proc/$_ci_p/ns/$_ci_ns)" = \
			    "$(readlink /proc/$_ci_init/ns/$_ci_ns)" ] ||
			    atf_fail "process $_ci_p is outside the jail's $_ci_ns namespace"
		done
	done
}

jt_case oneshot_client_command_running \
    "jail -c command= killed while its command runs: the command stays in the jail, which ends with it"
oneshot_client_command_running_body()
{
	# jail(8) waits in poll for the child that runs the command: killed
	# there once the command runs (no fault injection: its child is
	# untraced and the moment is the command's).
	jt_init
	MARK=$JT_WORK/oneshot-marker
	"$JAIL" -c name=o path="$ROOT" command=/bin/sh \
	    -c 'touch /ran; while [ ! -e /go ]; do sleep 0.1; done' "$MARK" &
	pid=$!
	jt_track $pid
	jt_wait 10 test -e "$ROOT/ran" || atf_fail "the command did not run"
	kill -KILL $pid
	check_whole o "kill"
	# (jail(8)'s child on the host, which waits for it, has MARK too.)
	check_inside o "^/bin/sh -c touch /ran"
	# The command ends: so does the jail, entirely.
	touch "$ROOT/go"
	jt_wait 10 unlisted o || atf_fail "the jail outlived its command"
	check_gone o "kill"
}

# ---------------------------------------------------------------------------
# jexec.

jexec_client()	# CALL N REQUEST
{
	jt_init
	mkjail c
	MARK=$JT_WORK/jexec-marker
	kill_at "$1" "$2" "$3" "$JEXEC" c /bin/sh \
	    -c 'touch /ran; while [ ! -e /go ]; do sleep 0.1; done' "$MARK"
}

# The command never ran, and the jail is whole.
jexec_never_ran()	# STEP
{
	[ ! -e "$ROOT/ran" ] || atf_fail "the command ran after a crash at $1"
	no_command || atf_fail "the command runs"
	check_whole_then_gone c "$1"
}

jt_case jexec_client_after_request \
    "jexec killed awaiting the reply to its attach leaves the jail whole"
jexec_client_after_request_body()
{
	jexec_client recvmsg 1 ATTACH
	jexec_never_ran "recvmsg ATTACH"
}

jt_case jexec_client_before_command \
    "jexec killed in the jail's namespaces before forking its command leaves the jail whole"
jexec_client_before_command_body()
{
	jexec_client clone3 1 ATTACH
	jexec_never_ran "clone3"
}

jt_case jexec_client_command_running \
    "jexec killed while its command runs: the command stays in the jail and dies with it"
jexec_client_command_running_body()
{
	jexec_client wait4 1 ATTACH
	jt_wait 10 test -e "$ROOT/ran" || atf_fail "the command did not run"
	check_whole c "wait4 #1"
	check_inside c "$MARK"
	atf_check -s exit:0 timeout $BOUND "$JAIL" -r c
	jt_wait 10 no_command || atf_fail "the command outlived its jail"
	check_gone c "wait4 #1"
}

# ---------------------------------------------------------------------------
# jail -r and jail -m.

# A request whose sender died before its prison accepted the connection
# is refused: the prison cannot tell a dead client on the host from a
# jailed one (peer.c), so it does not act for it.  So after a kill that
# follows the request, the jail is either gone or whole and untouched.
# Returns 1 once it is seen gone (and nothing is left), 0 while whole.
refused()	# NAME STEP
{
	if jt_wait 10 unlisted "$1"; then
		check_gone "$1" "$2"
		return 1
	fi
	return 0
}

# jail -r first stops the jail's processes (stop.timeout: a child of
# jail(8) sends TERM and waits, while jail(8) polls), then removes it
# (sendmsg and recvmsg #1, REMOVE).

jt_case remove_client_before_stop \
    "jail -r killed before asking the jail's processes to stop leaves the jail whole"
remove_client_before_stop_body()
{
	jt_init
	mkjail c
	kill_at clone 1 none "$JAIL" -r c
	check_whole_then_gone c "clone"
}

jt_case remove_client_stopping \
    "jail -r killed while the jail's processes are stopping leaves the jail whole"
remove_client_stopping_body()
{
	jt_init
	mkjail c
	start_in c	# something to stop in the jail
	kill_at poll 1 none "$JAIL" -r c
	check_whole_then_gone c "poll"
}

jt_case remove_client_before_request \
    "jail -r killed before sending its request leaves the jail whole"
remove_client_before_request_body()
{
	jt_init
	mkjail c
	kill_at sendmsg 1 REMOVE "$JAIL" -r c
	check_whole_then_gone c "sendmsg REMOVE"
}

jt_case remove_client_after_request \
    "jail -r killed awaiting the reply to its remove: nothing is left, or the jail is whole"
remove_client_after_request_body()
{
	jt_init
	mkjail c
	start_in c	# something in the jail
	kill_at recvmsg 1 REMOVE "$JAIL" -r c
	# Its process ended at SIGTERM, before the remove, so whatever
	# became of the jail, the process is gone.
	if refused c "recvmsg REMOVE"; then
		check_whole_then_gone c "recvmsg REMOVE"
	fi
	timeout $BOUND sh -c "while kill -0 $JEXEC_PID 2>/dev/null; do sleep 0.1; done" ||
	    atf_fail "the jexec in the removed jail hung"
}

jt_case modify_client_before_request \
    "jail -m killed before sending its request leaves the jail whole and unchanged"
modify_client_before_request_body()
{
	jt_init
	mkjail c host.hostname=old
	kill_at sendmsg 1 UPDATE "$JAIL" -m name=c host.hostname=new
	check_whole c "sendmsg UPDATE"
	atf_check -o inline:"old\n" "$JLS" -j c host.hostname
	atf_check -o inline:"old\n" "$JEXEC" c hostname
}

jt_case modify_client_after_request \
    "jail -m killed awaiting its reply leaves the jail whole, changed or not"
modify_client_after_request_body()
{
	jt_init
	mkjail c host.hostname=old
	kill_at recvmsg 1 UPDATE "$JAIL" -m name=c host.hostname=new
	check_whole c "recvmsg UPDATE"
	# What jls says is what the jail has.
	h=$("$JLS" -j c host.hostname)
	case $h in
	old|new) ;;
	*) atf_fail "host.hostname is \"$h\"" ;;
	esac
	atf_check -o inline:"$h\n" "$JEXEC" c hostname
}

jt_case modify_client_rename \
    "jail -m name= killed awaiting its reply: the jail is whole under one name, the other is free"
modify_client_rename_body()
{
	jt_init
	mkjail c
	jid=$("$JLS" -j c jid)
	kill_at recvmsg 1 UPDATE "$JAIL" -m jid="$jid" name=d
	if listed d; then
		now=d other=c
	else
		now=c other=d
	fi
	check_whole $now "recvmsg UPDATE"
	atf_check -o inline:"$jid\n" "$JLS" -j $now jid
	unlisted $other || atf_fail "the jail is listed as both c and d"
	reuse $other
	atf_check -s exit:0 timeout $BOUND "$JAIL" -r $now
	check_gone $now "recvmsg UPDATE"
}

jt_case modify_client_unpersist \
    "jail -m persist=false of an empty jail, killed awaiting its reply: nothing is left, or the jail is whole"
modify_client_unpersist_body()
{
	jt_init
	mkjail c
	kill_at recvmsg 1 UPDATE "$JAIL" -m name=c persist=false
	if refused c "recvmsg UPDATE"; then
		# Still persistent: an empty jail without persist would go.
		atf_check -o inline:"true\n" "$JLS" -j c persist
		check_whole_then_gone c "recvmsg UPDATE"
	fi
}

# ---------------------------------------------------------------------------
# The prison's helpers: the holder of the namespaces and jail init die
# while the prison waits on them; jail -c then fails and says why.

crash_helper()	# STEP MESSAGE
{
	jt_init
	atf_check -s exit:1 -o empty -e match:"$2" env JAIL_CRASH_AT="$1" \
	    timeout $BOUND "$JAIL" -c name=c path="$ROOT" persist
	check_gone c "$1"
}

jt_case holder_unshared \
    "the holder dead before reporting its namespaces: jail -c fails, nothing is left"
holder_unshared_body()
{
	crash_helper holder-unshared "user namespace"
}

jt_case holder_gone \
    "the holder dead before jail init joins its namespaces: jail -c fails, nothing is left"
holder_gone_body()
{
	crash_helper holder-gone "No such process"
}

for step in start rootfs ready; do
	eval "jt_case init_$step \"jail init dead at '$step' while building: jail -c fails, nothing is left\"
	init_${step}_body() { crash_helper init-$step 'jail init died while building'; }"
done

jt_case init_killed \
    "jail init killed from the host: the jail ends entirely, and its jexec returns"
init_killed_body()
{
	jt_init
	mkjail c
	start_in c
	pr=$(jt_prison_of_registry)
	init=$(pgrep -P "$pr" -x init)
	[ -n "$init" ] || atf_fail "no jail init under prison $pr"
	kill -9 "$init"
	jt_wait 10 unlisted c || atf_fail "the jail outlived its init"
	timeout $BOUND sh -c "while kill -0 $JEXEC_PID 2>/dev/null; do sleep 0.1; done" ||
	    atf_fail "jexec hung after the jail's init died"
	no_command || atf_fail "the jail's process outlived its init"
	check_gone c "init killed"
}

jt_case guardian_killed \
    "the prison's guardian killed: the jail stays whole, and its removal is complete"
guardian_killed_body()
{
	jt_init
	mkjail c
	pr=$(jt_prison_of_registry)
	g=$(pgrep -P "$pr" -x prison-guard)
	[ -n "$g" ] || atf_fail "no guardian under prison $pr"
	kill -9 "$g"
	check_whole_then_gone c "the guardian killed"
}

atf_init_test_cases()
{
	for _jt_c in $JT_CASES; do
		atf_add_test_case "$_jt_c"
	done
}
