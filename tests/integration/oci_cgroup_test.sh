#! /usr/bin/env atf-sh
#
# jail-oci(8) and cgroups: pause and resume (cgroup2's cgroup.freeze), ps,
# kill --all, and linux.resources applied where this host's cgroups allow
# (cgroup2 when its controller is enabled, else a cgroup per container in
# each v1 hierarchy), with a warning for what cannot be, and nothing left
# behind after delete.  --root is the test's own directory.

. "$(atf_get_srcdir)/common.subr"


# config ARGS-JSON [LINUX-JSON]: the bundle's config.json, running ARGS,
# with LINUX as its "linux" object.
config()
{
	cat > "$BUNDLE/config.json" <<EOT
{
  "ociVersion": "1.0.2",
  "root": { "path": "rootfs" },
  "process": {
    "args": $1,
    "env": [ "PATH=/bin:/sbin" ],
    "cwd": "/",
    "user": { "uid": 0, "gid": 0 }
  },
  "linux": ${2:-{\}}
}
EOT
}

oci() { "$OCI" --root "$STATE" "$@"; }

status()
{
	oci state "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'
}

# run ID: create and start ID, its output in $JT_WORK/ID.out.
run()
{
	oci create --bundle "$BUNDLE" --pid-file "$JT_WORK/$1.pid" "$1" \
	    > "$JT_WORK/$1.out" 2>&1 < /dev/null ||
	    atf_fail "create $1: $(cat "$JT_WORK/$1.out")"
	jt_track "$(cat "$JT_WORK/$1.pid")"
	atf_check $OCIR start "$1"
}

# A shell counting in $ROOT/tmp/count, ten times a second.
COUNTER='["/bin/sh", "-c", "i=0; while :; do i=$((i+1)); echo $i > /tmp/count; sleep 0.1; done"]'

jt_case pause_resume "pause freezes every process (state paused), resume thaws them"
pause_resume_body()
{
	oci_init
	config "$COUNTER"
	run p1
	jt_wait 5 test -s "$ROOT/tmp/count" || atf_fail "not counting"
	atf_check $OCIR pause p1
	[ "$(status p1)" = paused ] || atf_fail "p1: $(status p1), not paused"
	a=$(cat "$ROOT/tmp/count")
	sleep 0.6
	b=$(cat "$ROOT/tmp/count")
	[ "$a" = "$b" ] || atf_fail "counted on while paused: $a, $b"
	# runc's words for the wrong state.
	atf_check -s exit:1 -e match:'container not running' $OCIR pause p1
	atf_check -s exit:1 -e match:'not stopped' $OCIR delete p1
	atf_check -s exit:1 -e match:'cannot start a container that is paused' \
	    $OCIR start p1
	atf_check $OCIR resume p1
	[ "$(status p1)" = running ] || atf_fail "p1: $(status p1), not running"
	jt_wait 5 sh -c "[ \"\$(cat '$ROOT/tmp/count')\" -gt $b ]" ||
	    atf_fail "not counting after resume"
	atf_check -s exit:1 -e match:'container not paused' $OCIR resume p1
	atf_check $OCIR delete --force p1
	atf_check -o empty "$JLS" jid
	atf_check -o empty ls "$STATE"
}

jt_case pause_errors "pause and resume of unknown and stopped containers"
pause_errors_body()
{
	oci_init
	for c in pause resume ps; do
		atf_check -s exit:1 -e match:'container nosuch does not exist' \
		    $OCIR $c nosuch
	done
	config '["/bin/true"]'
	run p2
	jt_wait 5 sh -c "[ \"\$(\"$OCI\" --root \"$STATE\" state p2 | grep -c stopped)\" = 1 ]" ||
	    atf_fail "not stopped"
	atf_check -s exit:1 -e match:'container not running' $OCIR pause p2
	atf_check -s exit:1 -e match:'container not paused' $OCIR resume p2
	atf_check -o inline:'[]\n' $OCIR ps --format json p2
	atf_check $OCIR delete p2
}

jt_case delete_paused "delete --force of a paused container kills it and leaves nothing"
delete_paused_body()
{
	oci_init
	config "$COUNTER"
	run p3
	atf_check $OCIR pause p3
	atf_check $OCIR delete --force p3
	atf_check -o empty "$JLS" jid
	atf_check -o empty ls "$STATE"
	pid=$(cat "$JT_WORK/p3.pid")
	jt_wait 5 sh -c "! kill -0 $pid 2>/dev/null || grep -q '^State:.Z' /proc/$pid/status" ||
	    atf_fail "its first process lives on"
}

