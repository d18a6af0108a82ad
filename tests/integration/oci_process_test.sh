#! /usr/bin/env atf-sh
#
# jail-oci(8): the container's process.  The OCI process object (user
# with additional gids and umask, capabilities within the jail's, rlimits
# never above the runtime's, the executable found before create returns),
# exec, run, the console socket and linux.seccomp stacked on the jail's
# own filter.  A busybox root (common.subr) and config.json written here,
# --root in the test's directory.

. "$(atf_get_srcdir)/common.subr"


# config ARGS-JSON [PROCESS-EXTRA-JSON [TOP-EXTRA-JSON]]: config.json,
# with more members of process and of the top object.
config()
{
	cat > "$BUNDLE/config.json" <<EOT
{
  "ociVersion": "1.0.2",
  "root": { "path": "rootfs" },
  "process": {
    ${2:+$2,}
    "args": $1,
    "env": [ "PATH=/bin:/sbin", "GREETING=hello" ],
    "cwd": "/"
  }${3:+,
  $3}
}
EOT
}



# wait_stopped ID
wait_stopped()
{
	jt_wait 10 sh -c "\"$OCI\" --root \"$STATE\" state $1 | grep -q '\"stopped\"'" ||
	    atf_fail "$1 did not stop"
}

# runout ID: create, start, wait for the end, delete; its output in out.
runout()
{
	$OCIR create --bundle "$BUNDLE" "$1" > "$JT_WORK/out" 2>&1 ||
	    atf_fail "create: $(cat "$JT_WORK/out")"
	atf_check $OCIR start "$1"
	wait_stopped "$1"
	atf_check $OCIR delete "$1"
}

nothing_left()
{
	atf_check -o empty "$JLS" jid
	[ -z "$(ls "$STATE" 2>/dev/null)" ] || atf_fail "state left: $(ls "$STATE")"
}

jt_case user "process.user: uid, gid, additionalGids, umask; env and cwd"
user_body()
{
	oci_init
	config '["/bin/sh", "-c", "echo $(id -u) $(id -g) $(id -G) $(umask) $GREETING $(pwd) $(cat /proc/self/oom_score_adj)"]' \
	    '"user": { "uid": 1000, "gid": 1001, "additionalGids": [ 20, 30 ], "umask": 63 }, "oomScoreAdj": 500'
	runout u1
	atf_check -o inline:'1000 1001 1001 20 30 0077 hello / 500\n' cat out
	# Without umask: runc's 022.
	config '["/bin/sh", "-c", "umask"]'
	runout u2
	atf_check -o inline:'0022\n' cat out
	# An id the jail cannot have: create fails, nothing is left.
	config '["/bin/true"]' '"user": { "uid": 4000000000, "gid": 0 }'
	atf_check -s exit:1 -e match:'cannot set credentials' \
	    $OCIR create --bundle "$BUNDLE" u3
	config '["/bin/true"]' '"user": { "uid": -1, "gid": 0 }'
	atf_check -s exit:1 -e match:'process.user.uid: not a valid number' \
	    $OCIR create --bundle "$BUNDLE" u3
	nothing_left
}

jt_case features "features: the capabilities known, seccomp enabled with its actions, no LSM"
features_body()
{
	oci_init
	atf_check -o save:f.json $OCIR features
	atf_check -o inline:'True CAP_CHOWN SCMP_ACT_KILL_PROCESS False False\n' python3 -c 'import json
f = json.load(open("f.json"))["linux"]
print(f["seccomp"]["enabled"], f["capabilities"][0],
    "SCMP_ACT_KILL_PROCESS" if "SCMP_ACT_KILL_PROCESS" in f["seccomp"]["actions"] else "-",
    f["apparmor"]["enabled"], f["selinux"]["enabled"])'
}

