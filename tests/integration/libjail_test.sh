#! /usr/bin/env atf-sh
#
# libjail(3) and jail_set(2)/jail_get(2) take what FreeBSD's take: strings
# imported raw without their NUL (FreeBSD's jls -j NAME), jail_setv, and a
# string iovec's length (FreeBSD's kernel wants the NUL in it).  Driven by
# helpers/rawstr, a program written as FreeBSD's are.
# Spec: freebsd-jail.md §1.2 (iovec convention), §7 (libjail).

. "$(atf_get_srcdir)/common.subr"

# jt_init, and the helper built into $RAWSTR.
rawstr_init()
{
	jt_init
	jt_cc_libjail rawstr
	RAWSTR=$JT_WORK/rawstr
	# It is not beside the prison, as jail(8) is: say where that is.
	export JAIL_PRISON="$JT_PRISON"
}

jt_case jls_raw_name "jailparam_get finds a jail by a name imported raw without its NUL, as FreeBSD's jls -j NAME"
jls_raw_name_body()
{
	rawstr_init
	mkjail www host.hostname=w.example
	mkjail db
	atf_check -o inline:"1 1 $ROOT w.example\n" \
	    "$RAWSTR" jls www jid path host.hostname
	atf_check -o inline:"2 2 $ROOT\n" "$RAWSTR" jls db jid path
	atf_check -s exit:1 -o inline:"errno 2: jail \"nosuch\" not found\n" \
	    "$RAWSTR" jls nosuch jid
}

jt_case setv "jail_setv creates a jail from strings"
setv_body()
{
	rawstr_init
	atf_check -o inline:"1\n" "$RAWSTR" setv fbsd "$ROOT"
	atf_check -o inline:"1 fbsd $ROOT\n" "$JLS" -j fbsd jid name path
}

jt_case set_raw_strings "jailparam_set sends strings imported raw without their NUL as C strings"
set_raw_strings_body()
{
	rawstr_init
	mkjail www
	atf_check -o inline:"1\n" "$RAWSTR" rawset www host.hostname h.example
	atf_check -o inline:"h.example\n" "$JLS" -j www host.hostname
	atf_check -o inline:"1\n" "$RAWSTR" rawset www meta "a=1"
	atf_check -o inline:"a=1\n" "$JLS" -j www meta
}

jt_case iov_string_length "jail_set(2) takes a string whose iov_len counts its NUL and refuses one without, as FreeBSD's kernel"
iov_string_length_body()
{
	rawstr_init
	mkjail www host.hostname=old
	atf_check -o inline:"1\n" "$RAWSTR" iov www host.hostname new 4
	atf_check -o inline:"new\n" "$JLS" -j www host.hostname
	# Without the NUL, or empty: EINVAL, and nothing changes.
	atf_check -s exit:1 -o match:"^errno 22: " \
	    "$RAWSTR" iov www host.hostname abc 3
	atf_check -s exit:1 -o match:"^errno 22: " \
	    "$RAWSTR" iov www host.hostname abc 0
	atf_check -s exit:1 -o match:"^errno 22: " \
	    "$RAWSTR" iov www meta abc 3
	atf_check -o inline:"new\n" "$JLS" -j www host.hostname
	# The empty string is one byte, its NUL.
	atf_check -o inline:"1\n" "$RAWSTR" iov www host.hostname "" 1
	atf_check -o inline:'""\n' "$JLS" -q -j www host.hostname
}