jt_case ps "ps --format json: the host pids; table: ps(1)'s header and the container's lines"
ps_body()
{
	oci_init
	config '["/bin/sh", "-c", "sleep 100 & sleep 101 & wait"]'
	run s1
	pid=$(cat "$JT_WORK/s1.pid")
	jt_wait 5 sh -c "[ \$(\"$OCI\" --root \"$STATE\" ps --format json s1 | tr ',' '\n' | wc -l) = 3 ]" ||
	    atf_fail "not three processes: $(oci ps --format json s1)"
	oci ps --format json s1 > ps.json
	atf_check -o inline:"3 $pid\n" python3 -c 'import json, sys
p = json.load(open("ps.json"))
assert p == sorted(p)
print(len(p), sys.argv[1] if int(sys.argv[1]) in p else "no")' "$pid"
	atf_check -o save:table $OCIR ps s1
	head -1 table | grep -q 'PID' || atf_fail "no header: $(cat table)"
	[ "$(grep -c ' sleep 10[01]$' table)" = 2 ] || atf_fail "$(cat table)"
	[ "$(wc -l < table)" = 4 ] || atf_fail "other lines: $(cat table)"
	# ps(1)'s arguments after the id, with or without "--".
	atf_check -o save:t2 $OCIR ps s1 -- -e -o pid,comm
	atf_check -o inline:'  PID COMMAND\n' head -1 t2
	[ "$(wc -l < t2)" = 4 ] || atf_fail "$(cat t2)"
	atf_check -o save:t3 $OCIR ps s1 -eo pid,args
	[ "$(grep -c ' sleep 10[01]$' t3)" = 2 ] || atf_fail "$(cat t3)"
	atf_check -s exit:2 -e match:'cannot be used with --format json' \
	    $OCIR ps --format json s1 -ef
	atf_check $OCIR delete --force s1
	atf_check -o empty ls "$STATE"
}

jt_case kill_all "kill --all reaches a background process; signal names as runc's"
kill_all_body()
{
	oci_init
	# The first process ignores TERM, its child (started before the
	# trap, which it would inherit) does not.
	config '["/bin/sh", "-c", "sleep 100 & echo $! > /tmp/bg; trap \"\" TERM; while :; do sleep 1; done"]'
	run k1
	jt_wait 5 test -s "$ROOT/tmp/bg" || atf_fail "no background process"
	first=$(cat "$JT_WORK/k1.pid")
	[ "$(oci ps --format json k1 | tr ',' '\n' | wc -l)" -ge 2 ] ||
	    atf_fail "$(oci ps --format json k1)"
	atf_check $OCIR kill --all k1 SIGTERM
	jt_wait 5 sh -c "! \"$OCI\" --root \"$STATE\" ps k1 | grep -q ' sleep 100\$'" ||
	    atf_fail "the background process lives on"
	[ "$(status k1)" = running ] || atf_fail "k1: $(status k1), not running"
	for s in SIGCONT cont Cont 18; do
		atf_check $OCIR kill k1 $s
	done
	for s in SIGNOPE 0x9 -9 99; do
		atf_check -s exit:1 -e match:'invalid signal' $OCIR kill k1 $s
	done
	atf_check $OCIR kill --all k1 9
	jt_wait 5 sh -c "[ \"\$(\"$OCI\" --root \"$STATE\" state k1 | grep -c stopped)\" = 1 ]" ||
	    atf_fail "not stopped after kill --all 9"
	# runc's: --all with nothing left to signal is no error; alone it is.
	atf_check $OCIR kill --all k1 KILL
	atf_check -s exit:1 -e match:'container not running' $OCIR kill k1 KILL
	atf_check $OCIR delete k1
	atf_check -o empty "$JLS" jid
}

# v1 HIERARCHY: the mount point of that controller's cgroup v1, if any.
v1()
{
	awk -v c="$1" '$0 ~ / - cgroup / { n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) { print $5; exit } }' /proc/self/mountinfo
}

# need_v1 CONTROLLER...: skip unless this host has those v1 hierarchies
# and no cgroup2 controllers (the hybrid hosts this test is about).
need_v1()
{
	for c in "$@"; do
		[ -n "$(v1 "$c")" ] || atf_skip "no cgroup v1 $c hierarchy"
	done
}

