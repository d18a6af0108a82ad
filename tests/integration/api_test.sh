#! /usr/bin/env atf-sh
#
# jail_set(2), jail_get(2), jail_remove(2), jail_attach(2) called directly
# with hand-made iovecs (tests/tools/jset.c): flags, iovec shapes, value
# sizes, and FreeBSD's errno with its errmsg.  Spec: freebsd-jail.md
# sections 1 and 10.

. "$(atf_get_srcdir)/common.subr"

# jt_init, and $T: the raw-call driver.  It is no installed command, so
# libjail is told where the prison is.
api_init()
{
	jt_init
	T=$JT_TOP/build/tests/tools/jset
	[ -x "$T" ] || atf_fail "$T is missing: run make tests"
	export JAIL_PRISON="$JT_PRISON"
}

jt_case set_errors "jail_set: flags, iovec shape, value sizes"
set_errors_body()
{
	api_init
	atf_check -o inline:"errno EINVAL: no valid operation (create or update)\n" \
	    $T set 0 path s:$ROOT persist n:
	atf_check -o inline:"errno EINVAL: \n" $T set 0x100 path s:$ROOT persist n:
	atf_check -o inline:"errno EINVAL: \n" $T set 1 path s:$ROOT persist o:
	atf_check -o inline:"errno EINVAL: path: value is not a NUL-terminated string\n" \
	    $T set 1 path r:$ROOT persist n:
	atf_check -o inline:"errno EINVAL: jid: value must be an int\n" \
	    $T set 1 jid z: persist n:
	atf_check -o inline:"errno EINVAL: host.hostid: value must be an unsigned long\n" \
	    $T set 1 host.hostid i:1 persist n:
	atf_check -o inline:"errno EINVAL: unknown parameter: lastjid\n" \
	    $T set 1 lastjid i:1 persist n:
	atf_check -o inline:"errno ENOENT: missing desc\n" $T set 0x41 persist n:
	atf_check -o inline:"errno EINVAL: unexpected desc\n" $T set 1 persist n: desc i:-1
	atf_check -o inline:"errno EINVAL: \n" $T set 0x31 persist n: desc i:3
	atf_check -o inline:"errno ENOENT: jail 5 not found\n" $T set 2 jid i:5 persist n:
	jt_reg_empty || atf_fail "registry not empty: $(jt_reg_entries)"
}

jt_case set_get "create, update and read back through the raw calls"
set_get_body()
{
	api_init
	atf_check -o inline:"jid 5\n" $T set 1 jid i:5 path s:$ROOT persist n: host.hostname s:raw
	atf_check -o inline:"jid 5\n" $T set 3 jid i:5 host.hostname s:raw2
	atf_check -o inline:"errno EEXIST: jail 5 already exists\n" $T set 1 jid i:5 persist n:
	atf_check -o inline:"jid 5\n" $T get 0 jid i:5 host.hostname b:256
	atf_check -o inline:"raw2\n" "$JLS" -j 5 host.hostname
	atf_check -o inline:"jid 5\n" $T get 0 lastjid i:0
	atf_check -o inline:"errno ENOENT: no jail after 5\n" $T get 0 lastjid i:5
	atf_check -o inline:"errno EINVAL: unknown parameter: bogus\n" $T get 0 jid i:5 bogus b:4
	atf_check -o inline:"errno ENOENT: no jail specified\n" $T get 0 persist b:4
	atf_check -o inline:"errno EINVAL: \n" $T get 0x04 jid i:5
	atf_check -o inline:"errno EINVAL: host.hostname: buffer too small\n" \
	    $T get 0 jid i:5 host.hostname b:2
	atf_check -o inline:"errno EINVAL\n" $T remove 99
	atf_check -o inline:"errno EINVAL\n" $T attach 99
	atf_check -o inline:"ok\n" $T remove 5
	atf_check -o inline:"errno ENOENT: jail 5 not found\n" $T get 0 jid i:5
}

jt_case create_attach "JAIL_CREATE|JAIL_ATTACH without persist lives as long as the caller"
create_attach_body()
{
	api_init
	atf_check -o inline:"jid 1\nattached\n" env JSET_THEN=/bin/hostname \
	    $T set 5 path s:$ROOT host.hostname s:attached
	jt_wait 10 jt_no_prisons || atf_fail "the jail outlived its only process"
	atf_check -o empty "$JLS" jid
	atf_check -o inline:"errno EINVAL: new jail must persist or attach\n" \
	    $T set 1 path s:$ROOT
}

jt_case attach "jail_attach(2) moves the caller into the jail; jail(2)'s old form"
attach_body()
{
	api_init
	mkjail a host.hostname=attach.test
	atf_check -o inline:"ok\nattach.test\n" env JSET_THEN=/bin/hostname $T attach 1
	atf_check -o inline:"jid 2\nlegacy.test\n" env JSET_THEN=/bin/hostname \
	    $T legacy "$ROOT" legacy.test 203.0.113.4
}