jt_case caps "capabilities: each set a subset of the jail's; an unknown name is a warning"
caps_body()
{
	oci_init
	config '["/bin/sh", "-c", "grep -E \"^Cap(Inh|Prm|Eff|Bnd|Amb)\" /proc/self/status"]' \
	    '"capabilities": { "bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"], "effective": ["CAP_CHOWN", "CAP_KILL"], "permitted": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"] }'
	runout c1
	# Root's effective set is its permitted set after execve (Linux's
	# rule for uid 0, as under runc).
	atf_check -o inline:'CapInh:\t0000000000000020
CapPrm:\t0000000000000421
CapEff:\t0000000000000421
CapBnd:\t0000000000000421
CapAmb:\t0000000000000020
' cat out
	# What the jail does not allow is dropped, not given (debug says so).
	config '["/bin/sh", "-c", "grep -E \"^CapBnd\" /proc/self/status"]' \
	    '"capabilities": { "bounding": ["CAP_SYS_MODULE", "CAP_CHOWN"], "effective": ["CAP_SYS_MODULE"], "permitted": ["CAP_SYS_MODULE"] }'
	"$OCI" --root "$STATE" --debug create --bundle "$BUNDLE" c2 > out 2> err ||
	    atf_fail "create: $(cat err)"
	atf_check -o match:'CAP_SYS_MODULE: not allowed in this jail, dropped' cat err
	atf_check $OCIR start c2
	wait_stopped c2
	atf_check -o inline:'CapBnd:\t0000000000000001\n' cat out
	atf_check $OCIR delete c2
	# A user other than root keeps across execve what is ambient.
	config '["/bin/sh", "-c", "grep -E \"^Cap(Prm|Eff)\" /proc/self/status"]' \
	    '"user": { "uid": 1000, "gid": 1000 }, "capabilities": { "bounding": ["CAP_CHOWN"], "effective": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN"], "inheritable": ["CAP_CHOWN"], "ambient": ["CAP_CHOWN"] }'
	runout c3
	atf_check -o inline:'CapPrm:\t0000000000000001\nCapEff:\t0000000000000001\n' cat out
	config '["/bin/true"]' '"capabilities": { "bounding": ["CAP_FOO"] }'
	# An unknown name can only narrow: warned about and left out (runc's).
	atf_check -e match:'warning: process.capabilities.bounding: unknown capability CAP_FOO: ignored' \
	    $OCIR create --bundle "$BUNDLE" c4
	atf_check $OCIR delete --force c4
	nothing_left
}

jt_case rlimits "rlimits: set in the process; a hard limit above the runtime's fails"
rlimits_body()
{
	oci_init
	config '["/bin/sh", "-c", "ulimit -n; ulimit -Hn"]' \
	    '"rlimits": [ { "type": "RLIMIT_NOFILE", "soft": 100, "hard": 200 } ]'
	runout r1
	atf_check -o inline:'100\n200\n' cat out
	hard=$(ulimit -Hn)
	[ "$hard" = unlimited ] && atf_skip "no hard limit on open files here"
	config '["/bin/true"]' \
	    "\"rlimits\": [ { \"type\": \"RLIMIT_NOFILE\", \"soft\": 10, \"hard\": $((hard + 1)) } ]"
	atf_check -s exit:1 -e match:'RLIMIT_NOFILE: hard limit [0-9]+ above this runtime.s own' \
	    $OCIR create --bundle "$BUNDLE" r2
	config '["/bin/true"]' '"rlimits": [ { "type": "RLIMIT_BOGUS", "soft": 1, "hard": 1 } ]'
	atf_check -s exit:1 -e match:'unknown type RLIMIT_BOGUS' \
	    $OCIR create --bundle "$BUNDLE" r3
	nothing_left
}

jt_case nnp "noNewPrivileges sets no_new_privs; apparmorProfile is a warning"
nnp_body()
{
	oci_init
	config '["/bin/sh", "-c", "grep NoNewPrivs /proc/self/status"]' \
	    '"noNewPrivileges": true, "apparmorProfile": "docker-default"'
	$OCIR create --bundle "$BUNDLE" n1 > out 2> err || atf_fail "create: $(cat err)"
	atf_check -o match:'apparmorProfile docker-default: ignored' cat err
	atf_check $OCIR start n1
	wait_stopped n1
	atf_check -o match:'NoNewPrivs:[[:space:]]+1' cat out
	atf_check $OCIR delete n1
	nothing_left
}

