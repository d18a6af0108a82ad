#! /usr/bin/env atf-sh
#
# What a command is handed when it enters a jail through jexec(8) or
# jail(8)'s command= and exec.start: never a host terminal (a terminal of
# the jail's own devpts is relayed instead), never a host directory as
# stdio, never a working directory outside the jail.  Spec: DESIGN.md
# section 9, escapes.md ("Entering a running jail safely" and the
# checklist items on terminals, stdio and the cwd).
#
# The terminal tests run jexec and jail on a terminal of their own, driven
# by helpers/ptydrive (built on the host): see its usage for -w, -i, -a,
# -p, -s, -z and -R.  Its output has carriage returns removed.

. "$(atf_get_srcdir)/common.subr"

# Run by "sh -c": lists the fds of that shell (see isolation_test.sh).
LSFD='ls -l /proc/$$/fd; :'

# The devpts instance of the host's /dev/pts.
host_pts_dev()
{
	stat -c %d /dev/pts
}

# ---------------------------------------------------------------------------
# A terminal of the jail's own

jt_case tty_jail_devpts "with a terminal, the command's stdio is a pty of the jail's own devpts"
tty_jail_devpts_body()
{
	jt_init
	jt_cc_host ptydrive
	mkjail p
	atf_check -s exit:0 -o save:out -e save:drv "$JT_WORK/ptydrive" -s \
	    "$JEXEC" p sh -c 'for fd in 0 1 2; do readlink /proc/self/fd/$fd; done
		stat -L -c %d /proc/self/fd/0; stat -c %d /dev/pts
		stat -f -c %T /proc/self/fd/0; tty'
	set -- $(cat out)
	[ $# -eq 7 ] || atf_fail "unexpected output: $(cat out)"
	for t in "$1" "$2" "$3" "$7"; do
		case $t in
		/dev/pts/[0-9]*) ;;
		*) atf_fail "stdio is $t, not a pty of the jail: $(cat out)" ;;
		esac
	done
	[ "$1" = "$7" ] || atf_fail "tty says $7, fd 0 is $1"
	[ "$4" = "$5" ] || atf_fail "fd 0 is on device $4, the jail's /dev/pts is $5"
	[ "$4" != "$(host_pts_dev)" ] || atf_fail "fd 0 is a pty of the host's devpts"
	drv_dev=$(sed -n 's/^tty=.* dev=//p' drv)
	[ "$4" != "$drv_dev" ] || atf_fail "fd 0 is the driver's terminal's devpts"
	[ "$6" = devpts ] || atf_fail "fd 0 is on a $6 file system"
}

jt_case tty_output_status "with a terminal, output and exit status pass through"
tty_output_status_body()
{
	jt_init
	jt_cc_host ptydrive
	mkjail p
	atf_check -s exit:7 -o inline:"hello\nworld\n" -e empty \
	    "$JT_WORK/ptydrive" "$JEXEC" p sh -c 'echo hello; echo world >&2; exit 7'
	atf_check -s exit:0 -o inline:"ok\n" -e empty \
	    "$JT_WORK/ptydrive" "$JEXEC" p echo ok
}

jt_case tty_owner "with a terminal, the pty is the command's user's and the tty group's, as login(1) leaves it"
tty_owner_body()
{
	jt_init
	jt_cc_host ptydrive
	mkjail p
	uid=$("$JEXEC" -U jailuser p id -u)
	[ -n "$uid" ] && [ "$uid" != 0 ] || atf_fail "no jailuser in the jail"
	# Not nobody (65534): host root, who opens it, has no id in the jail.
	atf_check -o inline:"$uid 5 620\n" -e empty "$JT_WORK/ptydrive" \
	    "$JEXEC" -U jailuser p sh -c 'stat -c "%u %g %a" $(tty)'
	atf_check -o inline:"0 5 620\n" -e empty "$JT_WORK/ptydrive" \
	    "$JEXEC" p sh -c 'stat -c "%u %g %a" $(tty)'
}

