#! /usr/bin/env atf-sh
#
# jail(8)'s commands (cmd/jail/command.c): exec.* and command=, on the
# host and in the jail, as FreeBSD's jail(8) runs them (spec §3.2, §4.4):
# how a string becomes an argv, the background "&", the environment,
# the users, exec.consolelog, exec.timeout, and the messages of a command
# that failed.  Driven by build/tests/tools/cmdrun, which runs one step
# of a jail object the way the state machine does.

. "$(atf_get_srcdir)/common.subr"

# Run by "sh -c": lists the fds of that shell (see isolation_test.sh).
LSFD='ls -l /proc/$$/fd; :'

# The test's jail p, its jid in $JID; cmdrun in $CMDRUN.
cmd_init()
{
	jt_init
	CMDRUN=$JT_TOP/build/tests/tools/cmdrun
	[ -x "$CMDRUN" ] || atf_fail "$CMDRUN is missing: run make tests"
	# cmdrun is not beside libexec/ as jail(8) is.
	export JAIL_PRISON="$JT_PRISON"
	mkjail p
	JID=$("$JLS" -j p jid)
	[ -n "$JID" ] || atf_fail "no jid for p"
}

# Check a saved LSFD output: fds 0, 1 and 2, nothing else.
check_fds()	# FILE WHAT
{
	awk '{ for (i = 1; i <= NF; i++) if ($i == "->") print $(i - 1), $(i + 1) }' \
	    "$1" > "$1.fds"
	[ -s "$1.fds" ] || atf_fail "$2: no fds listed: $(cat "$1")"
	while read -r _fd _target; do
		case $_fd in
		0|1|2) ;;
		*) atf_fail "$2: fd $_fd -> $_target reached the command" ;;
		esac
	done < "$1.fds"
}

# The session of process PID.
session_of()
{
	awk '{ sub(/.*\) /, ""); print $4 }' "/proc/$1/stat"
}

# ---------------------------------------------------------------------------
# Command strings

jt_case split_or_shell "a string without a shell special character is split on blanks; with one it goes to /bin/sh -c"
split_or_shell_body()
{
	cmd_init
	# "#" is no special character: echo gets it, where sh would not.
	atf_check -s exit:0 -o inline:"n: run command: echo #x y\n#x y\n" \
	    -e empty "$CMDRUN" -v -N n -s exec.prepare 'exec.prepare=echo  #x	  y'
	atf_check -s exit:0 \
	    -o inline:"n: run command: /bin/sh -c echo a;echo b\na\nb\n" \
	    -e empty "$CMDRUN" -v -N n -s exec.prepare 'exec.prepare=echo a;echo b'
	# "&&" and an "&" not ending the string are the shell's.
	atf_check -s exit:0 -o inline:"n: run command: /bin/sh -c true && echo c\nc\n" \
	    -e empty "$CMDRUN" -v -N n -s exec.prepare 'exec.prepare=true && echo c'
	# The same rules inside the jail.
	atf_check -s exit:0 \
	    -o inline:"n: run command in jail: echo #x y\n#x y\n" -e empty \
	    "$CMDRUN" -v -N n -j "$JID" 'exec.start=echo #x y'
	atf_check -s exit:0 \
	    -o inline:"n: run command in jail: /bin/sh -c echo \$0\n/bin/sh\n" \
	    -e empty "$CMDRUN" -v -N n -j "$JID" 'exec.start=echo $0'
	# Values run in order; blank ones are nothing.
	atf_check -s exit:0 -o inline:"1\n2\n" -e empty "$CMDRUN" -N n \
	    -s exec.prepare 'exec.prepare=echo 1' 'exec.prepare=  ' \
	    'exec.prepare=echo 2'
}

jt_case command_argv "command= of a command-line jail is one argv; in a configuration each value is a command"
command_argv_body()
{
	cmd_init
	atf_check -s exit:0 \
	    -o inline:"run command in jail: /bin/echo a  b c\na  b c\n" -e empty \
	    "$CMDRUN" -v -j "$JID" -s command command=/bin/echo 'command=a  b' \
	    command=c
	atf_check -s exit:0 -o inline:"\$0 x\n" -e empty \
	    "$CMDRUN" -j "$JID" -s command command=/bin/sh command=-c \
	    'command=echo "\$0 $1"' 'command=$0' command=x
	atf_check -s exit:0 -o inline:"1\n2\n" -e empty \
	    "$CMDRUN" -N n -j "$JID" -s command 'command=echo 1' 'command=echo 2'
}

