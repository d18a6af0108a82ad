#! /usr/bin/env atf-sh
#
# What jail(8), jls(8), jexec(8) and jail_attach(2) say when another
# process wins a race: the jail is removed, its prison dies, or its name is
# taken while the command is at work.  FreeBSD's words where it has them
# (spec freebsd-jail.md section 10: "jail N is dying", "jail N not found";
# jail(8)'s "\"NAME\" already exists"; EINVAL from jail_attach); the
# prison dying is ours alone.
#
# Each race is made to happen every time by helpers/jt_hook, an LD_PRELOAD
# shim that acts at a chosen moment inside the command: before its first
# request to a prison (sendmsg), before it starts a prison (spawn),
# or right after it has entered a jail (setns).

. "$(atf_get_srcdir)/common.subr"

# Build the shim for the host, and $HOOK: "$HOOK AT CMD COMMAND..." runs
# COMMAND with the shim acting at AT (see jt_hook.c), running the shell
# command CMD there.  Skips without a compiler.
jt_cc_hook()
{
	command -v cc > /dev/null 2>&1 || atf_skip "no C compiler"
	cc -O1 -shared -fPIC -o "$JT_WORK/jt_hook.so" \
	    "$(atf_get_srcdir)/helpers/jt_hook.c" -ldl \
	    > "$JT_WORK/cc.log" 2>&1 ||
	    atf_skip "cannot build jt_hook.so: $(head -c 300 "$JT_WORK/cc.log")"
	HOOK=$JT_WORK/hook
	cat > "$HOOK" <<EOF
#!/bin/sh
at=\$1 cmd=\$2
shift 2
LD_PRELOAD="$JT_WORK/jt_hook.so" JT_HOOK_AT="\$at" JT_HOOK_CMD="\$cmd" exec "\$@"
EOF
	chmod +x "$HOOK"
}

# The jid of jail NAME.
jid_of()
{
	"$JLS" -j "$1" jid
}

# ---------------------------------------------------------------------------
# jexec

jt_case jexec_jail_removed "jexec: the jail removed before the prison answers is dying"
jexec_jail_removed_body()
{
	jt_init
	jt_cc_hook
	mkjail j
	jid=$(jid_of j)
	atf_check -s exit:1 -o empty -e inline:"jexec: jail $jid is dying\n" \
	    "$HOOK" sendmsg "\"$JAIL\" -r j" "$JEXEC" j true
}

jt_case jexec_prison_died "jexec: a prison killed before it answers is reported as such"
jexec_prison_died_body()
{
	jt_init
	jt_cc_hook
	mkjail j
	jid=$(jid_of j)
	prison=$(jt_prison_of_registry)
	atf_check -s exit:1 -o empty \
	    -e inline:"jexec: jail $jid: its prison died\n" \
	    "$HOOK" sendmsg "kill -9 $prison" "$JEXEC" j true
	jt_wait 5 jt_no_prisons || atf_fail "prisons left: $(jt_prisons)"
}

jt_case jexec_init_died "jexec: a jail whose init dies after jexec entered it is dying"
jexec_init_died_body()
{
	jt_init
	jt_cc_hook
	mkjail j
	jid=$(jid_of j)
	# Its pid namespace then takes no new process: clone3 fails (ENOMEM).
	atf_check -s exit:1 -o empty -e inline:"jexec: jail $jid is dying\n" \
	    "$HOOK" setns "" "$JEXEC" j true
}

# ---------------------------------------------------------------------------
# jail_attach(2)

jt_case attach_jail_removed "jail_attach of a jail removed under it fails with EINVAL, as FreeBSD's"
attach_jail_removed_body()
{
	jt_init
	jt_cc_hook
	mkjail j
	atf_check -o inline:"errno EINVAL\n" \
	    "$HOOK" sendmsg "\"$JAIL\" -r j" \
	    "$JT_TOP/build/tests/tools/jset" attach "$(jid_of j)"
}

# ---------------------------------------------------------------------------
# jls

# A shell command: kill process $1 and wait (bounded) until it has let go
# of its namespaces, as it does on its way out.
killed()
{
	echo "kill -9 $1; i=0; while readlink /proc/$1/ns/uts > /dev/null 2>&1 &&
	    [ \$i -lt 500 ]; do sleep 0.01; i=\$((i + 1)); done"
}

jt_case jls_jail_removed "jls -j: the jail removed before its parameters are read is dying"
jls_jail_removed_body()
{
	jt_init
	jt_cc_hook
	mkjail j
	# From the record the prison keeps its parameters in...
	atf_check -s exit:1 -o empty -e inline:"jls: jail \"j\" is dying\n" \
	    "$HOOK" params "\"$JAIL\" -r j" "$JLS" -j j host.hostname
	# ...and from the prison (meta.KEY: not kept in the record).
	mkjail j
	atf_check -s exit:1 -o empty -e inline:"jls: jail \"j\" is dying\n" \
	    "$HOOK" sendmsg "\"$JAIL\" -r j" "$JLS" -j j meta.k
}