jt_case executable "args[0] is resolved at create, failing in runc's words; nothing is left"
executable_body()
{
	oci_init
	config '["nosuch"]'
	atf_check -s exit:1 -e match:'exec: "nosuch": executable file not found in \$PATH' \
	    $OCIR create --bundle "$BUNDLE" e1
	config '["/bin/nosuch"]'
	atf_check -s exit:1 -e match:'no such file or directory' \
	    $OCIR create --bundle "$BUNDLE" e1
	config '["/etc/passwd"]'
	atf_check -s exit:1 -e match:'exec: "/etc/passwd": permission denied' \
	    $OCIR create --bundle "$BUNDLE" e1
	# Found through the process's PATH, inside the jail.
	config '["true"]'
	atf_check $OCIR create --bundle "$BUNDLE" e2
	atf_check $OCIR delete e2
	nothing_left
}

jt_case exec "exec: status, env, cwd, user, 128+signal, --detach with a pid file, --process"
exec_body()
{
	oci_init
	config '["/bin/sleep", "100"]'
	atf_check $OCIR create --bundle "$BUNDLE" x1
	atf_check $OCIR start x1
	atf_check -s exit:3 -o inline:'hello there /tmp 1000 1000 5\n' \
	    $OCIR exec --env GREETING='hello there' --cwd /tmp --user 1000:1000 \
	    --additional-gids 5 x1 /bin/sh -c 'echo $GREETING $(pwd) $(id -u) $(id -G); exit 3'
	atf_check -s exit:137 $OCIR exec x1 /bin/sh -c 'kill -9 $$'
	# --detach: exec returns once it runs, with its pid in the file.
	atf_check $OCIR exec --detach --pid-file "$JT_WORK/xpid" x1 \
	    /bin/sh -c 'echo detached > /tmp/xd; sleep 100'
	atf_check -o match:'^[0-9]+$' cat "$JT_WORK/xpid"
	jt_track "$(cat "$JT_WORK/xpid")"
	jt_wait 5 grep -q detached "$ROOT/tmp/xd" || atf_fail "detached exec did not run"
	cat > proc.json <<'EOT'
{ "args": ["/bin/sh", "-c", "echo $A $(id -u)"], "env": ["A=fromfile", "PATH=/bin"], "cwd": "/", "user": { "uid": 7, "gid": 7 } }
EOT
	atf_check -o inline:'fromfile 7\n' $OCIR exec --process proc.json x1
	# Errors, in the words engines read.
	atf_check -e match:'warning: --cap CAP_NOPE: unknown capability: ignored' \
	    $OCIR exec --cap CAP_NOPE x1 /bin/true
	atf_check -s exit:255 -e match:'--user nobody: not UID' \
	    $OCIR exec --user nobody x1 /bin/true
	atf_check -s exit:255 -e match:'executable file not found' \
	    $OCIR exec x1 nosuch
	atf_check -s exit:255 -e match:'container nosuch does not exist' \
	    $OCIR exec nosuch /bin/true
	atf_check $OCIR kill x1 KILL
	wait_stopped x1
	atf_check -s exit:255 -e match:'cannot exec in a stopped container' \
	    $OCIR exec x1 /bin/true
	atf_check $OCIR delete x1
	nothing_left
}

jt_case exec_seccomp "exec'd processes take the container's seccomp program and capabilities"
exec_seccomp_body()
{
	oci_init
	config '["/bin/sleep", "100"]' \
	    '"capabilities": { "bounding": ["CAP_CHOWN"], "effective": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN"] }' \
	    '"linux": { "seccomp": { "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] } }'
	atf_check $OCIR create --bundle "$BUNDLE" s1
	atf_check $OCIR start s1
	# The bundle may change: exec reads the container's own copy.
	rm "$BUNDLE/config.json"
	atf_check -o inline:'CapBnd:\t0000000000000001\n' \
	    $OCIR exec s1 /bin/sh -c 'grep CapBnd /proc/self/status'
	atf_check -o match:'Operation not permitted' \
	    $OCIR exec s1 /bin/sh -c 'mkdir /tmp/nodir 2>&1; true'
	[ -e "$ROOT/tmp/nodir" ] && atf_fail "mkdir was not denied"
	atf_check $OCIR delete --force s1
	nothing_left
}