jt_case background "a trailing & runs the command in a session of its own, stdin /dev/null, not waited for"
background_body()
{
	cmd_init
	mysid=$(session_of $$)
	cat > "$JT_WORK/bg.sh" <<-EOF
	#!/bin/sh
	while [ ! -e "$JT_WORK/go" ]; do sleep 0.1; done
	{ readlink /proc/\$\$/fd/0; awk '{ sub(/.*\) /, ""); print \$4 }' /proc/\$\$/stat; } > "$JT_WORK/bg.tmp"
	mv "$JT_WORK/bg.tmp" "$JT_WORK/bg.out"
	EOF
	chmod +x "$JT_WORK/bg.sh"
	# Waited for, it would never end: it waits for us.  Its output is
	# to files: a pipe would stay open as long as the command.
	timeout 20 "$CMDRUN" -v -N n -s exec.prepare \
	    "exec.prepare=$JT_WORK/bg.sh &" > run.out 2> run.err ||
	    atf_fail "cmdrun failed or waited: $(cat run.err)"
	atf_check -o inline:"n: run command: $JT_WORK/bg.sh\n" cat run.out
	atf_check -o empty cat run.err
	touch "$JT_WORK/go"
	jt_wait 10 test -e "$JT_WORK/bg.out" || atf_fail "the command did not run"
	atf_check -o inline:"/dev/null\n" sed -n 1p "$JT_WORK/bg.out"
	sid=$(sed -n 2p "$JT_WORK/bg.out")
	[ "$sid" != "$mysid" ] || atf_fail "the command is in our session $sid"

	# In the jail: the command leads a session there.
	cat > "$ROOT/bin/bgj.sh" <<-'EOF'
	#!/bin/sh
	while [ ! -e /tmp/go ]; do sleep 0.1; done
	{ readlink /proc/$$/fd/0; echo $$; awk '{ sub(/.*\) /, ""); print $4 }' /proc/$$/stat; } > /tmp/bg.tmp
	mv /tmp/bg.tmp /tmp/bg.out
	EOF
	chmod +x "$ROOT/bin/bgj.sh"
	timeout 20 "$CMDRUN" -v -N n -j "$JID" 'exec.start=/bin/bgj.sh&' \
	    > run.out 2> run.err ||
	    atf_fail "cmdrun failed or waited in the jail: $(cat run.err)"
	atf_check -o inline:"n: run command in jail: /bin/bgj.sh\n" cat run.out
	atf_check -o empty cat run.err
	touch "$ROOT/tmp/go"
	jt_wait 10 test -e "$ROOT/tmp/bg.out" || atf_fail "the command did not run in the jail"
	set -- $(cat "$ROOT/tmp/bg.out")
	[ "$1" = /dev/null ] || atf_fail "stdin is $1"
	[ "$2" = "$3" ] || atf_fail "pid $2 is in session $3"
}

# ---------------------------------------------------------------------------
# Environment and users

jt_case env_host "host commands get JID, JNAME and JPATH, none with exec.clean"
env_host_body()
{
	cmd_init
	atf_check -s exit:0 -o inline:"$JID:p:$ROOT\n" -e empty \
	    env JID=stale JNAME=stale "$CMDRUN" -N p -j "$JID" -s exec.prepare \
	    name=p "path=$ROOT" 'exec.prepare=echo "$JID:$JNAME:$JPATH"'
	# Before the jail exists (exec.prepare): no jid, not a stale one.
	atf_check -s exit:0 -o inline:":p:$ROOT\n" -e empty \
	    env JID=stale "$CMDRUN" -N p -s exec.prepare name=p "path=$ROOT" \
	    'exec.prepare=echo "$JID:$JNAME:$JPATH"'
	# exec.clean: none of ours but TERM, root's home and a login PATH.
	atf_check -s exit:0 \
	    -o inline:"::::dumb:root:/root:/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin\n/root\n" \
	    -e empty env FOO=bar TERM=dumb "$CMDRUN" -N p -j "$JID" \
	    -s exec.prepare name=p "path=$ROOT" exec.clean \
	    'exec.prepare=echo "$JID:$JNAME:$JPATH:$FOO:$TERM:$USER:$HOME:$PATH"; pwd'
	# Without exec.clean the working directory is ours.
	atf_check -s exit:0 -o inline:"$JT_WORK\n" -e empty \
	    "$CMDRUN" -N p -s exec.prepare exec.prepare=pwd
}