jt_case tty_input "with a terminal, what is typed reaches the command"
tty_input_body()
{
	jt_init
	jt_cc_host ptydrive
	mkjail p
	atf_check -s exit:0 -o match:'^got:abc$' -e empty \
	    "$JT_WORK/ptydrive" -w ready -i 'abc\r' \
	    "$JEXEC" p sh -c 'echo ready; read x; echo "got:$x"'
}

jt_case tty_interrupt "with a terminal, ^C interrupts the command in the jail"
tty_interrupt_body()
{
	jt_init
	jt_cc_host ptydrive
	mkjail p
	# ^C travels as a byte to the jail's terminal, whose line discipline
	# signals the command: jexec exits 128 + SIGINT.
	atf_check -s exit:130 -o match:'ready' -e empty \
	    "$JT_WORK/ptydrive" -t 20 -w ready -i '\003' \
	    "$JEXEC" p sh -c 'echo ready; sleep 100'
}

jt_case tty_winsize "with a terminal, its size is copied and resizes are passed on"
tty_winsize_body()
{
	jt_init
	jt_cc_host ptydrive
	mkjail p
	atf_check -s exit:0 -o save:out -e empty \
	    "$JT_WORK/ptydrive" -z 24x80 -w ready -R 40x100 -i '\r' \
	    "$JEXEC" p sh -c 'stty size; echo ready; read x; stty size'
	atf_check -o inline:"24 80\n40 100\n" grep -x '[0-9]* [0-9]*' out
}

jt_case tty_fds "with a terminal, the command holds only fds 0, 1 and 2"
tty_fds_body()
{
	jt_init
	jt_cc_host ptydrive
	mkjail p
	atf_check -s exit:0 -o save:fds -e empty \
	    "$JT_WORK/ptydrive" "$JEXEC" p sh -c "$LSFD"
	awk '{ for (i = 1; i <= NF; i++) if ($i == "->") print $(i - 1), $(i + 1) }' \
	    fds > fds.list
	while read -r fd target; do
		case $fd:$target in
		[012]:/dev/pts/[0-9]*) ;;
		*) atf_fail "fd $fd -> $target in the jail: $(cat fds)" ;;
		esac
	done < fds.list
	[ "$(wc -l < fds.list)" -eq 3 ] || atf_fail "not three fds: $(cat fds)"
}

jt_case tty_left_behind "a process left in the jail cannot read what is typed after jexec returns"
tty_left_behind_body()
{
	jt_init
	jt_cc_host ptydrive
	mkjail p
	# Two readers outlive the command, ignoring SIGHUP: one on the
	# command's fd 0, one on /dev/tty.  After jexec has returned, the
	# driver types a secret on the terminal jexec ran on.
	atf_check -s exit:0 -o ignore -e save:drv \
	    "$JT_WORK/ptydrive" -p -a 'SECRET\r' "$JEXEC" p sh -c '
		trap "" HUP
		exec 3<&0
		cat <&3 > /leak0 &
		(cat < /dev/tty > /leak1) &
		sleep 0.5'
	for f in leak0 leak1; do
		[ -f "$ROOT/$f" ] || atf_fail "the reader of $f did not start"
		if grep -q SECRET "$ROOT/$f"; then
			atf_fail "a process left in the jail read the terminal ($f)"
		fi
	done
	# The secret is still waiting on the terminal, unread.
	atf_check -o inline:"pending=7\n" cat drv
}

jt_case tty_tiocsti "TIOCSTI in the jail cannot push input into the caller's terminal"
tty_tiocsti_body()
{
	jt_init
	jt_cc jt_helper
	jt_cc_host ptydrive
	mkjail p
	atf_check -s exit:0 -o match:'sti=' -e save:drv \
	    "$JT_WORK/ptydrive" -p "$JEXEC" p /bin/jt_helper tiocsti
	atf_check -o inline:"pending=0\n" cat drv
	atf_check -s exit:0 -o match:'sti=' -e save:drv2 \
	    "$JT_WORK/ptydrive" -p "$JAIL" -c name=s path="$ROOT" \
	    command=/bin/jt_helper tiocsti
	atf_check -o inline:"pending=0\n" cat drv2
}

