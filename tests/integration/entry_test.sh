#! /usr/bin/env atf-sh
#
# What a command is handed when it enters a jail through jexec(8) or
# jail(8)'s command= and exec.start: never a host directory as stdio.
# Spec: DESIGN.md section 9, escapes.md ("Entering a running jail safely"
# and the checklist items on stdio).

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

