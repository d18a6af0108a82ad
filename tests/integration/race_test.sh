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
# request to a prison (sendmsg), before it starts a prison (posix_spawn),
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
# jail(8)

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
	atf_check -s exit:1 -o empty -e ignore "$JLS" -j j
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
	# FreeBSD's jail(8) says how the command ended, and that is all.
	atf_check -o inline:"jail: sleep 310101: exited on signal 9\n" cat err
}
