#! /usr/bin/env atf-sh
#
# Escapes through the system call and privilege surface: capabilities on
# every way in, namespaces, keyrings, BPF and friends, modules, the
# 32-bit entry points, other processes, and what a jailed program may
# still do to restrict itself.  spec/escapes.md, "Syscall and privilege
# surface"; README says which items live elsewhere.

. "$(atf_get_srcdir)/security.subr"

# Capabilities jailed root must never hold, whatever allow.* says
# (linux/capability.h numbers).
FORBIDDEN_CAPS="9 12 13 14 16 17 20 22 23 24 25 26 27 30 32 33 34 35 36 37 38 39 40"
CAP_NET_RAW=13

status_field()	# FILE FIELD
{
	awk -v k="$2:" '$1 == k { print $2 }' "$1"
}

# Check a saved /proc/self/status of a process that is jail root.
check_root_caps()	# FILE WHAT
{
	_eff=$(status_field "$1" CapEff)
	_prm=$(status_field "$1" CapPrm)
	_bnd=$(status_field "$1" CapBnd)
	[ -n "$_eff" ] || atf_fail "$2: no CapEff in $(cat "$1")"
	[ "$_eff" = "$_prm" ] && [ "$_eff" = "$_bnd" ] ||
	    atf_fail "$2: CapEff $_eff, CapPrm $_prm, CapBnd $_bnd differ"
	for _c in $FORBIDDEN_CAPS; do
		[ $(( (0x$_bnd >> _c) & 1 )) -eq 0 ] ||
		    atf_fail "$2: capability $_c is in the bounding set ($_bnd)"
	done
	# Set-user-id programs work with a private range: no_new_privs only
	# with idmap=identity (NNP=1).
	[ "$(status_field "$1" NoNewPrivs)" = "${NNP:-0}" ] ||
	    atf_fail "$2: NoNewPrivs is not ${NNP:-0}"
	[ "$(status_field "$1" Seccomp)" = 2 ] || atf_fail "$2: Seccomp is not 2"
	[ "$(status_field "$1" CapAmb)" = 0000000000000000 ] || atf_fail "$2: CapAmb set"
	[ "$(status_field "$1" CapInh)" = 0000000000000000 ] || atf_fail "$2: CapInh set"
}

check_user_caps()	# FILE WHAT
{
	for _f in CapEff CapPrm CapInh CapAmb; do
		[ "$(status_field "$1" $_f)" = 0000000000000000 ] ||
		    atf_fail "$2: $_f is $(status_field "$1" $_f)"
	done
	# Set-user-id programs work with a private range: no_new_privs only
	# with idmap=identity (NNP=1).
	[ "$(status_field "$1" NoNewPrivs)" = "${NNP:-0}" ] ||
	    atf_fail "$2: NoNewPrivs is not ${NNP:-0}"
	[ "$(status_field "$1" Seccomp)" = 2 ] || atf_fail "$2: Seccomp is not 2"
}

jt_case caps_every_entry "every way in gets the same bounded capabilities, no_new_privs and seccomp"
caps_every_entry_body()
{
	esc_init
	mkjail c
	atf_check -s exit:0 -o save:jexec -e empty "$JEXEC" c cat /proc/self/status
	check_root_caps jexec "jexec"
	atf_check -s exit:0 -o save:login -e empty "$JEXEC" -l c cat /proc/self/status
	check_root_caps login "jexec -l"
	atf_check -s exit:0 -o save:command -e empty \
	    "$JAIL" -c name=k path="$ROOT" command=/bin/cat /proc/self/status
	check_root_caps command "jail -c command="
	for f in login command; do
		[ "$(status_field $f CapBnd)" = "$(status_field jexec CapBnd)" ] ||
		    atf_fail "$f: CapBnd $(status_field $f CapBnd), jexec's $(status_field jexec CapBnd)"
	done
	atf_check -s exit:0 -o save:user -e empty "$JEXEC" -U jailuser c cat /proc/self/status
	check_user_caps user "jexec -U jailuser"
	atf_check -s exit:0 -o save:hostuser -e empty "$JEXEC" -u nobody c cat /proc/self/status
	check_user_caps hostuser "jexec -u nobody"
	atf_check -s exit:0 -o save:cmduser -e empty \
	    "$JAIL" -c name=u path="$ROOT" exec.jail_user=jailuser command=/bin/cat /proc/self/status
	check_user_caps cmduser "jail -c exec.jail_user= command="
	# allow.raw_sockets adds CAP_NET_RAW and nothing else.
	mkjail r allow.raw_sockets
	atf_check -s exit:0 -o save:raw -e empty "$JEXEC" r cat /proc/self/status
	d=$(( 0x$(status_field raw CapBnd) ^ 0x$(status_field jexec CapBnd) ))
	[ "$d" -eq $((1 << CAP_NET_RAW)) ] ||
	    atf_fail "allow.raw_sockets changed the bounding set by $(printf %x $d)"
}

