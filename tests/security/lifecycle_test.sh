#! /usr/bin/env atf-sh
#
# Escapes through a jail's life cycle and its manager: stale handles,
# reused pids, removal racing entry, the prisons' control sockets, fake
# jails, and files in the jail that the tools read.  spec/escapes.md,
# "Lifecycle and jail descriptors" (the descriptor items belong to the
# jail descriptor work; README).

. "$(atf_get_srcdir)/security.subr"

# stale_start: take an entry handle on jail JID with esc_proto stale,
# which waits for a line on the fifo "go" before using it.
stale_start()	# JID
{
	mkfifo go
	"$ESC_PROTO" stale "$JT_REG/$1.sock" < go > stale 2>&1 &
	jt_track $!
	STALE=$!
	exec 9> go
	jt_wait 5 grep -q '^held' stale || atf_fail "no handle taken: $(cat stale)"
}

stale_use()
{
	echo go >&9
	exec 9>&-
	wait $STALE
	sed 1d stale > used
	[ "$(wc -l < used)" -eq 5 ] || atf_fail "the stale handle was not used: $(cat stale)"
	grep -w ok used && atf_fail "the stale handle still works: $(cat used)"
	return 0
}

jt_case stale_handle "a handle on a removed jail does not reach the jail recreated with its name and jid"
stale_handle_body()
{
	esc_init
	mkjail s jid=5
	stale_start 5
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r s
	mkjail s jid=5
	atf_check -o inline:"5\n" "$JLS" -j s jid
	newprison=$(esc_prison_pid 5)
	newinit=$(esc_init_pid "$newprison")
	stale_use
	# In particular, nothing joined the new jail's cgroup.
	atf_check -s exit:0 -o inline:"alive\n" -e empty "$JEXEC" s echo alive
	atf_check -s exit:0 -o inline:"COMMAND\ninit\nps\n" -e empty "$JEXEC" s ps -o comm
	[ -d /proc/$newinit ] || atf_fail "the new jail's init is gone"
}

jt_case init_pid_reuse "after the jail's init pid is reused on the host, the old handle refuses"
init_pid_reuse_body()
{
	esc_init
	mkjail s
	init=$(esc_init_pid "$(esc_prison_pid 1)")
	[ -n "$init" ] || atf_fail "no jail init found"
	stale_start 1
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r s
	jt_wait 5 sh -c "[ ! -d /proc/$init ]" || atf_fail "init $init outlived its jail"
	# A host process takes the pid (clone3 set_tid): a "prison" that
	# trusted pid numbers would now talk to it.
	atf_check -s exit:0 -o inline:"$init\n" -e empty "$ESC" reuse "$init"
	jt_track "$init"
	stale_use
	kill -0 "$init" || atf_fail "the process that reused the pid was killed"
	[ "$(stat -L -c %i /proc/$init/ns/mnt)" = "$(stat -L -c %i /proc/self/ns/mnt)" ] ||
	    atf_fail "the process that reused the pid was moved into a namespace"
	atf_check -s exit:1 -o empty -e match:'not found' "$JEXEC" s true
}