jt_case env_jail "in-jail commands start in the jail's root with JID, JNAME and JPATH; exec.clean is a login's"
env_jail_body()
{
	cmd_init
	atf_check -s exit:0 -o inline:"$JID:p:$ROOT:bar\n/\n" -e empty \
	    env FOO=bar JID=stale "$CMDRUN" -N p -j "$JID" name=p "path=$ROOT" \
	    'exec.start=echo "$JID:$JNAME:$JPATH:$FOO"; pwd'
	atf_check -s exit:0 \
	    -o inline:"::::/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin:/root:root\n/root\n" \
	    -e empty env FOO=bar JID=stale "$CMDRUN" -N p -j "$JID" name=p \
	    "path=$ROOT" exec.clean \
	    'exec.start=echo "$JID:$JNAME:$JPATH:$FOO:$PATH:$HOME:$USER"; pwd'
}

jt_case system_user "exec.system_user runs host commands as a host user"
system_user_body()
{
	cmd_init
	uid=$(id -u nobody) || atf_skip "no user nobody on the host"
	atf_check -s exit:0 -o inline:"n: run command as nobody: id -u\n$uid\n" \
	    -e empty "$CMDRUN" -v -N n -s exec.prepare exec.system_user=nobody \
	    'exec.prepare=id -u'
	# It is no in-jail user.
	atf_check -s exit:0 -o inline:"0\n" -e empty "$CMDRUN" -N n -j "$JID" \
	    exec.system_user=nobody 'exec.start=id -u'
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: n: nosuchuser: no such user\n" \
	    "$CMDRUN" -N n -s exec.prepare exec.system_user=nosuchuser \
	    'exec.prepare=id -u'
}

jt_case jail_user "exec.jail_user runs in-jail commands as a user of the jail, or of the host with exec.system_jail_user"
jail_user_body()
{
	cmd_init
	# jailuser (1001) is only in the jail's passwd (tools/mkroot).
	atf_check -s exit:0 \
	    -o inline:"n: run command in jail as jailuser: id -u\n1001\n" \
	    -e empty "$CMDRUN" -v -N n -j "$JID" exec.jail_user=jailuser \
	    'exec.start=id -u'
	atf_check -s exit:0 -o inline:"1001:jailuser:/tmp\n/tmp\n" -e empty \
	    "$CMDRUN" -N n -j "$JID" exec.jail_user=jailuser exec.clean \
	    'exec.start=echo "$(id -u):$USER:$HOME"; pwd'
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: n: nosuch: no such user in the jail\n" \
	    "$CMDRUN" -N n -j "$JID" exec.jail_user=nosuch 'exec.start=id -u'
	uid=$(id -u nobody) || atf_skip "no user nobody on the host"
	atf_check -s exit:0 -o inline:"$uid\n" -e empty "$CMDRUN" -N n \
	    -j "$JID" exec.jail_user=nobody exec.system_jail_user \
	    'exec.start=id -u'
}

# ---------------------------------------------------------------------------
# exec.consolelog

jt_case consolelog "exec.consolelog receives the output of in-jail commands, in a file made 0600"
consolelog_body()
{
	cmd_init
	atf_check -s exit:0 -o empty -e empty "$CMDRUN" -N n -j "$JID" \
	    "exec.consolelog=$JT_WORK/log" "exec.start=echo out; echo err >&2; $LSFD"
	atf_check -o match:'^-rw-------' ls -l "$JT_WORK/log"
	atf_check -o inline:"out\nerr\n" sed -n 1,2p "$JT_WORK/log"
	check_fds "$JT_WORK/log" "exec.consolelog"
	grep -q '0 -> /dev/null' "$JT_WORK/log" || atf_fail "stdin is not /dev/null"
	# Appended to; host commands are not logged.
	atf_check -s exit:0 -o inline:"host\n" -e empty "$CMDRUN" -N n \
	    -j "$JID" "exec.consolelog=$JT_WORK/log" -s exec.prepare \
	    'exec.prepare=echo host'
	atf_check -s exit:0 -o empty -e empty "$CMDRUN" -N n -j "$JID" \
	    "exec.consolelog=$JT_WORK/log" 'exec.start=echo again'
	atf_check -o inline:"out\nerr\n" sed -n 1,2p "$JT_WORK/log"
	atf_check -o inline:"again\n" tail -n 1 "$JT_WORK/log"
	# Below the jail's path, as the jail's processes could make it.
	atf_check -s exit:0 -o empty -e empty "$CMDRUN" -N n -j "$JID" \
	    name=p "path=$ROOT" "exec.consolelog=$ROOT/tmp/log" 'exec.start=echo in'
	atf_check -o inline:"in\n" cat "$ROOT/tmp/log"
}

