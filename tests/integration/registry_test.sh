#! /usr/bin/env atf-sh
#
# The registry's indexes and the parameters each prison keeps in its
# record (lib/regindex.c, struct jrec): finding and listing jails reads
# the registry, not every record and not every prison, and never says
# anything another way of asking would not.
# Spec: freebsd-jail.md, jail_get(2) (lastjid) and jls(8).

. "$(atf_get_srcdir)/common.subr"

jt_case lastjid_order "jls lists jails in jid order, sparse jids too, and sees a jail made between two listings"
lastjid_order_body()
{
	jt_init
	mkjail a jid=7
	mkjail b jid=300
	mkjail c jid=12
	atf_check -o inline:"7\n12\n300\n" "$JLS" -q jid
	# Made after a listing, below the largest jid: listed next time.
	mkjail d jid=100
	atf_check -o inline:"7\n12\n100\n300\n" "$JLS" -q jid
	atf_check -s exit:0 "$JAIL" -r c
	atf_check -o inline:"7 a\n100 d\n300 b\n" "$JLS" -q jid name
	# The next jid is the one after the last given (d's).
	mkjail e
	atf_check -o inline:"7 a\n100 d\n101 e\n300 b\n" "$JLS" -q jid name
}

jt_case name_index "jails are found by name through renames and removals, and their names are free again after"
name_index_body()
{
	jt_init
	mkjail www
	mkjail db
	atf_check -o inline:"1\n" "$JLS" -j www jid
	atf_check -s exit:0 "$JAIL" -m jid=1 name=web
	atf_check -o inline:"1 web\n" "$JLS" -j web jid name
	atf_check -s exit:1 -o ignore -e match:'"www" not found' "$JLS" -j www
	# The old name is free, the new one taken.
	mkjail www
	atf_check -s exit:1 -e match:"already exists" \
	    "$JAIL" -c name=web path="$ROOT" persist
	atf_check -s exit:0 -o ignore "$JAIL" -r web
	atf_check -s exit:1 -o ignore -e match:'"web" not found' "$JLS" -j web
	mkjail web
	atf_check -o inline:"db\nwww\nweb\n" "$JLS" -q name
	atf_check -o inline:"ok\n" "$JEXEC" web echo ok
	# Nothing of the removed or renamed is left in the index.
	atf_check -o inline:"3\n" sh -c "find '$JT_REG/.names' -type f | wc -l"
}

jt_case old_registry "a registry without a name index (made before it) gets one, with the jails it already has"
old_registry_body()
{
	jt_init
	mkjail one
	mkjail two
	rm -r "$JT_REG/.names"
	# Found without it, record by record.
	atf_check -o inline:"2\n" "$JLS" -j two jid
	atf_check -s exit:1 -e match:"already exists" \
	    "$JAIL" -c name=one path="$ROOT" persist
	# The next creation indexes every jail, then itself.
	mkjail three
	atf_check -o inline:"3\n" sh -c "find '$JT_REG/.names' -type f | wc -l"
	atf_check -o inline:"1\n" "$JLS" -j one jid
	atf_check -s exit:1 -e match:"already exists" \
	    "$JAIL" -c name=two path="$ROOT" persist
}

jt_case dead_prison_swept "a jail whose prison and guardian were killed is not found by name and is swept by the next listing"
dead_prison_swept_body()
{
	jt_init
	mkjail victim
	mkjail other
	# The record says which prison holds it (struct jrec: pid at 12).
	_pid=$(od -An -t d4 -j 12 -N 4 "$JT_REG/1" | tr -d ' ')
	[ -n "$_pid" ] && [ -d /proc/"$_pid" ] || atf_fail "no prison for jail 1"
	# Its guardian first, or it would clean up after the prison.
	for _g in $(pgrep -P "$_pid" -x prison-guard); do kill -KILL "$_g"; done
	kill -KILL "$_pid"
	jt_wait 5 sh -c "! kill -0 $_pid 2>/dev/null" || atf_fail "prison lives"
	atf_check -s exit:1 -o ignore -e match:'not found' "$JLS" -j victim
	# The name is free at once; the listing sweeps the dead record.
	atf_check -o inline:"other\n" "$JLS" -q name
	[ ! -e "$JT_REG/1" ] || atf_fail "dead record left after a listing"
	atf_check -o inline:"1\n" sh -c "find '$JT_REG/.names' -type f | wc -l"
	mkjail victim
	atf_check -o inline:"other\nvictim\n" "$JLS" -q name
}

jt_case hostname_live "a host name jailed root sets is what jls shows, to root and to others, and jail -m's too"
hostname_live_body()
{
	jt_init
	mkjail h host.hostname=before.example
	atf_check -o inline:"before.example\n" "$JLS" -j h host.hostname
	atf_check -s exit:0 "$JEXEC" h hostname inside.example
	atf_check -o inline:"inside.example\n" "$JLS" -j h host.hostname
	atf_check -o inline:"inside.example\n" \
	    setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$JLS" -j h host.hostname
	atf_check -s exit:0 "$JAIL" -m name=h host.hostname=set.example
	atf_check -o inline:"set.example\n" "$JLS" -j h host.hostname
	atf_check -o inline:"set.example\n" "$JEXEC" h hostname
}

# meta values of update I: "vI-" and I zero-padded to 200 digits.
value_of() { printf 'v%d-%0200d' "$1" "$1"; }

jt_case params_consistent "jls never sees a half-written change: values read during a stream of jail -m are each a value set"
params_consistent_body()
{
	jt_init
	mkjail p meta="$(value_of 0)"
	(
		i=1
		while [ $i -le 150 ]; do
			"$JAIL" -m name=p meta="$(value_of $i)" || exit 1
			i=$((i + 1))
		done
	) &
	_w=$!
	jt_track "$_w"
	_n=0
	while kill -0 "$_w" 2>/dev/null; do
		_v=$("$JLS" -j p meta) || atf_fail "jls failed during updates"
		echo "$_v" | grep -qE '^v([0-9]+)-0*\1$' ||
		    atf_fail "not a value that was set: $_v"
		_n=$((_n + 1))
	done
	wait "$_w" || atf_fail "jail -m failed"
	[ $_n -gt 10 ] || atf_fail "only $_n readings"
	atf_check -o inline:"$(value_of 150)\n" "$JLS" -j p meta
}

# Parameters of each kind: what the record answers.
PARAMS="jid name path host.hostname host.domainname meta enforce_statfs \
    allow.raw_sockets allow.set_hostname persist dying ip4.addr osrelease \
    cpuset.id idmap.base children.max securelevel devfs_ruleset sysvshm"

jt_case same_answers "the parameters read from the record are the ones the prison answers"
same_answers_body()
{
	jt_init
	mkjail s host.hostname=s.example meta="k=v" allow.raw_sockets \
	    enforce_statfs=1
	"$JLS" -j s $PARAMS > from_record || atf_fail "jls failed"
	grep -q "^1 s $ROOT s.example " from_record ||
	    atf_fail "unexpected: $(cat from_record)"
	# meta.k is not kept in the record: the prison answers it all.
	"$JLS" -j s $PARAMS meta.k > from_prison || atf_fail "jls failed"
	atf_check -o inline:"$(cat from_record) v\n" cat from_prison
	# A dying jail: the record's state (jls -d).
	atf_check -o inline:"false\n" "$JLS" -j s dying
}

atf_init_test_cases()
{
	for _jt_c in $JT_CASES; do
		atf_add_test_case "$_jt_c"
	done
}