jt_case pids_limit "linux.resources.pids: a fork bomb is bounded (cgroup v1 on hybrid hosts)"
pids_limit_body()
{
	oci_init
	need_v1 pids
	# busybox sh gives up at its first failed fork: the sleeps stay.
	config '["/bin/sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do sleep 100 & done; wait"]' \
	    '{ "resources": { "pids": { "limit": 8 } } }'
	atf_check -o ignore -e ignore $OCIR create --bundle "$BUNDLE" \
	    --pid-file "$JT_WORK/f1.pid" f1
	first=$(cat "$JT_WORK/f1.pid")
	jt_track "$first"
	pids=$(v1 pids)
	atf_check -o inline:'8\n' cat "$pids/jail-oci/f1/pids.max"
	# Moved while it waits at the gate, before anything ran.
	grep -q "^[0-9]*:pids:/jail-oci/f1\$" /proc/$first/cgroup ||
	    atf_fail "first process not in the pids cgroup: $(cat /proc/$first/cgroup)"
	atf_check $OCIR start f1
	jt_wait 5 sh -c "[ \$(cat '$pids/jail-oci/f1/pids.current') -ge 7 ]" ||
	    atf_fail "pids.current $(cat "$pids/jail-oci/f1/pids.current")"
	sleep 0.5
	[ "$(cat "$pids/jail-oci/f1/pids.current")" -le 8 ] ||
	    atf_fail "pids.current $(cat "$pids/jail-oci/f1/pids.current") over 8"
	n=$(oci ps --format json f1 | tr ',' '\n' | wc -l)
	[ "$n" -ge 7 ] && [ "$n" -le 8 ] || atf_fail "$n processes, not 7 or 8"
	atf_check $OCIR delete --force f1
	[ -d "$pids/jail-oci/f1" ] && atf_fail "its pids cgroup is left behind"
	atf_check -o empty ls "$STATE"
}

jt_case exec_cgroup "what exec starts is in the container's v1 cgroups before it runs"
exec_cgroup_body()
{
	oci_init
	need_v1 pids
	config '["/bin/sleep", "100"]' '{ "resources": { "pids": { "limit": 50 } } }'
	atf_check -o ignore -e ignore $OCIR create --bundle "$BUNDLE" \
	    --pid-file "$JT_WORK/e1.pid" e1
	jt_track "$(cat "$JT_WORK/e1.pid")"
	atf_check $OCIR start e1
	atf_check -o match:"^[0-9]*:pids:/jail-oci/e1\$" \
	    $OCIR exec e1 cat /proc/self/cgroup
	atf_check $OCIR delete --force e1
	[ -d "$(v1 pids)/jail-oci/e1" ] && atf_fail "its pids cgroup is left behind"
	atf_check -o empty ls "$STATE"
}

jt_case exec_terminal "exec of a process without process.terminal from a terminal: a pty of the jail's, in the container's v1 cgroups, named in the pid file"
exec_terminal_body()
{
	oci_init
	need_v1 pids
	jt_cc_host ptydrive
	config '["/bin/sleep", "100"]' '{ "resources": { "pids": { "limit": 50 } } }'
	run t1
	atf_check -s exit:3 -o save:out "$JT_WORK/ptydrive" -t 30 \
	    $OCIR exec --pid-file "$JT_WORK/t1.xpid" t1 /bin/sh -c \
	    'tty; cat /proc/self/cgroup; echo pid $$; exit 3'
	atf_check -o match:'^/dev/pts/[0-9]+$' -o match:'^[0-9]+:pids:/jail-oci/t1$' \
	    cat out
	# The pid file names the process, by its host pid.
	xpid=$(cat "$JT_WORK/t1.xpid")
	case $xpid in ''|*[!0-9]*) atf_fail "pid file: '$xpid'" ;; esac
	# A pid file that cannot be written: runc's 255, the process killed.
	atf_check -s exit:255 -o match:'nosuchdir' "$JT_WORK/ptydrive" \
	    $OCIR exec --pid-file "$JT_WORK/nosuchdir/p" t1 /bin/sh -c \
	    'sleep 1; echo ran > /tmp/ran'
	sleep 1.5
	[ -e "$ROOT/tmp/ran" ] && atf_fail "the process ran on"
	atf_check $OCIR delete --force t1
	atf_check -o empty ls "$STATE"
}