jt_case seccomp "linux.seccomp: a profile denies; an ALLOW-all profile does not undo the jail's filter"
seccomp_body()
{
	oci_init
	jt_cc sysprobe
	config '["/bin/sh", "-c", "mkdir /tmp/d1 2>&1; echo rc=$?"]' '' \
	    '"linux": { "seccomp": { "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [ { "names": ["mkdir", "mkdirat", "no_such_call"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] } }'
	runout m1
	atf_check -o match:'Operation not permitted' -o match:'rc=1' cat out
	[ -e "$ROOT/tmp/d1" ] && atf_fail "mkdir was not denied"
	# An argument test: only socket(AF_INET6, ...) denied, with EACCES.
	config '["/bin/sh", "-c", "sysprobe socket 10 1 0; sysprobe socket 2 1 0"]' '' \
	    '"linux": { "seccomp": { "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13, "args": [ { "index": 0, "value": 10, "op": "SCMP_CMP_EQ" } ] } ] } }'
	runout m2
	atf_check -o inline:'EACCES\nok\n' cat out
	# The jail refuses packet sockets (EAFNOSUPPORT); allowing all does not
	# let one through, nor does a default of ALLOW with no rules.
	config '["/bin/sh", "-c", "sysprobe socket 17 3 0"]' '' \
	    '"linux": { "seccomp": { "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["socket"], "action": "SCMP_ACT_LOG" } ] } }'
	runout m3
	atf_check -o inline:'EAFNOSUPPORT\n' cat out
	# KILL_PROCESS: the engine sees the process die of SIGSYS.
	config '["/bin/uname"]' '' \
	    '"linux": { "seccomp": { "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["uname"], "action": "SCMP_ACT_KILL_PROCESS" } ] } }'
	cat > engine.py <<'EOT'
import ctypes, os, subprocess, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)
oci = sys.argv[1:]
subprocess.run(oci + ["create", "--bundle", os.environ["BUNDLE"],
    "--pid-file", "pidf", "k1"], check=True)
pid = int(open("pidf").read())
subprocess.run(oci + ["start", "k1"], check=True)
_, st = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(st))
EOT
	export BUNDLE
	atf_check -o inline:'-31\n' python3 engine.py "$OCI" --root "$STATE"
	atf_check $OCIR delete k1
	# A profile that kills the process before its start fails create.
	config '["/bin/true"]' '' \
	    '"linux": { "seccomp": { "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["write"], "action": "SCMP_ACT_KILL_PROCESS" } ] } }'
	atf_check -s exit:1 -e match:'died before its start' $OCIR create --bundle "$BUNDLE" z0
	# What is refused: notification, unknown actions and flags.
	config '["/bin/true"]' '' \
	    '"linux": { "seccomp": { "defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/x.sock", "syscalls": [] } }'
	atf_check -s exit:1 -e match:'listenerPath: not supported' $OCIR create --bundle "$BUNDLE" z1
	config '["/bin/true"]' '' \
	    '"linux": { "seccomp": { "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_NOTIFY" } ] } }'
	atf_check -s exit:1 -e match:'SCMP_ACT_NOTIFY: not supported' $OCIR create --bundle "$BUNDLE" z1
	config '["/bin/true"]' '' \
	    '"linux": { "seccomp": { "defaultAction": "SCMP_ACT_SOMETHING" } }'
	atf_check -s exit:1 -e match:'defaultAction' $OCIR create --bundle "$BUNDLE" z1
	nothing_left
}