jt_case jls_prison_died "jls: a jail whose prison dies under it: -j says so, a listing skips it"
jls_prison_died_body()
{
	jt_init
	jt_cc_hook
	mkjail a host.hostname=a.example
	prison=$(jt_prison_of_registry)
	mkjail b host.hostname=b.example
	# The listing reads a's record first; its prison killed then (and
	# gone: a kill only starts a process's end, and jls, unlike a prison's
	# client, waits for nothing that would see it), a is skipped.
	atf_check -s exit:0 -o inline:"$(jid_of b) b b.example\n" -e empty \
	    "$HOOK" params "$(killed "$prison")" "$JLS" jid name host.hostname
	"$JAIL" -r b
	jt_wait 5 jt_no_prisons || atf_fail "prisons left: $(jt_prisons)"
	mkjail a
	prison=$(jt_prison_of_registry)
	atf_check -s exit:1 -o empty -e inline:"jls: jail \"a\": its prison died\n" \
	    "$HOOK" params "$(killed "$prison")" "$JLS" -j a host.hostname
	# The same when the prison is asked (meta.KEY).
	jt_wait 5 jt_no_prisons || atf_fail "prisons left: $(jt_prisons)"
	mkjail c
	prison=$(jt_prison_of_registry)
	atf_check -s exit:1 -o empty -e inline:"jls: jail \"c\": its prison died\n" \
	    "$HOOK" sendmsg "kill -9 $prison" "$JLS" -j c meta.k
}

# ---------------------------------------------------------------------------
# jail(8)

jt_case modify_jail_removed "jail -m: the jail removed before the prison answers is dying"
modify_jail_removed_body()
{
	jt_init
	jt_cc_hook
	mkjail j
	atf_check -s exit:1 -o empty -e inline:"jail: jail \"j\" is dying\n" \
	    "$HOOK" sendmsg "\"$JAIL\" -r j" "$JAIL" -m name=j host.hostname=x
}

jt_case modify_prison_died "jail -m: a prison killed before it answers is reported as such"
modify_prison_died_body()
{
	jt_init
	jt_cc_hook
	mkjail j
	prison=$(jt_prison_of_registry)
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: jail \"j\": its prison died\n" \
	    "$HOOK" sendmsg "kill -9 $prison" "$JAIL" -m name=j host.hostname=x
}

jt_case remove_prison_died "jail -r of a jail whose prison dies meanwhile succeeds: the jail is gone"
remove_prison_died_body()
{
	jt_init
	jt_cc_hook
	mkjail j
	prison=$(jt_prison_of_registry)
	atf_check -s exit:0 -o empty -e empty \
	    "$HOOK" sendmsg "kill -9 $prison" "$JAIL" -r j
	jt_wait 5 jt_no_prisons || atf_fail "prisons left: $(jt_prisons)"
	atf_check -s exit:1 -o ignore -e ignore "$JLS" -j j
}

jt_case command_jail_removed "jail -c command=: a jail removed from outside ends the command, nothing more"
command_jail_removed_body()
{
	jt_init
	"$JAIL" -c name=one path="$ROOT" command=sleep 310101 > out 2> err &
	pid=$!
	jt_track $pid
	jt_wait 5 pgrep -x -f 'sleep 310101' > /dev/null ||
	    atf_fail "the command did not start"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -r one
	wait $pid
	[ $? -eq 1 ] || atf_fail "jail exited $?"
	atf_check -o empty cat out
	# FreeBSD's jail(8) says how the command ended, and that is all: by
	# the SIGTERM of the removal's stop.timeout step.
	atf_check -o inline:"jail: sleep 310101: exited on signal 15\n" cat err
}

jt_case create_prison_died "jail -c: a prison that dies before it answers is reported as such"
create_prison_died_body()
{
	jt_init
	# A "prison" that detaches as the real one does, then is gone.
	atf_check -s exit:1 -o empty \
	    -e inline:"jail: the new jail's prison died\n" \
	    env JAIL_PRISON=/bin/true "$JAIL" -c name=j path="$ROOT" persist
	atf_check -o empty "$JLS" name
}

jt_case create_name_taken "jail -c: a name taken by a racing create has jail(8)'s one wording"
create_name_taken_body()
{
	jt_init
	jt_cc_hook
	# The other create wins between jail(8)'s look and its jail_set.
	atf_check -s exit:1 -o empty -e inline:"jail: \"same\" already exists\n" \
	    "$HOOK" spawn "\"$JAIL\" -c name=same path=\"$ROOT\" persist" \
	    "$JAIL" -c name=same path="$ROOT" persist
	atf_check -o match:'^[0-9]+ same$' "$JLS" jid name
	# The same words when the jail was there before jail(8) looked.
	atf_check -s exit:1 -o empty -e inline:"jail: \"same\" already exists\n" \
	    "$JAIL" -c name=same path="$ROOT" persist
}