jt_case memory_limit "linux.resources.memory: the limit and swap applied through cgroup v1; over it, the process is killed"
memory_limit_body()
{
	oci_init
	need_v1 memory
	mem=$(v1 memory)
	swap=''
	[ -e "$mem/memory.memsw.limit_in_bytes" ] && swap=', "swap": 33554432'
	config '["/bin/sh", "-c", "dd if=/dev/zero of=/dev/null bs=8M count=1 && echo small; dd if=/dev/zero of=/dev/null bs=96M count=1 && echo big"]' \
	    "{ \"cgroupsPath\": \"/jail-oci-test/m1\", \"resources\": { \"memory\": { \"limit\": 33554432, \"reservation\": 16777216$swap } } }"
	jt_on_cleanup "rmdir $mem/jail-oci-test/m1 $mem/jail-oci-test"
	run m1
	atf_check -o inline:'33554432\n' cat "$mem/jail-oci-test/m1/memory.limit_in_bytes"
	atf_check -o inline:'16777216\n' cat "$mem/jail-oci-test/m1/memory.soft_limit_in_bytes"
	jt_wait 10 sh -c "\"$OCI\" --root \"$STATE\" state m1 | grep -q stopped" ||
	    atf_fail "not stopped"
	# The second dd, over the limit, is killed.
	grep -q small "$JT_WORK/m1.out" || atf_fail "$(cat "$JT_WORK/m1.out")"
	grep -q big "$JT_WORK/m1.out" && atf_fail "over the limit: $(cat "$JT_WORK/m1.out")"
	atf_check $OCIR delete m1
	[ -d "$mem/jail-oci-test/m1" ] && atf_fail "its memory cgroup is left behind"
	rmdir "$mem/jail-oci-test"
}

jt_case warnings "what cannot be applied is a warning on the log, and create goes on"
warnings_body()
{
	oci_init
	config '["/bin/true"]' '{ "resources": {
	    "pids": { "limit": 100 },
	    "hugepageLimits": [ { "pageSize": "3MB", "limit": 0 } ],
	    "unified": { "cgroup.procs": "1", "nosuch.file": "1" },
	    "rdma": { "mlx5_0": { "hcaHandles": 1 } },
	    "devices": [ { "allow": false, "access": "rwm" } ] } }'
	atf_check -e save:err $OCIR --log "$JT_WORK/log" --log-format json \
	    create --bundle "$BUNDLE" w1
	grep -q 'warning: linux.resources.rdma: not supported' err ||
	    atf_fail "no rdma warning: $(cat err)"
	grep -q 'warning: linux.resources.unified.cgroup.procs: not a controller' err ||
	    atf_fail "no unified warning: $(cat err)"
	grep -q 'warning: linux.resources: hugepageLimits: .*not applied' err ||
	    atf_fail "no hugepage warning: $(cat err)"
	grep -q 'nosuch.file.*not applied' err ||
	    atf_fail "no warning for the unknown unified file: $(cat err)"
	grep -q devices err && atf_fail "devices warned about: $(cat err)"
	atf_check -o match:'^warning [1-9]' python3 -c 'import json
l = [json.loads(x) for x in open("log")]
print(l[0]["level"], len(l))'
	atf_check $OCIR delete w1
	atf_check -o empty ls "$STATE"
}

jt_case refused_value "a value the kernel refuses fails create, in runc's words, and leaves nothing"
refused_value_body()
{
	oci_init
	need_v1 cpu
	config '["/bin/true"]' '{ "resources": { "cpu": { "period": 100 } } }'
	atf_check -s exit:1 -e match:'linux.resources: cpu.period: cpu.cfs_period_us 100: Invalid argument' \
	    $OCIR create --bundle "$BUNDLE" rv
	atf_check -o empty "$JLS" jid
	atf_check -o empty ls "$STATE"
	[ -d "$(v1 cpu)/jail-oci/rv" ] && atf_fail "its cpu cgroup is left behind"
	return 0
}