jt_case tty_redirected "only the fds that are terminals get the jail's terminal"
tty_redirected_body()
{
	jt_init
	jt_cc_host ptydrive
	mkjail p
	# stdin a terminal, stdout redirected: stdout stays the file.
	atf_check -s exit:0 -o empty -e empty "$JT_WORK/ptydrive" sh -c \
	    "\"$JEXEC\" p sh -c 'test -t 0 && tty; test -t 1 || echo file' > out"
	atf_check -o match:'^/dev/pts/[0-9]+$' -o match:'^file$' cat out
	# stdin a pipe, stdout a terminal: stdin stays the pipe, and stdout
	# is still not the host's terminal.
	atf_check -s exit:0 -o save:out2 -e empty "$JT_WORK/ptydrive" sh -c \
	    "echo data | \"$JEXEC\" p sh -c 'cat; test -t 0 || echo pipe
		stat -L -c %d /proc/self/fd/1; stat -c %d /dev/pts'"
	set -- $(cat out2)
	[ "$1 $2" = "data pipe" ] || atf_fail "unexpected: $(cat out2)"
	[ "$3" = "$4" ] || atf_fail "stdout is not a pty of the jail: $(cat out2)"
}

jt_case descriptor_nobody "uid nobody runs a command in a jail with jexec -D and a root-made descriptor, as itself, with a terminal of the jail's own"
descriptor_nobody_body()
{
	jt_init
	jt_cc_libjail withdesc
	jt_cc_host ptydrive
	mkjail n
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	chmod 755 "$JT_WORK"
	atf_check -o inline:"65534 65534\n" "$JT_WORK/withdesc" n $nobody \
	    "$JEXEC" -D 3 /bin/sh -c 'echo $(id -u) $(id -g)'
	atf_check -s exit:7 "$JT_WORK/withdesc" n $nobody \
	    "$JEXEC" -D 3 /bin/sh -c 'exit 7'
	# A closed stdio stays closed: not the prison's, nor the channel.
	atf_check -o inline:"closed\n" "$JT_WORK/withdesc" n $nobody \
	    "$JEXEC" -D 3 /bin/sh -c \
	    'if [ -e /proc/self/fd/0 ]; then ls -l /proc/self/fd/0; else echo closed; fi' \
	    <&-
	# Without a descriptor, or with one lacking the spawn right: refused.
	atf_check -s exit:1 -e match:'only root can enter a jail' \
	    $nobody "$JEXEC" n true
	atf_check -s exit:1 -e match:'lacks the right' "$JT_WORK/withdesc" n \
	    -l 0x0f $nobody "$JEXEC" -D 3 true
	atf_check -s exit:1 -e match:'not a descriptor number' \
	    $nobody "$JEXEC" -D x true
	# A terminal: the jail's own, relayed.
	atf_check -s exit:0 -o save:out -e empty "$JT_WORK/ptydrive" \
	    "$JT_WORK/withdesc" n $nobody "$JEXEC" -D 3 /bin/sh -c \
	    'tty; stat -L -c %d /proc/self/fd/0; stat -c %d /dev/pts'
	set -- $(cat out)
	case "$1" in
	/dev/pts/[0-9]*) ;;
	*) atf_fail "not a pty of the jail: $(cat out)" ;;
	esac
	[ "$2" = "$3" ] || atf_fail "fd 0 is on device $2, the jail's /dev/pts is $3"
	[ "$2" != "$(host_pts_dev)" ] || atf_fail "fd 0 is a pty of the host's devpts"
	# Input reaches it through the relay.
	atf_check -s exit:0 -o match:'^got:xyz$' -e empty \
	    "$JT_WORK/ptydrive" -w ready -i 'xyz\r' "$JT_WORK/withdesc" n \
	    $nobody "$JEXEC" -D 3 /bin/sh -c 'echo ready; read a; echo got:$a'
}