jt_case namespaces "unshare, clone and clone3 cannot make namespaces"
namespaces_body()
{
	esc_init
	mkjail c
	atf_check -s exit:0 -o save:out -e empty "$JEXEC" c /bin/esc ns
	# Control: a plain clone works, and so the refusals are the jail's.
	atf_check -o inline:"clone-plain ok\n" sed -n '$p' out
	sed '$d' out > ns
	grep -v '^clone3-plain' ns > ns.flags
	esc_refused ns.flags 17
	# clone3 hides its flags from seccomp: refused as a whole.
	atf_check -o match:'^clone3-plain fail (ENOSYS|EPERM)$' grep '^clone3-plain' ns
	host=$(stat -L -c %i /proc/self/ns/user)
	atf_check -s exit:0 -o not-inline:"$host\n" -e empty \
	    "$JEXEC" c stat -L -c %i /proc/self/ns/user
}

jt_case keyrings "keyctl, add_key and request_key are refused; no key lands on the host"
keyrings_body()
{
	esc_init
	mkjail c
	atf_check -s exit:0 -o save:out -e empty "$JEXEC" c /bin/esc keys
	esc_refused out 6 EPERM
	grep -q 'jt-escape-key' /proc/keys && atf_fail "a key made in the jail is on the host"
	return 0
}

jt_case kernel_surface "bpf, perf_event_open, userfaultfd and io_uring are refused"
kernel_surface_body()
{
	esc_init
	# Control: as host root they work on this kernel.
	atf_check -s exit:0 -o save:host -e empty "$ESC" kernel-api
	for c in bpf-prog-load perf_event_open userfaultfd io_uring_setup; do
		grep -q "^$c ok" host || atf_skip "$c does not work on this host: $(grep "^$c " host)"
	done
	mkjail c
	atf_check -s exit:0 -o save:out -e empty "$JEXEC" c /bin/esc kernel-api
	grep -v '^dev-userfaultfd' out > calls
	esc_refused calls 8
	atf_check -o inline:"dev-userfaultfd fail ENOENT\n" grep '^dev-userfaultfd' out
	# io_uring looks absent, so that programs fall back to plain calls.
	atf_check -o inline:"io_uring_setup fail ENOSYS\n" grep '^io_uring_setup' out
}

modules_now()
{
	if [ -r /proc/modules ]; then
		awk '{ print $1 }' /proc/modules | sort
	else
		echo "no modules"
	fi
}

jt_case modules "module and kexec calls are refused; rare socket families load no module"
modules_body()
{
	esc_init
	modules_now > modules.before
	mkjail c
	atf_check -s exit:0 -o save:out -e empty "$JEXEC" c /bin/esc modules
	esc_refused out 5 EPERM
	# Every family but UNIX, INET, INET6 and NETLINK (module autoload
	# happens in socket(2), before any privilege check).
	atf_check -s exit:0 -o inline:"families done, 0 opened\n" -e empty \
	    "$JEXEC" c /bin/esc families
	# Control: the host has some of those families.
	atf_check -s exit:0 -o not-match:'families done, 0 opened' -o ignore -e empty \
	    "$ESC" families
	modules_now > modules.after
	atf_check -o file:modules.before cat modules.after
}

