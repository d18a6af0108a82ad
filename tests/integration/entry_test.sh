#! /usr/bin/env atf-sh
#
# What a command is handed when it enters a jail through jexec(8) or
# jail(8)'s command= and exec.start: never a host directory as stdio,
# never a working directory outside the jail.  Spec: DESIGN.md section 9,
# escapes.md ("Entering a running jail safely" and the checklist items
# on stdio and the cwd).

. "$(atf_get_srcdir)/common.subr"

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
	atf_check -s exit:1 -o empty -e ignore "$JLS" -j q
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