jt_case tty_command "jail -c command= and exec.start get a terminal of the jail's own"
tty_command_body()
{
	jt_init
	jt_cc_host ptydrive
	atf_check -s exit:0 -o save:out -e empty "$JT_WORK/ptydrive" \
	    "$JAIL" -c name=c path="$ROOT" 'exec.start=tty' command=/bin/sh -c \
	    'tty; stat -L -c %d /proc/self/fd/0; stat -c %d /dev/pts'
	set -- $(cat out)
	case "$1 $2" in
	/dev/pts/[0-9]*" "/dev/pts/[0-9]*) ;;
	*) atf_fail "not a pty of the jail: $(cat out)" ;;
	esac
	[ "$3" = "$4" ] || atf_fail "fd 0 is on device $3, the jail's /dev/pts is $4"
	[ "$3" != "$(host_pts_dev)" ] || atf_fail "fd 0 is a pty of the host's devpts"
	# Input reaches a command= through jail(8)'s relay.
	atf_check -s exit:0 -o match:'^got:xyz$' -e empty \
	    "$JT_WORK/ptydrive" -w ready -i 'xyz\r' "$JAIL" -c name=d \
	    path="$ROOT" command=/bin/sh -c 'echo ready; read a; echo got:$a'
	# jail(8)'s own messages go to the terminal it was started on.
	atf_check -s exit:1 -o match:'^jail: .*failed$' -e empty \
	    "$JT_WORK/ptydrive" "$JAIL" -c name=e path="$ROOT" \
	    command=/bin/sh -c 'exit 3'
}

jt_case tty_exec_background "a background exec.start gets no terminal input"
tty_exec_background_body()
{
	jt_init
	jt_cc_host ptydrive
	# Without a shell special character: "&" is then jail(8)'s, not
	# sh's, as in FreeBSD (with one the whole string goes to sh -c).
	printf '#!/bin/sh\ntest -t 0 || echo bg-no-tty\ntest -t 1 && echo bg-out-tty\n' \
	    > "$ROOT/bin/bgtty"
	chmod +x "$ROOT/bin/bgtty"
	atf_check -s exit:0 -o save:out -e empty "$JT_WORK/ptydrive" \
	    "$JAIL" -c name=b path="$ROOT" 'exec.start=/bin/bgtty &' \
	    command=/bin/sh -c 'sleep 1; echo main'
	atf_check -o match:'^bg-no-tty$' -o match:'^bg-out-tty$' \
	    -o match:'^main$' cat out
}

jt_case notty_pipes "without a terminal, stdio is passed as it is and no pty is made"
notty_pipes_body()
{
	jt_init
	mkjail p
	atf_check -s exit:0 -o save:out -e empty -x \
	    "echo data | \"$JEXEC\" p sh -c 'cat; readlink /proc/self/fd/0' | cat"
	atf_check -o match:'^data$' -o match:'^pipe:' cat out
	atf_check -s exit:0 -o inline:"ptmx\n" -e empty "$JEXEC" p ls /dev/pts
	atf_check -s exit:5 -o empty -e empty "$JEXEC" p sh -c 'exit 5' < /dev/null
}

# ---------------------------------------------------------------------------
# No host directory as stdio

jt_case stdio_directory "a directory as stdin, stdout or stderr is refused before entering"
stdio_directory_body()
{
	jt_init
	jt_cc_host opath
	mkjail p
	atf_check -s exit:1 -o empty \
	    -e inline:"jexec: standard input is a directory\n" \
	    -x "\"$JEXEC\" p sh -c 'ls ..' < /"
	atf_check -s exit:1 -o empty \
	    -e inline:"jexec: standard output is a directory\n" \
	    -x "\"$JEXEC\" p true 1< /"
	# The message cannot be written to a directory: the status says it.
	atf_check -s exit:1 -o empty -x "\"$JEXEC\" p true 2< /proc/1"
	atf_check -s exit:1 -o empty \
	    -e inline:"jexec: standard input is a directory\n" \
	    -x "\"$JEXEC\" p true < /proc/self"
	atf_check -s exit:1 -o empty \
	    -e inline:"jexec: standard input is a directory\n" \
	    -x "\"$JEXEC\" -d /proc/self/fd/0 p pwd < /"
	# O_PATH: a directory is a directory; anything else is refused too.
	atf_check -s exit:1 -o empty \
	    -e inline:"jexec: standard input is a directory\n" \
	    "$JT_WORK/opath" / 0 "$JEXEC" p true
	atf_check -s exit:1 -o empty \
	    -e inline:"jexec: standard input is an O_PATH descriptor\n" \
	    "$JT_WORK/opath" /etc/passwd 0 "$JEXEC" p true
	# jail(8): refused, and the jail it made is gone.
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: standard input is a directory\n" \
	    -x "\"$JAIL\" -c name=q path=\"$ROOT\" command=/bin/true < /"
	atf_check -s exit:1 -o ignore -e ignore "$JLS" -j q
}