jt_case privileged_calls "reboot, swap, clock, accounting, quota and port I/O calls are refused"
privileged_calls_body()
{
	esc_init
	mkjail c
	atf_check -s exit:0 -o save:out -e empty "$JEXEC" c /bin/esc privops
	esc_refused out 15 EPERM
	# allow.settime and allow.adjtime are refused parameters, not
	# silently granted.
	atf_check -s exit:0 -o inline:"allow.nosettime allow.noadjtime\n" -e empty \
	    "$JLS" -n -j c allow.settime allow.adjtime
}

jt_case int80 "the 32-bit entry (int 0x80) refuses what the 64-bit one does"
int80_body()
{
	esc_init
	# With ptrace refused too, so that its 32-bit numbers are tried.
	mkjail c allow.nounprivileged_proc_debug
	atf_check -s exit:0 -o save:out -e empty "$JEXEC" c /bin/esc int80
	atf_check -o inline:"i386-getpid ok\n" sed -n 1p out
	[ "$(grep -c '^i386-getpid ok' out)" = 1 ] || atf_fail "no 32-bit entry: $(cat out)"
	sed 1d out | grep -v -e socket-packet -e personality > calls
	esc_refused calls 18
	atf_check -o inline:"i386-socket-packet fail EAFNOSUPPORT\n" grep socket-packet out
	atf_check -o match:'^i386-personality fail (EPERM|ENOSYS|EINVAL)$' grep personality out
}

jt_case x32 "x32 system calls (__X32_SYSCALL_BIT) do not get around the filter"
x32_body()
{
	esc_init
	atf_check -s exit:0 -o save:host -e empty "$ESC" x32
	grep -q '^x32-getpid ok' host ||
	    atf_skip "this kernel has no x32 ABI (CONFIG_X86_X32_ABI): x32 calls fail for everyone ($(head -1 host))"
	mkjail c allow.nounprivileged_proc_debug
	atf_check -s exit:0 -o save:out -e empty "$JEXEC" c /bin/esc x32
	awk '$2 == "ok" && $1 != "x32-getpid"' out > passed
	atf_check -o empty cat passed
}

jt_case personality "personality(READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE) is refused or without effect"
personality_body()
{
	esc_init
	mkjail c
	atf_check -s exit:0 -o save:out -e empty "$JEXEC" c /bin/esc personality
	head -3 out > calls
	esc_refused calls 3 EPERM ENOSYS EINVAL
	atf_check -o inline:"personality-now 0\nproc-personality 00000000\n" sed -n '4,$p' out
	# Control: on the host the same call takes effect.
	atf_check -s exit:0 -o match:'^personality-now 0x400000$' -o ignore -e empty \
	    "$ESC" personality
}

jt_case other_pids "host processes and other jails' processes cannot be signalled, traced or read"
other_pids_body()
{
	esc_init
	sleep 310201 &
	hostpid=$!
	jt_track $hostpid
	mkjail c
	mkjail other
	"$JEXEC" other sh -c 'sleep 310202 >/dev/null 2>&1 </dev/null &'
	jt_wait 5 pgrep -x -f 'sleep 310202' > /dev/null || atf_fail "no sleep in the other jail"
	otherpid=$(pgrep -x -f 'sleep 310202')
	for pid in $hostpid $otherpid; do
		atf_check -s exit:0 -o save:out -e empty "$JEXEC" c /bin/esc pids $pid
		grep -v "^proc $pid" out > calls
		esc_refused calls 5 ESRCH
		atf_check -o inline:"proc $pid fail ENOENT\n" grep "^proc $pid" out
	done
	# Without allow.unprivileged_proc_debug ptrace is refused outright.
	mkjail nd allow.nounprivileged_proc_debug
	atf_check -s exit:0 -o save:nd -e empty "$JEXEC" nd /bin/esc pids $hostpid
	atf_check -o match:'^ptrace [0-9]+ fail (EPERM|ESRCH)$' grep ^ptrace nd
	atf_check -o match:'^process_vm_readv [0-9]+ fail (EPERM|ESRCH)$' grep ^process_vm nd
	kill -0 $hostpid || atf_fail "the host process died"
	kill -0 $otherpid || atf_fail "the other jail's process died"
}