jt_case console "process.terminal with --console-socket: a pty of the jail's, its master sent over the socket"
console_body()
{
	oci_init
	config '["/bin/sh", "-c", "tty; stty size; read x; echo got $x"]' \
	    '"terminal": true, "consoleSize": { "height": 33, "width": 77 }'
	atf_check -o save:cons.out python3 "$(atf_get_srcdir)/helpers/oci_console.py" \
	    "$JT_WORK/cons.sock" 'abc\n' "$OCI" --root "$STATE" create --bundle "$BUNDLE" \
	    --console-socket "$JT_WORK/cons.sock" --pid-file "$JT_WORK/pid" t1 -- "$OCI" --root "$STATE" start t1
	atf_check -o match:'^name=/dev/pts/[0-9]+$' -o match:'^/dev/pts/[0-9]+$' \
	    -o match:'^blocking=True$' \
	    -o match:'^33 77$' -o match:'^got abc' cat cons.out
	wait_stopped t1
	atf_check $OCIR delete t1
	# exec --tty --detach with a console socket, as conmon does for -it.
	config '["/bin/sleep", "100"]'
	atf_check $OCIR create --bundle "$BUNDLE" t2
	atf_check $OCIR start t2
	atf_check -o save:exec.out python3 "$(atf_get_srcdir)/helpers/oci_console.py" \
	    "$JT_WORK/cons2.sock" 'exit\n' "$OCI" --root "$STATE" exec --tty --detach \
	    --console-socket "$JT_WORK/cons2.sock" --pid-file "$JT_WORK/xpid" t2 /bin/sh -c 'tty; exec sh'
	atf_check -o match:'^/dev/pts/[0-9]+' cat exec.out
	# Exactly conmon's call for podman exec -it: a process file.
	cat > tproc.json <<'EOT'
{ "terminal": true, "consoleSize": { "height": 10, "width": 20 }, "args": ["/bin/sh", "-c", "stty size"], "env": ["PATH=/bin"], "cwd": "/" }
EOT
	atf_check -o save:exec2.out python3 "$(atf_get_srcdir)/helpers/oci_console.py" \
	    "$JT_WORK/cons3.sock" '' "$OCI" --root "$STATE" exec --process tproc.json \
	    --detach --pid-file "$JT_WORK/xpid2" --tty --console-socket "$JT_WORK/cons3.sock" t2
	atf_check -o match:'^10 20$' cat exec2.out
	atf_check -o match:'^[0-9]+$' cat "$JT_WORK/xpid2"
	# Errors: a terminal without a socket, a socket without a terminal,
	# a path that is not a socket; nothing left.
	config '["/bin/true"]' '"terminal": true'
	atf_check -s exit:1 -e match:'cannot allocate tty if runc will detach without setting console socket' \
	    $OCIR create --bundle "$BUNDLE" t3
	touch "$JT_WORK/notsock"
	atf_check -s exit:1 -e match:'notsock: not a socket' \
	    $OCIR create --bundle "$BUNDLE" --console-socket "$JT_WORK/notsock" t3
	config '["/bin/true"]'
	atf_check -s exit:1 -e match:'cannot use console socket if runc will not provide a terminal' \
	    $OCIR create --bundle "$BUNDLE" --console-socket "$JT_WORK/notsock" t3
	atf_check -s exit:255 -e match:'cannot allocate tty' \
	    $OCIR exec --tty --detach t2 /bin/true
	atf_check $OCIR delete --force t2
	nothing_left
}

jt_case exec_relay "exec -t and run of a terminal process, without a console socket, relay a terminal of the jail's to their own"
exec_relay_body()
{
	oci_init
	config '["/bin/sleep", "100"]'
	atf_check $OCIR create --bundle "$BUNDLE" y1
	atf_check $OCIR start y1
	cat > term.py <<'EOT'
import os, subprocess, sys, time
m, s = os.openpty()
p = subprocess.Popen(sys.argv[1:], stdin=s, stdout=s, stderr=s,
    start_new_session=True)
os.close(s)
time.sleep(0.5)
os.write(m, b"tty; echo hi-$((1+1)); exit 5\n")
out = b""
while True:
    try:
        c = os.read(m, 4096)
    except OSError:
        break
    if not c:
        break
    out += c
sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
print("status", p.wait())
EOT
	atf_check -o match:'^/dev/pts/[0-9]+$' -o match:'^hi-2$' -o match:'^status 5$' \
	    python3 term.py $OCIR exec -t y1 /bin/sh
	atf_check $OCIR delete --force y1
	nothing_left
	# run with process.terminal, no console socket: the same relay.
	config '["/bin/sh"]' '"terminal": true'
	atf_check -o match:'^/dev/pts/[0-9]+$' -o match:'^hi-2$' -o match:'^status 5$' \
	    python3 term.py $OCIR run --bundle "$BUNDLE" y2
	nothing_left
}