jt_case no_cgroup_left "delete removes the container's v1 cgroups (default path) and its jail's cgroup2 one"
no_cgroup_left_body()
{
	oci_init
	need_v1 pids cpu
	config '["/bin/sleep", "100"]' \
	    '{ "resources": { "pids": { "limit": 50 }, "cpu": { "shares": 512, "quota": 20000, "period": 100000 } } }'
	run n1
	atf_check -o inline:'512\n' cat "$(v1 cpu)/jail-oci/n1/cpu.shares"
	atf_check -o inline:'20000\n' cat "$(v1 cpu)/jail-oci/n1/cpu.cfs_quota_us"
	# A created one, deleted before it ran.
	atf_check $OCIR create --bundle "$BUNDLE" n2
	[ -d "$(v1 pids)/jail-oci/n2" ] || atf_fail "no cgroup for n2"
	atf_check $OCIR delete n2
	[ -d "$(v1 pids)/jail-oci/n2" ] && atf_fail "n2's cgroup is left"
	atf_check $OCIR kill n1 KILL
	jt_wait 5 sh -c "\"$OCI\" --root \"$STATE\" state n1 | grep -q stopped" ||
	    atf_fail "not stopped"
	atf_check $OCIR delete n1
	for c in pids cpu; do
		[ -d "$(v1 $c)/jail-oci/n1" ] && atf_fail "$c cgroup left behind"
	done
	atf_check -o empty "$JLS" jid
	# The cgroup2 side: jt_cleanup fails the test on any jail cgroup left.
}

