#! /usr/bin/env atf-sh
#
# The prison survives any sequence of requests from any client (issue 11,
# item 4): tests/tools/seqfuzz drives many connections at once against one
# prison, with valid and malformed requests of every type, as root and as
# nobody, for a few seconds; the prison must then still answer, jexec must
# still work, and its memory and descriptors must be as before.  The other
# cases are what the fuzzer found, each with its own small reproduction.
#
# seqfuzz's seed and time are test-suite variables, for replaying a
# failure or a longer run:
#   kyua test -v test_suites.jail.seqfuzz_seed=N -v test_suites.jail.seqfuzz_time=S
# or run build/tests/tools/seqfuzz by hand (its usage is in its source).

. "$(atf_get_srcdir)/common.subr"

# Growth of the prison's VmRSS and VmData allowed over a run, in kB, after
# a warm-up run: the first requests touch its static buffers and grow its
# heap once (about 1 MB); later runs add a few tens of kB at most.
MEM_SLACK=512

seqfuzz_bin()
{
	SEQFUZZ=$JT_TOP/build/tests/tools/seqfuzz
	[ -x "$SEQFUZZ" ] || atf_fail "$SEQFUZZ is missing: run make tests"
}

# status_kb PID FIELD: a line of /proc/PID/status, in kB.
status_kb()
{
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

nfds()
{
	ls "/proc/$1/fd" | wc -l
}

# Its children: jail init and the guardian; a zombie would be a third.
nkids()
{
	ps --ppid "$1" -o pid= | wc -l
}

# Sockets the prison has open: its listening one, once every client's
# connection is let go.
nsocks()
{
	ls -l "/proc/$1/fd" | grep -c 'socket:'
}
no_clients() { [ "$(nsocks "$1")" -eq 1 ]; }

# sample PID: remember the prison's memory, descriptors and children, once
# it has let go of the connections of the runs before.
sample()
{
	jt_wait 15 no_clients "$1" ||
	    atf_fail "the prison keeps $(nsocks "$1") sockets"
	rss0=$(status_kb "$1" VmRSS)
	data0=$(status_kb "$1" VmData)
	fds0=$(nfds "$1")
	kids0=$(nkids "$1")
}

fds_back() { [ "$(nfds "$1")" -eq "$fds0" ]; }

# compare PID: as sampled, but for a little memory.
compare()
{
	jt_wait 15 fds_back "$1" ||
	    atf_fail "the prison has $(nfds "$1") descriptors, $fds0 before:" \
	    "$(ls -l "/proc/$1/fd" | tail -n +2)"
	[ "$(nkids "$1")" -eq "$kids0" ] ||
	    atf_fail "the prison has $(nkids "$1") children, $kids0 before"
	rss=$(status_kb "$1" VmRSS)
	data=$(status_kb "$1" VmData)
	echo "prison $1: VmRSS $rss0 -> $rss kB, VmData $data0 -> $data kB," \
	    "$fds0 descriptors"
	[ "$rss" -le $((rss0 + MEM_SLACK)) ] ||
	    atf_fail "VmRSS grew from $rss0 to $rss kB"
	[ "$data" -le $((data0 + MEM_SLACK)) ] ||
	    atf_fail "VmData grew from $data0 to $data kB"
}

# fuzz_jail: jail f (its prison $PRISON, its jid $FJID) and jail g, whose
# name f must not take.
fuzz_jail()
{
	jt_init
	seqfuzz_bin
	mkjail f host.hostname=fz
	PRISON=$(jt_prison_of_registry)
	[ -n "$PRISON" ] || atf_fail "no prison for jail f"
	mkjail g
	FJID=$("$JLS" -j f jid)
	# seqfuzz may drop root: let nobody reach the registry's sockets.
	chmod 755 "$JT_WORK" "$JT_REG"
}

# run_seqfuzz SEED SECONDS [OPTION...]: a run, which must survive.  The
# test-suite variables seqfuzz_seed and seqfuzz_time replace SEED and
# SECONDS, except in warm-up runs (SECONDS is "warm-up": one second).
run_seqfuzz()
{
	if [ "$2" = warm-up ]; then
		_seed=$1 _time=1
	else
		_seed=$(atf_config_get seqfuzz_seed "$1")
		_time=$(atf_config_get seqfuzz_time "$2")
	fi
	shift 2
	echo "seqfuzz -s $_seed -t $_time $* $FJID f"
	"$SEQFUZZ" -s "$_seed" -t "$_time" "$@" "$FJID" f > out 2> err
	_rc=$?
	cat out
	[ $_rc -eq 0 ] && grep -qx survived out ||
	    atf_fail "seqfuzz exited $_rc: $(tr '\n' ' ' < err)"
}

after_fuzz()
{
	compare "$PRISON"
	atf_check -o inline:"f fz\n" "$JLS" -j f name host.hostname
	atf_check -o empty -e empty "$JEXEC" f /bin/true
}

jt_case sequences_root "the prison survives sequences of requests from root; its memory and descriptors do not grow"
sequences_root_body()
{
	fuzz_jail
	run_seqfuzz 1001 warm-up -o g
	sample "$PRISON"
	run_seqfuzz 1 5 -o g
	after_fuzz
}

jt_case sequences_nobody "the prison survives sequences of requests from nobody, who may only GET"
sequences_nobody_body()
{
	fuzz_jail
	run_seqfuzz 1002 warm-up -u nobody
	sample "$PRISON"
	run_seqfuzz 2 5 -u nobody -o g
	after_fuzz
}

jt_case sequences_both "root and nobody fuzz the prison at the same time"
sequences_both_body()
{
	fuzz_jail
	run_seqfuzz 1003 warm-up -o g
	sample "$PRISON"
	# nobody's run does not judge root's changes (-S); 24 connections
	# and the probe's stay within its 64.
	_seed=$(atf_config_get seqfuzz_seed 3)
	"$SEQFUZZ" -s "$((_seed + 1))" -t "$(atf_config_get seqfuzz_time 5)" \
	    -S -u nobody -c 24 "$FJID" f > out.nobody 2> err.nobody &
	_pid=$!
	jt_track $_pid
	run_seqfuzz 3 5 -o g
	wait $_pid || atf_fail "seqfuzz as nobody: $(tr '\n' ' ' < err.nobody)"
	cat out.nobody
	after_fuzz
}

# answered: the prison answers a GET that it must fork for.
answered() { timeout 2 "$JLS" -j f host.hostname > /dev/null 2>&1; }

jt_case flood_fair "a client that floods the prison and never reads does not make others wait"
flood_fair_body()
{
	fuzz_jail
	rc=0
	"$SEQFUZZ" -u nobody -C flood -t 5 -d 3000 "$FJID" f > out 2> err || rc=$?
	cat out err
	# The prison works through the queue before the jail can be removed.
	jt_wait 60 answered || atf_fail "the prison does not answer any more"
	[ $rc -eq 0 ] || atf_fail "while nobody flooded: $(tr '\n' ' ' < err)"
}

jt_case meta_nul "a meta.KEY value without its NUL is refused or kept as sent"
meta_nul_body()
{
	fuzz_jail
	atf_check -o ignore -e ignore "$SEQFUZZ" -C meta-nul "$FJID" f
}

jt_case refused_update "a refused jail -m leaves the jail's addresses as they were"
refused_update_body()
{
	jt_init
	mkjail a ip4.addr=203.0.113.1
	mkjail b
	atf_check -s exit:1 -e match:'already exists' \
	    "$JAIL" -m jid="$("$JLS" -j a jid)" ip4.addr=203.0.113.9 name=b
	atf_check -o inline:"203.0.113.1\n" "$JLS" -j a ip4.addr
	atf_check -o match:'inet 203\.0\.113\.1/32 ' -o not-match:'203\.0\.113\.9' \
	    "$JEXEC" a ip -4 addr show dev eth0
	end=$(ip route get 203.0.113.1 | sed -n 's/.* dev \(jp[0-9]*\) .*/\1/p')
	[ -n "$end" ] || atf_fail "203.0.113.1 not routed to a jail: $(ip route get 203.0.113.1)"
	ip route get 203.0.113.9 | grep -q " dev $end " &&
	    atf_fail "203.0.113.9 routed to the jail after a refused change"
	# An accepted change moves the address and its route.
	atf_check "$JAIL" -m name=a ip4.addr=203.0.113.5
	atf_check -o match:'inet 203\.0\.113\.5/32 ' -o not-match:'203\.0\.113\.[19]/' \
	    "$JEXEC" a ip -4 addr show dev eth0
	atf_check -o match:" dev $end " ip route get 203.0.113.5
	ip route get 203.0.113.1 | grep -q " dev $end " &&
	    atf_fail "203.0.113.1 still routed to the jail"
	return 0
}

atf_init_test_cases()
{
	for _jt_c in $JT_CASES; do
		atf_add_test_case "$_jt_c"
	done
}