jt_case remove_racing_jexec "jail -r racing jexec: each jexec is fully in and dies with the jail, or fails cleanly"
remove_racing_jexec_body()
{
	esc_init
	i=0
	# The removal starts first and jexec a little later (a busy loop of
	# N steps): the rounds fall before, into and after the removal.
	for n in first 0 50 100 200 400 700 1000 1500 2000 3000; do
		i=$((i + 1))
		mkjail race
		init=$(esc_init_pid "$(esc_prison_pid "$("$JLS" -j race jid)")")
		[ -n "$init" ] || atf_fail "round $i: no jail init"
		mnt=$(stat -L -c %i /proc/$init/ns/mnt)
		net=$(stat -L -c %i /proc/$init/ns/net)
		if [ $n = first ]; then
			timeout 20 "$JEXEC" race sleep 3104$i > /dev/null 2> jexec.err &
			jx=$!
			jt_wait 5 pgrep -x -f "sleep 3104$i" > /dev/null
			"$JAIL" -r race > /dev/null 2>&1 &
			jr=$!
		else
			"$JAIL" -r race > /dev/null 2>&1 &
			jr=$!
			k=0
			while [ $k -lt $n ]; do k=$((k + 1)); done
			timeout 20 "$JEXEC" race sleep 3104$i > /dev/null 2> jexec.err &
			jx=$!
		fi
		wait $jx
		st=$?
		wait $jr || atf_fail "round $i: jail -r failed"
		case $st in
		137|143) ;;	# ended with the jail (stop.timeout's SIGTERM, or
				# the removal's SIGKILL)
		1) grep -q '^jexec: ' jexec.err ||
			atf_fail "round $i: jexec failed without a message" ;;
		*) atf_fail "round $i: jexec exited $st: $(cat jexec.err)" ;;
		esac
		echo "round $i ($n): $st $(cat jexec.err)"
		jt_wait 2 sh -c "! pgrep -x -f 'sleep 3104$i' > /dev/null" ||
		    atf_fail "round $i: the jexec'd command outlived its jail"
		half=$(stat -L -c '%i %n' /proc/[0-9]*/ns/mnt /proc/[0-9]*/ns/net \
		    2>/dev/null | awk -v m="$mnt" -v n="$net" '$1 == m || $1 == n')
		[ -z "$half" ] ||
		    atf_fail "round $i: processes half in the removed jail: $half"
	done
}

# Make the registry's sockets reachable inside jails at /reg.
registry_in_jail()
{
	mkdir -p "$ROOT/reg" "$JT_REG"
	mount --bind "$JT_REG" "$ROOT/reg" || atf_fail "bind mount"
	jt_on_cleanup "umount '$ROOT/reg'"
}

jt_case registry_from_jail "a jailed process reaching its own or another prison's socket is refused"
registry_from_jail_body()
{
	esc_init
	registry_in_jail
	mkjail a
	mkjail b
	for j in 1 2; do
		atf_check -s exit:0 -o save:out.$j -e empty \
		    "$JEXEC" a /bin/esc_proto call /reg/$j.sock get update attach remove
		[ "$(wc -l < out.$j)" -eq 4 ] || atf_fail "jail $j: $(cat out.$j)"
		atf_check -s exit:1 -o empty \
		    grep -v '^[a-z]* fail EPERM jailed processes cannot reach this jail$' out.$j
	done
	atf_check -o inline:"a\nb\n" "$JLS" name
	# Control: the same requests from the host (uid 0) are answered.
	atf_check -s exit:0 -o inline:"get ok fds 0\n" -e empty \
	    "$ESC_PROTO" call "$JT_REG/2.sock" get
}

jt_case registry_late_peer "a jailed process whose pid went to a host process is still refused by the prison"
registry_late_peer_body()
{
	esc_init
	registry_in_jail
	mkjail a
	mkjail b
	prison=$(esc_prison_pid 2)
	apidns=$(stat -L -c %i /proc/$(esc_init_pid "$(esc_prison_pid 1)")/ns/pid)
	rm -f "$ROOT/tmp/go"
	"$JEXEC" a /bin/esc_proto late-peer /reg/2.sock /tmp/go > late 2>&1 &
	jt_track $!
	late=$!
	jt_wait 5 grep -q '^child' late || atf_fail "no helper: $(cat late)"
	child=
	for p in $(pgrep -x esc-conn); do
		[ "$(stat -L -c %i /proc/$p/ns/pid)" = "$apidns" ] && child=$p
	done
	[ -n "$child" ] || atf_fail "the connecting child is not found"
	# The prison is slow to accept (a busy prison, simulated): the child
	# connects and exits, and a host process gets its pid.
	jt_on_cleanup "kill -CONT $prison"
	kill -STOP "$prison"
	touch "$ROOT/tmp/go"
	jt_wait 5 sh -c "[ ! -d /proc/$child ]" || { kill -CONT $prison; atf_fail "child $child did not exit"; }
	if ! "$ESC" reuse "$child" > reuse 2>&1; then
		kill -CONT "$prison"
		atf_fail "cannot reuse pid $child: $(cat reuse)"
	fi
	jt_track "$child"
	kill -CONT "$prison"
	wait $late
	[ "$(grep -c '^[a-z]* ' late)" -ge 4 ] || atf_fail "no answers: $(cat late)"
	atf_check -s exit:1 -o empty grep -E '^(get|update|attach) ok' late
}