jt_case cgroup2_limit "a limit whose controller is on cgroup2 (hugetlb here) goes to the jail's top cgroup2 directory, the controller handed down from the root"
cgroup2_limit_body()
{
	oci_init
	cg=$(jt_cgroot)
	grep -qw hugetlb "$cg/cgroup.controllers" ||
	    atf_skip "no hugetlb controller on cgroup2"
	[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] ||
	    atf_skip "no 2 MB huge pages"
	config '["/bin/sleep", "100"]' \
	    '{ "resources": { "hugepageLimits": [ { "pageSize": "2MB", "limit": 4194304 } ] } }'
	run h1
	pid=$(cat "$JT_WORK/h1.pid")
	# The process is in <top>/jail; the limit is the top's, init and all.
	rel=$(sed -n 's|^0::/||p' "/proc/$pid/cgroup")
	case $rel in jail/*/jail) ;; *) atf_fail "h1 is in $rel" ;; esac
	top=$cg/${rel%/jail}
	atf_check -o inline:'4194304\n' cat "$top/hugetlb.2MB.max"
	atf_check -o match:hugetlb cat "$cg/jail/cgroup.subtree_control"
	# update changes it there.
	atf_check $OCIR update --resources - h1 <<EOT
{ "hugepageLimits": [ { "pageSize": "2MB", "limit": 2097152 } ] }
EOT
	atf_check -o inline:'2097152\n' cat "$top/hugetlb.2MB.max"
	atf_check $OCIR delete --force h1
	atf_check -o empty "$JLS" jid
	atf_check -o empty ls "$STATE"
	jt_wait 10 test ! -d "$top" || atf_fail "$top is left"
}

jt_case update "update: runc's flags and --resources (a file or stdin) change the limits; new v1 cgroups take every process"
update_body()
{
	oci_init
	need_v1 pids memory
	config '["/bin/sh", "-c", "sleep 100 & sleep 100"]' \
	    '{ "resources": { "pids": { "limit": 20 } } }'
	run u1
	pids=$(v1 pids)
	mem=$(v1 memory)
	atf_check -o inline:'20\n' cat "$pids/jail-oci/u1/pids.max"
	jt_wait 5 sh -c "[ \$(\"$OCI\" --root \"$STATE\" ps --format json u1 | tr ',' '\n' | wc -l) = 2 ]" ||
	    atf_fail "not two processes"
	atf_check $OCIR update --pids-limit 30 --memory 64m u1
	atf_check -o inline:'30\n' cat "$pids/jail-oci/u1/pids.max"
	atf_check -o inline:'67108864\n' cat "$mem/jail-oci/u1/memory.limit_in_bytes"
	# The memory cgroup is new: both processes were moved into it.
	atf_check -o inline:"$(oci ps --format json u1 | tr -d '[]' | tr ',' '\n')\n" \
	    sort -n "$mem/jail-oci/u1/cgroup.procs"
	echo '{ "memory": { "limit": 33554432 } }' > res.json
	atf_check $OCIR update --resources res.json u1
	atf_check -o inline:'33554432\n' cat "$mem/jail-oci/u1/memory.limit_in_bytes"
	echo '{ "pids": { "limit": 25 } }' | atf_check $OCIR update -r - u1
	atf_check -o inline:'25\n' cat "$pids/jail-oci/u1/pids.max"
	# Flags after the id, as runc takes them.
	atf_check $OCIR update u1 --pids-limit 40
	atf_check -o inline:'40\n' cat "$pids/jail-oci/u1/pids.max"
	# A value the kernel refuses is an error (runc's), not a warning.
	atf_check -s exit:1 -e match:'cpu.period: cpu.cfs_period_us 100: Invalid argument' \
	    $OCIR update u1 --cpu-period 100
	# Lifting the limit lifts the swap too; memsw is written first then.
	if [ -e "$mem/jail-oci/u1/memory.memsw.limit_in_bytes" ]; then
		atf_check $OCIR update u1 --memory 50m --memory-swap 90m
		atf_check $OCIR update u1 --memory -1
		# Both unlimited: the same (page-rounded) largest value.
		atf_check -o inline:"$(cat "$mem/jail-oci/u1/memory.limit_in_bytes")\n" \
		    cat "$mem/jail-oci/u1/memory.memsw.limit_in_bytes"
		[ "$(cat "$mem/jail-oci/u1/memory.limit_in_bytes")" -gt 94371840 ] ||
		    atf_fail "the memory limit is not lifted"
	fi
	atf_check -s exit:2 -e match:'not a valid value' $OCIR update --memory 12x u1
	atf_check -s exit:1 -e match:'does not exist' $OCIR update --pids-limit 5 nosuch
	atf_check $OCIR delete --force u1
	for d in "$pids/jail-oci/u1" "$mem/jail-oci/u1"; do
		[ -d "$d" ] && atf_fail "$d left behind"
	done
	atf_check -o empty ls "$STATE"
}

jt_case cpuset "linux.resources.cpu.cpus: the process runs on those CPUs only (cgroup v1 cpuset)"
cpuset_body()
{
	oci_init
	need_v1 cpuset
	config '["/bin/sh", "-c", "grep Cpus_allowed_list /proc/self/status"]' \
	    '{ "resources": { "cpu": { "cpus": "0", "mems": "0" } } }'
	run c1
	jt_wait 5 grep -q Cpus "$JT_WORK/c1.out" || atf_fail "no output"
	atf_check -o match:'^Cpus_allowed_list:.0$' cat "$JT_WORK/c1.out"
	jt_wait 5 sh -c "\"$OCI\" --root \"$STATE\" state c1 | grep -q stopped" ||
	    atf_fail "not stopped"
	atf_check $OCIR delete c1
	[ -d "$(v1 cpuset)/jail-oci/c1" ] && atf_fail "cpuset cgroup left behind"
	return 0
}

jt_case exec_paused "exec into a paused container: refused in runc's words, or with --ignore-paused held until the resume"
exec_paused_body()
{
	oci_init
	config '["/bin/sleep", "100"]'
	run e1
	atf_check $OCIR pause e1
	atf_check -s exit:255 -e match:'cannot exec in a paused container \(use --ignore-paused to override\)' \
	    $OCIR exec e1 /bin/echo ok
	# Born frozen: it runs, and exec returns, once the container resumes.
	(sleep 2; "$OCI" --root "$STATE" resume e1) & rp=$!
	jt_track $rp
	_t0=$(date +%s)
	atf_check -o inline:'ok\n' $OCIR exec --ignore-paused e1 /bin/echo ok
	wait $rp
	[ $(($(date +%s) - _t0)) -ge 1 ] || atf_fail "exec ran in a paused container"
	[ "$(status e1)" = running ] || atf_fail "e1: $(status e1), not running"
	atf_check $OCIR delete --force e1
	atf_check -o empty "$JLS" jid
	atf_check -o empty ls "$STATE"
}

jt_case exec_cgroup_opt "exec --cgroup: the container's own (/) is taken; .. in runc's words; a sub-cgroup is refused clearly"
exec_cgroup_opt_body()
{
	oci_init
	config '["/bin/sleep", "100"]'
	run g1
	atf_check -o inline:'ok\n' $OCIR exec --cgroup / g1 /bin/echo ok
	atf_check -s exit:255 -e match:' \.\. is not a sub cgroup path' \
	    $OCIR exec --cgroup .. g1 /bin/true
	atf_check -s exit:255 -e match:'--cgroup memory:sub: not supported' \
	    $OCIR exec --cgroup memory:sub g1 /bin/true
	atf_check $OCIR delete --force g1
	atf_check -o empty "$JLS" jid
	atf_check -o empty ls "$STATE"
}