jt_case consolelog_reopen "the jail cannot reopen exec.consolelog through /proc for reading or writing"
consolelog_reopen_body()
{
	cmd_init
	# Its descriptor is all it gets: the file's mode (0600, host root's)
	# leaves the jail's ids nothing through the magic link.
	atf_check -s exit:0 -o empty -e empty "$CMDRUN" -N n -j "$JID" \
	    "exec.consolelog=$JT_WORK/log" \
	    'exec.start=for m in "<" ">>"; do if eval "(exec 3$m /proc/\$\$/fd/1) 2>/dev/null"; then echo "reopened $m"; else echo "refused $m"; fi; done'
	atf_check -o inline:"refused <\nrefused >>\n" cat "$JT_WORK/log"
}

jt_case consolelog_refused "exec.consolelog is never reached through a link the jail could make"
consolelog_refused_body()
{
	cmd_init
	echo secret > "$JT_WORK/hostfile"
	ln -s "$JT_WORK/hostfile" "$ROOT/tmp/sym"
	ln -s "$JT_WORK" "$ROOT/tmp/dirsym"
	ln "$JT_WORK/hostfile" "$ROOT/tmp/hard"
	mkfifo "$ROOT/tmp/fifo"
	for case in "sym:a symbolic link below the jail's path" \
	    "dirsym/hostfile:a symbolic link below the jail's path" \
	    "hard:has more than one link" \
	    "fifo:not a regular file" \
	    "../../hostfile:outside the jail's path"; do
		f=$ROOT/tmp/${case%%:*}
		atf_check -s exit:1 -o empty \
		    -e inline:"jail: n: exec.consolelog: $f: ${case#*:}\n" \
		    "$CMDRUN" -N n -j "$JID" name=p "path=$ROOT" \
		    "exec.consolelog=$f" 'exec.start=echo leaked'
	done
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: n: exec.consolelog: log: not an absolute pathname\n" \
	    "$CMDRUN" -N n -j "$JID" exec.consolelog=log 'exec.start=echo leaked'
	atf_check -o inline:"secret\n" cat "$JT_WORK/hostfile"
}

# ---------------------------------------------------------------------------
# Failures and exec.timeout

jt_case failures "a command that fails or is killed is reported as FreeBSD's jail(8) does"
failures_body()
{
	cmd_init
	atf_check -s exit:1 -o empty -e inline:"jail: n: false: failed\n" \
	    "$CMDRUN" -N n -s exec.prepare exec.prepare=false 'exec.prepare=echo no'
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: n: /bin/sh -c kill -9 \$\$: exited on signal 9\n" \
	    "$CMDRUN" -N n -s exec.prepare 'exec.prepare=kill -9 $$'
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: n: /bin/sh -c exit 3;: failed\n" \
	    "$CMDRUN" -N n -j "$JID" 'exec.start=exit 3;'
	# Split, "exit" is a program to find, in the jail.  A command that
	# could not start is not said to have failed too.
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: n: execvp: exit: No such file or directory\n" \
	    "$CMDRUN" -N n -j "$JID" 'exec.start=exit 3'
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: n: /bin/sh -c kill -TERM \$\$: exited on signal 15\n" \
	    "$CMDRUN" -N n -j "$JID" 'exec.start=kill -TERM $$'
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: n: exec /nonexistent: No such file or directory\n" \
	    "$CMDRUN" -N n -s exec.prepare exec.prepare=/nonexistent
	# Without a configuration name, messages are bare.
	atf_check -s exit:1 -o empty -e inline:"jail: false: failed\n" \
	    "$CMDRUN" -s exec.prepare exec.prepare=false
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: n: exec.start: the jail is not running\n" \
	    "$CMDRUN" -N n 'exec.start=echo no'
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: n: exec.fib: 1: Linux has no routing FIBs (only 0)\n" \
	    "$CMDRUN" -N n -j "$JID" exec.fib=1 'exec.start=echo no'
	atf_check -s exit:0 -o inline:"yes\n" -e empty \
	    "$CMDRUN" -N n -j "$JID" exec.fib=0 'exec.start=echo yes'
}

# Whether a process with this exact command line is left.
no_process()	# ARGS
{
	! pgrep -x -f "$1" > /dev/null
}

jt_case timeout_host "exec.timeout: a host command that overruns it is killed with its pipeline"
timeout_host_body()
{
	cmd_init
	n=$((100000 + $$))
	start=$(date +%s)
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: n: /bin/sh -c sleep $n | cat: timed out\n" \
	    "$CMDRUN" -N n -s exec.prepare exec.timeout=1 "exec.prepare=sleep $n | cat"
	[ $(($(date +%s) - start)) -lt 10 ] || atf_fail "the timeout took too long"
	jt_wait 5 no_process "sleep $n" || atf_fail "sleep $n is left: $(pgrep -af "sleep $n")"
	# In time, nothing is said.
	atf_check -s exit:0 -o inline:"done\n" -e empty "$CMDRUN" -N n \
	    -s exec.prepare exec.timeout=5 'exec.prepare=echo done'
}