# ---------------------------------------------------------------------------
# The working directory is inside the jail

jt_case cwd_outside "a working directory reached through /proc outside the jail is refused"
cwd_outside_body()
{
	jt_init
	jt_cc jt_helper
	mkjail p
	mkdir host_dir
	# A jailed process whose cwd is a host directory, passed to it by a
	# host process over a socket in the jail's root.
	"$ROOT/bin/jt_helper" fdsend "$ROOT/fd.sock" "$(pwd)/host_dir" &
	jt_track $!
	jt_wait 5 test -S "$ROOT/fd.sock" || atf_fail "fdsend did not start"
	"$JEXEC" p /bin/jt_helper fdcwd /fd.sock > cwd.out 2>&1 &
	jt_track $!
	jt_wait 10 grep -q '^ready ' cwd.out || atf_fail "fdcwd: $(cat cwd.out)"
	pid=$(awk '/^ready / { print $2 }' cwd.out)
	atf_check -s exit:0 -o match:"host_dir" "$JEXEC" p readlink /proc/$pid/cwd
	atf_check -s exit:1 -o empty \
	    -e inline:"jexec: chdir /proc/$pid/cwd: not inside the jail\n" \
	    "$JEXEC" -d /proc/$pid/cwd p ls
	# A login home that leads there is refused the same way.
	echo "far:x:0:0::/proc/$pid/cwd:/bin/sh" >> "$ROOT/etc/passwd"
	atf_check -s exit:1 -o empty \
	    -e inline:"jexec: chdir /proc/$pid/cwd: not inside the jail\n" \
	    "$JEXEC" -l -U far p ls
	# The caller's fds are not there to be reached.
	atf_check -s exit:1 -o empty -e match:'chdir /proc/self/fd/3' \
	    -x "\"$JEXEC\" -d /proc/self/fd/3 p pwd 3< /"
	# Directories of the jail still work, also through /proc.
	atf_check -o inline:"/tmp\n" "$JEXEC" -d /tmp p pwd
	atf_check -o inline:"/tmp\n" "$JEXEC" -d tmp p pwd
	atf_check -o inline:"/tmp\n" "$JEXEC" -d /proc/self/root/tmp p pwd
}

# ---------------------------------------------------------------------------
# The environment: FreeBSD's jexec.  -l: a login's, nothing of the caller's
# but TERM; -u or -U: the caller's, with the user's PATH (the login class's),
# HOME, USER and SHELL; neither: the caller's, untouched.

LOGIN_PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin

# env_of [VAR=value...] -- JEXEC-ARGS...: the environment a command gets
# from a caller with only JAIL_REGISTRY and the VARs, sorted, in env.out.
env_of()
{
	_vars=
	while [ "$1" != -- ]; do
		_vars="$_vars $1"
		shift
	done
	shift
	atf_check -s exit:0 -o save:env.raw -e empty \
	    env -i JAIL_REGISTRY="$JAIL_REGISTRY" $_vars "$JEXEC" "$@" env
	sort env.raw > env.out
}

