#! /usr/bin/env atf-sh
#
# The prison trusts no client: malformed, mutated and unprivileged requests
# are answered or dropped, and change nothing; and a jail does not see the
# registry through which clients find prisons.  Spec: DESIGN.md sections 2
# and 5.

. "$(atf_get_srcdir)/common.subr"

jt_case fuzz_live "thousands of bad requests against a live prison, from root and from nobody"
fuzz_live_body()
{
	jt_init
	F=$JT_TOP/build/tests/tools/protofuzz
	[ -x "$F" ] || atf_fail "$F is missing: run make tests"
	mkjail f host.hostname=fz
	atf_check -o inline:"survived 4000 requests\n" $F 1 4000 nobody
	atf_check -o inline:"survived 4000 requests\n" $F 1 4000
	atf_check -o inline:"1 f fz\n" "$JLS" jid name host.hostname
	atf_check -o inline:"fz\n" "$JEXEC" f hostname
}

jt_case unprivileged "an unprivileged user may list jails, nothing more"
unprivileged_body()
{
	jt_init
	id nobody > /dev/null 2>&1 || atf_skip "no user nobody on the host"
	mkjail u
	chmod 755 "$JT_WORK" "$JT_REG"
	# As the host's nobody, with this test's registry.
	nb="su nobody -s /bin/sh -c"
	env="JAIL_REGISTRY=$JAIL_REGISTRY"
	atf_check -o inline:"u\n" $nb "$env $JLS name"
	atf_check -s exit:1 -e match:'Operation not permitted' \
	    $nb "$env $JAIL -m name=u host.hostname=x"
	atf_check -s exit:1 -e match:'Operation not permitted' \
	    $nb "$env $JAIL -r u"
	atf_check -s exit:1 -e match:'not permitted' \
	    $nb "$env $JEXEC u true"
	atf_check -o inline:"u\n" "$JLS" name
}

jt_case registry_hidden "a path=/ jail sees neither the registry nor host /run and /tmp"
registry_hidden_body()
{
	jt_init
	touch /tmp/host-marker.$$
	jt_on_cleanup "rm -f /tmp/host-marker.$$"
	atf_check -s exit:0 -o empty -e empty "$JAIL" -c name=h path=/ persist
	atf_check -o empty "$JEXEC" h ls /run
	atf_check -s not-exit:0 -e ignore "$JEXEC" h ls /tmp/host-marker.$$
	atf_check -s not-exit:0 -o empty -e ignore "$JEXEC" h ls "$JAIL_REGISTRY"
	rm -f /tmp/host-marker.$$
}