jt_case timeout_jail "exec.timeout: an in-jail command that overruns it is killed in the jail, even ignoring SIGTERM"
timeout_jail_body()
{
	cmd_init
	n=$((200000 + $$))
	atf_check -s exit:1 -o empty -e inline:"jail: n: sleep $n: timed out\n" \
	    "$CMDRUN" -N n -j "$JID" exec.timeout=1 "exec.start=sleep $n"
	jt_wait 5 no_process "sleep $n" || atf_fail "sleep $n is left in the jail"
	n=$((n + 1))
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: n: /bin/sh -c trap '' TERM; sleep $n | cat: timed out\n" \
	    "$CMDRUN" -N n -j "$JID" exec.timeout=1 \
	    "exec.start=trap '' TERM; sleep $n | cat"
	jt_wait 5 no_process "sleep $n" || atf_fail "sleep $n is left in the jail"
	# The jail is still there, and so is what it ran before.
	atf_check -s exit:0 -o inline:"ok\n" -e empty "$JEXEC" p echo ok
}

# ---------------------------------------------------------------------------
# Descriptors

jt_case no_host_fds "no descriptor of jail(8)'s but 0-2 reaches a command, on the host or in the jail"
no_host_fds_body()
{
	cmd_init
	atf_check -s exit:0 -o save:host.out -e empty "$CMDRUN" -F -N n \
	    -s exec.prepare "exec.prepare=$LSFD"
	check_fds host.out "host command"
	atf_check -s exit:0 -o save:jail.out -e empty "$CMDRUN" -F -N n \
	    -j "$JID" "exec.start=$LSFD"
	check_fds jail.out "in-jail command"
	atf_check -s exit:0 -o save:cmd.out -e empty "$CMDRUN" -F -j "$JID" \
	    -s command command=/bin/sh command=-c "command=$LSFD"
	check_fds cmd.out "command="
}

# ---------------------------------------------------------------------------
# stop.timeout

jt_case stop_timeout "stop.timeout is an integer; 0 or a jail not running waits for nothing"
stop_timeout_body()
{
	cmd_init
	atf_check -s exit:0 -o empty -e empty "$CMDRUN" -N p -j "$JID" -T
	atf_check -s exit:0 -o empty -e empty "$CMDRUN" -N p -j "$JID" -T \
	    stop.timeout=0
	atf_check -s exit:0 -o empty -e empty "$CMDRUN" -N p -T stop.timeout=3
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: p: stop.timeout: non-integer value \"x\"\n" \
	    "$CMDRUN" -N p -j "$JID" -T stop.timeout=x
}

# ---------------------------------------------------------------------------
# Through jail(8) itself

jt_case jail8_commands "jail -c runs its commands on the host and in the jail, command= as one argv"
jail8_commands_body()
{
	cmd_init
	atf_check -s exit:0 -o save:out -e empty "$JAIL" -v -c name=e \
	    "path=$ROOT" 'exec.prestart=echo pre $JNAME' 'exec.start=echo #start' \
	    'exec.poststart=echo post $JID' command=/bin/echo a '  b'
	jid=$(sed -n 's/^post //p' out)
	[ -n "$jid" ] || atf_fail "no JID in exec.poststart: $(cat out)"
	atf_check -o inline:"run command: /bin/sh -c echo pre \$JNAME\npre e\n" \
	    sed -n 1,2p out
	atf_check -o match:"^run command in jail: echo #start\$" cat out
	atf_check -o match:"^#start\$" cat out
	atf_check -o match:"^run command in jail: /bin/echo a   b\$" cat out
	atf_check -o match:"^a   b\$" cat out
	atf_check -o match:"^run command: /bin/sh -c echo post \\\$JID\$" cat out
}

jt_case jail8_timeout "jail -c fails when a command overruns exec.timeout, and leaves nothing running"
jail8_timeout_body()
{
	cmd_init
	n=$((300000 + $$))
	atf_check -s exit:1 -o empty -e inline:"jail: sleep $n: timed out\n" \
	    "$JAIL" -c name=e "path=$ROOT" exec.timeout=1 "exec.start=sleep $n"
	jt_wait 5 no_process "sleep $n" || atf_fail "sleep $n is left"
	atf_check -s exit:1 -o ignore -e ignore "$JLS" -j e
}