jt_case env_login "jexec -l: PATH, HOME, USER, SHELL of the user and the caller's TERM, nothing else"
env_login_body()
{
	jt_init
	mkjail e
	env_of FOO=bar TERM=vt100 HOME=/elsewhere PATH=/x -- -l -U jailuser e
	atf_check -o inline:"HOME=/tmp\nPATH=$LOGIN_PATH\nSHELL=/bin/sh\nTERM=vt100\nUSER=jailuser\n" \
	    cat env.out
	# Without TERM in the caller's environment, none.
	env_of FOO=bar -- -l e
	atf_check -o inline:"HOME=/root\nPATH=$LOGIN_PATH\nSHELL=/bin/sh\nUSER=root\n" \
	    cat env.out
	# A home that is not there fails the login, as FreeBSD's chdir does,
	# unless -d says where to start.
	atf_check -s exit:1 -o empty -e match:'nonexistent' \
	    "$JEXEC" -l -U nobody e env
	env_of FOO=bar -- -l -d / -U nobody e
	atf_check -o inline:"HOME=/nonexistent\nPATH=$LOGIN_PATH\nSHELL=/bin/sh\nUSER=nobody\n" \
	    cat env.out
	# An empty shell in the passwd entry is /bin/sh.
	echo "noshell:x:1002:1002::/tmp:" >> "$ROOT/etc/passwd"
	env_of -- -l -U noshell e
	atf_check -o match:'^SHELL=/bin/sh$' cat env.out
	atf_check -s exit:0 -o inline:"noshell\n" -e empty -x \
	    "echo 'echo \$USER' | \"$JEXEC\" -l -U noshell e"
}

jt_case env_user "jexec -U and -u: the caller's environment, with the user's PATH, HOME, USER and SHELL"
env_user_body()
{
	jt_init
	mkjail e
	env_of FOO=bar TERM=vt100 HOME=/elsewhere USER=me SHELL=/bin/false \
	    PATH=/x:/bin -- -U jailuser e
	atf_check -o inline:"FOO=bar\nHOME=/tmp\nJAIL_REGISTRY=$JAIL_REGISTRY\nPATH=$LOGIN_PATH\nSHELL=/bin/sh\nTERM=vt100\nUSER=jailuser\n" \
	    cat env.out
	env_of FOO=bar HOME=/elsewhere PATH=/bin -- -U root e
	atf_check -o inline:"FOO=bar\nHOME=/root\nJAIL_REGISTRY=$JAIL_REGISTRY\nPATH=$LOGIN_PATH\nSHELL=/bin/sh\nUSER=root\n" \
	    cat env.out
	# -u: the host's entry, as FreeBSD's jexec looks it up before
	# entering.
	ent=$(getent passwd nobody) || atf_skip "no user nobody on the host"
	home=$(echo "$ent" | cut -d: -f6)
	shell=$(echo "$ent" | cut -d: -f7)
	env_of FOO=bar PATH=/bin -- -u nobody e
	atf_check -o inline:"FOO=bar\nHOME=$home\nJAIL_REGISTRY=$JAIL_REGISTRY\nPATH=$LOGIN_PATH\nSHELL=${shell:-/bin/sh}\nUSER=nobody\n" \
	    cat env.out
}

jt_case env_caller "jexec without -l, -u or -U: the caller's environment as it is"
env_caller_body()
{
	jt_init
	mkjail e
	env_of FOO=bar HOME=/elsewhere PATH=/bin:/usr/bin -- e
	atf_check -o inline:"FOO=bar\nHOME=/elsewhere\nJAIL_REGISTRY=$JAIL_REGISTRY\nPATH=/bin:/usr/bin\n" \
	    cat env.out
}

jt_case env_jail_commands "jail(8)'s commands: exec.clean and exec.jail_user set the environment as jexec's -l and -U"
env_jail_commands_body()
{
	jt_init
	atf_check -s exit:0 -o save:clean -e empty env FOO=bar TERM=vt100 \
	    "$JAIL" -c name=c path="$ROOT" exec.clean exec.jail_user=jailuser \
	    command=/bin/env
	atf_check -o inline:"HOME=/tmp\nPATH=$LOGIN_PATH\nSHELL=/bin/sh\nTERM=vt100\nUSER=jailuser\n" \
	    sort clean
	atf_check -s exit:0 -o save:user -e empty env FOO=bar PATH=/bin \
	    "$JAIL" -c name=u path="$ROOT" exec.jail_user=jailuser command=/bin/env
	atf_check -o match:'^FOO=bar$' -o match:'^USER=jailuser$' \
	    -o match:'^HOME=/tmp$' -o match:"^PATH=$LOGIN_PATH\$" cat user
}