jt_case passed_pidfd_nsfs "a host pidfd or namespace fd handed to the jail cannot be used against the host"
passed_pidfd_nsfs_body()
{
	esc_init
	sleep 310203 &
	hostpid=$!
	jt_track $hostpid
	mkjail c
	esc_bg send "$ESC" fd-send "$ROOT/tmp/fdsock" $hostpid
	atf_check -s exit:0 -o save:out -e empty "$JEXEC" c /bin/esc fd-recv /tmp/fdsock
	atf_check -o inline:"received\n" sed -n 1p out
	sed 1d out > calls
	# pidfd_send_signal: EINVAL (not in the jail's pid namespace tree);
	# pidfd_getfd: EPERM (no ptrace over a host process); setns and
	# open_tree: the policy.
	esc_refused calls 7 EINVAL EPERM ESRCH ENOSYS
	kill -0 $hostpid || atf_fail "the host process was killed through its pidfd"
}

jt_case self_sandbox "seccomp and Landlock stay available to restrict further, never to loosen"
self_sandbox_body()
{
	esc_init
	mkjail c
	atf_check -s exit:0 -e empty -o inline:"seccomp-filter ok
getppid-after fail ENOTTY
seccomp-allow-all ok
keyctl-after fail EPERM
unshare-after fail ENOSYS
open-before-landlock ok
landlock_create_ruleset ok
landlock_restrict_self ok
open-after-landlock fail EACCES
" "$JEXEC" c /bin/esc sandbox
}

jt_case ptrace_during_setup "a process being set up by jexec cannot be looked into before its execve"
ptrace_during_setup_body()
{
	esc_init
	# allow.unprivileged_proc_debug (the default): jail root may trace
	# its own processes, once they are its own.
	mkjail c
	"$JEXEC" c /bin/esc peek-race 4 /bin/busybox > race 2>&1 &
	racer=$!
	jt_wait 5 grep -q '^ready' race || atf_fail "the watcher did not start: $(cat race)"
	i=0
	while [ $i -lt 20 ]; do
		"$JEXEC" c sleep 0.1
		i=$((i + 1))
	done
	wait $racer
	last=$(tail -1 race)
	case $last in
	"seen "*" early 0") ;;
	*) atf_fail "a jexec'd process was reachable before execve: $(cat race)" ;;
	esac
	# The watcher did look: it saw the jexec'd processes and read their
	# executable once they were past execve (without the jexec side
	# being non-dumpable, it reads jexec's instead: "early").
	set -- $last
	[ "$2" -ge 5 ] && [ "$4" -ge 5 ] ||
	    atf_fail "the watcher saw too few processes: $last"
}

jt_case ipc_private "System V shared memory and POSIX message queues of the host are not visible"
ipc_private_body()
{
	esc_init
	key=0x4553$(printf %04x $(($$ % 65536)))
	name=esc-$$
	atf_check -s exit:0 -e empty -o inline:"shmget-create ok\nmq_open-create ok\n" \
	    "$ESC" ipc create $key $name
	jt_on_cleanup "'$ESC' ipc rm $key $name"
	mkjail d
	mkjail n sysvshm=new
	for j in d n; do
		atf_check -s exit:0 -o save:open.$j -e empty "$JEXEC" $j /bin/esc ipc open $key $name
		atf_check -s exit:0 -o save:rm.$j -e empty "$JEXEC" $j /bin/esc ipc unlink $key $name
		cat open.$j rm.$j > all.$j
		# ENOSYS: System V IPC disabled (the default); ENOENT: not there.
		esc_refused all.$j 4 ENOENT ENOSYS
	done
	atf_check -s exit:0 -e empty -o inline:"shmget ok\nmq_open ok\n" \
	    "$ESC" ipc open $key $name
	"$ESC" ipc rm $key $name
}

jt_case time_namespace "a time namespace shifts only the jail's clocks"
time_namespace_body()
{
	atf_skip "jails get no time namespace (no jail parameter asks for one), so there are no jail clocks to shift; setting the host's clocks is refused (privileged_calls)"
}