jt_case fake_jail "jexec never enters a look-alike jail built by an unprivileged user"
fake_jail_body()
{
	esc_init
	mkdir "$JT_WORK/udir" "$JT_WORK/ureg" "$JT_WORK/freg"
	chown 65534:65534 "$JT_WORK/udir" "$JT_WORK/ureg"
	chmod 0755 "$JT_WORK/freg"
	for reg in ureg freg; do
		: > "$JT_WORK/log.$reg"
		esc_bg fake.$reg "$ESC_PROTO" fake-prison "$JT_WORK/$reg" 7 fake \
		    "$JT_WORK/udir" "$JT_WORK/log.$reg"
		# A registry the user owns, or the root-owned registry with a
		# socket served by the user: both must be refused.
		atf_check -s exit:1 -o empty -e match:'not found' \
		    env JAIL_REGISTRY="$JT_WORK/$reg" "$JEXEC" fake \
		    /bin/sh -c "touch '$JT_WORK/pwned.$reg'"
		atf_check -s exit:1 -o empty -e match:'not found' \
		    env JAIL_REGISTRY="$JT_WORK/$reg" "$JEXEC" 7 /bin/true
		[ ! -e "$JT_WORK/pwned.$reg" ] || atf_fail "jexec ran a command in the fake jail ($reg)"
		grep -q '^request' "$JT_WORK/log.$reg" &&
		    atf_fail "jexec asked the fake prison ($reg): $(cat "$JT_WORK/log.$reg")"
		kill "$ESC_BG"
	done
	# Control: the fake answers an attach as a prison would, so a jexec
	# that trusted it would have entered the user's namespaces.
	: > "$JT_WORK/log.ctl"
	esc_bg fake.ctl "$ESC_PROTO" fake-prison "$JT_WORK/freg" 8 fake2 \
	    "$JT_WORK/udir" "$JT_WORK/log.ctl"
	atf_check -s exit:0 -o inline:"attach ok fds 2\n" -e empty \
	    "$ESC_PROTO" call "$JT_WORK/freg/8.sock" attach
	atf_check -o match:'^request 5$' cat "$JT_WORK/log.ctl"
}

jt_case tampered_jail_files "jail root's own /proc and passwd do not change what jexec applies"
tampered_jail_files_body()
{
	esc_init
	mkjail m allow.mount enforce_statfs=1
	atf_check -s exit:0 -o save:plain -e empty "$JEXEC" m /bin/esc selfcheck
	atf_check -s exit:0 -o save:plainu -e empty "$JEXEC" -U jailuser m /bin/esc selfcheck
	# A fake /proc (LXC CVE-2015-1334 consulted the container's) and
	# a passwd with out-of-range ids.
	cat > "$ROOT/tamper" <<'EOF'
mount -t tmpfs esc /proc || exit 1
mkdir -p /proc/self /proc/1
printf 'Seccomp:\t0\nNoNewPrivs:\t0\nCapBnd:\t000001ffffffffff\n' > /proc/self/status
cp /proc/self/status /proc/1/status
ln -s / /proc/self/root
cp /etc/passwd /tmp/passwd
printf 'esc1:x:4294967295:0::/:/bin/sh\nesc2:x:-1:-1::/:/bin/sh\nesc3:x:99999999999:0::/:/bin/sh\nesc4:x:abc:0::/:/bin/sh\n' >> /tmp/passwd
mount --bind /tmp/passwd /etc/passwd
EOF
	atf_check -s exit:0 -o empty -e empty "$JEXEC" m sh /tamper
	atf_check -s exit:0 -o file:plain -e empty "$JEXEC" m /bin/esc selfcheck
	atf_check -s exit:0 -o file:plainu -e empty "$JEXEC" -U jailuser m /bin/esc selfcheck
	for u in esc1 esc2 esc3 esc4; do
		"$JEXEC" -U $u m /bin/esc selfcheck > out.$u 2> err.$u
		st=$?
		if [ $st -eq 0 ]; then
			atf_check -o match:'^nnp 1 seccomp 2 ' cat out.$u
			grep -q ' uid 0 ' out.$u && atf_fail "-U $u ran as root"
		else
			atf_check -o match:'^jexec: ' cat err.$u
		fi
	done
	return 0
}