jt_case run "run: create and start, waits, exits with the status, deletes unless --keep"
run_body()
{
	oci_init
	config '["/bin/sh", "-c", "echo ran; exit 7"]'
	atf_check -s exit:7 -o inline:'ran\n' $OCIR run --bundle "$BUNDLE" r1
	nothing_left
	atf_check -s exit:7 -o inline:'ran\n' $OCIR run --keep --bundle "$BUNDLE" r2
	atf_check -o match:'"stopped"' $OCIR state r2
	atf_check $OCIR delete r2
	# Signals reach the process; 128+N when one kills it.
	config '["/bin/sleep", "100"]'
	$OCIR run --bundle "$BUNDLE" r3 & rp=$!
	jt_track $rp
	jt_wait 10 sh -c "\"$OCI\" --root \"$STATE\" state r3 2>/dev/null | grep -q running" ||
	    atf_fail "r3 not running"
	kill -TERM $rp
	wait $rp
	[ $? -eq 143 ] || atf_fail "run's status is not 128+SIGTERM"
	nothing_left
	# --detach: it returns at once; the container runs.
	atf_check $OCIR run --detach --bundle "$BUNDLE" --pid-file "$JT_WORK/rpid" r4
	jt_track "$(cat "$JT_WORK/rpid")"
	atf_check -o match:'"running"' $OCIR state r4
	atf_check $OCIR delete --force r4
	config '["nosuch"]'
	atf_check -s exit:1 -e match:'executable file not found' $OCIR run --bundle "$BUNDLE" r5
	nothing_left
}

jt_case relay_pid_file "run and exec -t relay a jail terminal to stdio that is no terminal; exec -t still writes --pid-file"
relay_pid_file_body()
{
	oci_init
	# runc's: process.terminal in the foreground without a console
	# socket is relayed, whatever run's stdio is (here files).
	config '["/bin/sh", "-c", "tty; exit 3"]' '"terminal": true'
	atf_check -s exit:3 -o match:'^/dev/pts/[0-9]+' \
	    $OCIR run --bundle "$BUNDLE" z1 < /dev/null
	nothing_left
	config '["/bin/sleep", "100"]'
	atf_check $OCIR create --bundle "$BUNDLE" z2 < /dev/null
	atf_check $OCIR start z2
	# The relayed process is still exec's child: its host pid is written.
	$OCIR exec -t --pid-file "$JT_WORK/epid" z2 /bin/sh -c 'tty; sleep 3' \
	    < /dev/null > "$JT_WORK/eout" 2>&1 & ep=$!
	jt_track $ep
	jt_wait 10 test -s "$JT_WORK/epid" || atf_fail "no pid file"
	_p=$(cat "$JT_WORK/epid")
	grep -q sleep "/proc/$_p/cmdline" ||
	    atf_fail "pid file $_p is not the process: $(tr '\0' ' ' < /proc/$_p/cmdline)"
	wait $ep || atf_fail "exec -t: $(cat "$JT_WORK/eout")"
	grep -Eq '^/dev/pts/[0-9]+' "$JT_WORK/eout" ||
	    atf_fail "not a terminal: $(cat "$JT_WORK/eout")"
	atf_check $OCIR delete --force z2
	nothing_left
}

jt_case runc_cli "kill ID 0, kill --all of a stopped container, -h, --debug for exec, unknown caps: as runc"
runc_cli_body()
{
	oci_init
	atf_check -o match:'^usage: jail-oci' $OCI -h
	atf_check -o match:'^usage: jail-oci' $OCI --help
	atf_check -o match:'^usage: jail-oci' $OCI kill -h
	atf_check -s exit:2 -e match:'^usage: jail-oci' $OCI
	config '["/bin/sleep", "100"]' \
	    '"capabilities": { "bounding": ["CAP_KILL", "CAP_NOT_A_CAP"], "permitted": ["CAP_KILL"], "effective": ["CAP_KILL"] }'
	atf_check -e match:'unknown capability CAP_NOT_A_CAP: ignored' \
	    $OCIR create --bundle "$BUNDLE" k1 < /dev/null
	atf_check $OCIR start k1
	# Signal 0: is it there.
	atf_check $OCIR kill k1 0
	atf_check -o match:'^CapBnd:.0000000000000020$' \
	    -e match:'--cap CAP_NOPE: unknown capability: ignored' \
	    $OCIR exec --cap CAP_NOPE k1 /bin/grep CapBnd /proc/self/status
	# --debug: runc's level=debug on stderr, or in --log alone.
	atf_check -e match:'level=debug' $OCIR --debug exec k1 /bin/true
	atf_check -e not-match:'level=debug' \
	    $OCIR --debug --log "$JT_WORK/log" exec k1 /bin/true
	atf_check -o match:'level=debug' cat "$JT_WORK/log"
	atf_check -e ignore $OCIR kill k1 KILL
	wait_stopped k1
	atf_check -s exit:1 -e match:'container not running' $OCIR kill k1 0
	atf_check $OCIR kill --all k1 0
	atf_check $OCIR delete k1
	nothing_left
}
