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

# xs N: N x's.
xs()
{
	printf "%${1}s" | tr ' ' x
}

# set_max N: host root's security.jail.meta_maxbufsize for this registry
# (removed again by the test, and by its cleanup if it fails before).
set_max()
{
	echo "$1" > "$JT_REG/.meta_maxbufsize"
	chmod 0644 "$JT_REG/.meta_maxbufsize"
}

TOO_LARGE="jail: jail_set: File too large"

jt_case meta_maxbufsize "meta and env take up to the host's meta_maxbufsize bytes with the NUL (4096 by default) and refuse one byte more with EFBIG, as FreeBSD's"
meta_maxbufsize_body()
{
	jt_init
	jt_on_cleanup rm -f "$JT_REG/.meta_maxbufsize"
	# FreeBSD's default, 4096.
	mkjail m meta="$(xs 4095)"
	atf_check -o inline:"4096\n" -x "\"$JLS\" -j m meta | wc -c"
	atf_check -s exit:1 -e inline:"$TOO_LARGE\n" \
	    "$JAIL" -m name=m meta="$(xs 4096)"
	atf_check -s exit:1 -e inline:"$TOO_LARGE\n" \
	    "$JAIL" -m name=m env="$(xs 4096)"
	atf_check -s exit:1 -e inline:"$TOO_LARGE\n" \
	    "$JAIL" -c name=n path="$ROOT" persist env="$(xs 4096)"
	atf_check -s exit:1 -o ignore -e ignore "$JLS" -j n

	# Smaller: at the limit taken, one byte over refused, whole or by key.
	set_max 100
	atf_check -s exit:0 "$JAIL" -m name=m meta="$(xs 99)" env="$(xs 99)"
	atf_check -o inline:"100\n" -x "\"$JLS\" -j m env | wc -c"
	atf_check -s exit:1 -e inline:"$TOO_LARGE\n" \
	    "$JAIL" -m name=m meta="$(xs 100)"
	atf_check -s exit:0 "$JAIL" -m name=m meta="$(xs 90)" meta.k="$(xs 6)"
	# "k=xxxxxx\n" + 90 + NUL: 100 bytes.
	atf_check -o inline:"$(xs 6)\n" "$JLS" -j m meta.k
	atf_check -s exit:1 -e inline:"$TOO_LARGE\n" \
	    "$JAIL" -m name=m meta.k="$(xs 7)"
	# A failed update changes nothing.
	atf_check -o inline:"$(xs 6)\n" "$JLS" -j m meta.k

	# Larger.
	set_max 10000
	atf_check -s exit:0 "$JAIL" -m name=m meta="$(xs 9999)"
	atf_check -o inline:"10000\n" -x "\"$JLS\" -j m meta | wc -c"
	atf_check -s exit:1 -e inline:"$TOO_LARGE\n" \
	    "$JAIL" -m name=m meta="$(xs 10000)"
	atf_check -s exit:0 "$JAIL" -c name=big path="$ROOT" persist \
	    env="$(xs 9999)"
	atf_check -o inline:"10000\n" -x "\"$JLS\" -j big env | wc -c"

	# Lowered again: what is stored stays, and reads whole.
	rm "$JT_REG/.meta_maxbufsize"
	atf_check -o inline:"10000\n" -x "\"$JLS\" -j m meta | wc -c"
	atf_check -o match:"^big $(xs 9999)\$" "$JLS" -j big name env
	atf_check -s exit:1 -e inline:"$TOO_LARGE\n" \
	    "$JAIL" -m name=m meta.k=v
	atf_check -s exit:0 "$JAIL" -m name=m meta="$(xs 4095)"
	atf_check -o inline:"4096\n" -x "\"$JLS\" -j m meta | wc -c"
}

jt_case meta_no_value "meta or env with no value (iov_len 0) empties it, and meta.KEY with none deletes KEY, as FreeBSD's kernel"
meta_no_value_body()
{
	rawstr_init
	mkjail m meta="a=1" env="e"
	atf_check -o inline:"1\n" "$RAWSTR" iov m meta x 0
	atf_check -o inline:"1\n" "$RAWSTR" iov m env x 0
	atf_check -o inline:'"" ""\n' "$JLS" -q -j m meta env
	atf_check -s exit:0 "$JAIL" -m name=m meta.a=1 meta.b=2
	atf_check -o inline:"1\n" "$RAWSTR" iov m meta.a x 0
	atf_check -o inline:"b=2\n" "$JLS" -j m meta
}

jt_case jail8_freebsd_forms "jail(8) takes the values FreeBSD's libjail takes: numbers with blanks or a sign, empty values"
jail8_freebsd_forms_body()
{
	jt_init
	atf_check -s exit:0 -o empty -e empty "$JAIL" -c name=f path="$ROOT" \
	    persist allow.raw_sockets=" 1" allow.mount=+0 allow.mlock= \
	    securelevel=" 2" enforce_statfs=+1 devfs_ruleset= ip4.addr= \
	    host.hostname= ip4=" 1" host.hostid=+7
	atf_check -o inline:"allow.raw_sockets allow.nomount allow.nomlock securelevel=2 enforce_statfs=1 devfs_ruleset=0 ip4.addr=\"\" host.hostname=\"\" ip4=new host.hostid=7\n" \
	    "$JLS" -nq -j f allow.raw_sockets allow.mount allow.mlock \
	    securelevel enforce_statfs devfs_ruleset ip4.addr host.hostname ip4 \
	    host.hostid
}

jt_case bool_any_value "jail_set(2) sets a boolean given by name with a value that is not an int, as FreeBSD's kernel"
bool_any_value_body()
{
	rawstr_init
	mkjail b
	atf_check -o inline:"1\n" "$RAWSTR" iov b allow.raw_sockets yes 4
	atf_check -o inline:"1\n" "$RAWSTR" iov b allow.nomount x 2
	atf_check -o inline:"allow.raw_sockets allow.nomount\n" \
	    "$JLS" -n -j b allow.raw_sockets allow.mount
}
